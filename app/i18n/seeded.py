"""The seeded communities' names and descriptions, marked for translation.

`app/communities/seed.py` stores them in English; templates show them through the `translated` filter,
which looks them up in the catalog (and leaves names created later as they are). `tests/i18n/test_seeded.py`
keeps this list in step with seed.py.
"""


def N_(text: str) -> str:
    """Mark `text` for extraction without translating it now."""
    return text


SEEDED_TEXTS = [
    N_("The role of governments and all stakeholders in the promotion of ICTs for development"),
    N_(
        "Effective participation of governments and all stakeholders is vital in developing the Information Society: national e-strategies, public-private partnerships and multi-sector cooperation that put ICTs at the service of development."
    ),
    N_("Information and communication infrastructure"),
    N_(
        "Infrastructure is central to achieving digital inclusion: affordable broadband, rural connectivity, universal access policies, spectrum and the networks that reach everyone."
    ),
    N_("Access to information and knowledge"),
    N_(
        "Everyone should be able to access information, ideas and knowledge: public-domain information, open access, libraries and archives, community access points and multilingual content."
    ),
    N_("Capacity building"),
    N_(
        "Every person should have the skills to benefit from the Information Society: digital literacy, ICT in education and training, and capacity for policy makers and professionals."
    ),
    N_("Building confidence and security in the use of ICTs"),
    N_(
        "Confidence and security are pillars of the Information Society: cybersecurity, protection of privacy and personal data, fighting cybercrime and spam, and online child protection."
    ),
    N_("Enabling environment"),
    N_(
        "A trustworthy, transparent and non-discriminatory legal, regulatory and policy environment that maximises the social and economic benefits of the Information Society."
    ),
    N_("ICT applications"),
    N_(
        "ICT applications can support sustainable development in public administration, business, education, health, employment, the environment, agriculture and science."
    ),
    N_("Cultural diversity and identity, linguistic diversity and local content"),
    N_(
        "Cultural and linguistic diversity enrich the Information Society: local content creation, preservation of cultural heritage, and multilingual access to the Internet."
    ),
    N_("Media"),
    N_(
        "Media in all their forms have an essential role in the Information Society: freedom of the press, media pluralism, media literacy and the contribution of traditional media."
    ),
    N_("Ethical dimensions of the Information Society"),
    N_(
        "The Information Society should respect peace and uphold the fundamental values of freedom, equality, solidarity, tolerance, shared responsibility and respect for nature."
    ),
    N_("International and regional cooperation"),
    N_(
        "International cooperation among all stakeholders is vital to implementing the Plan of Action: financing, technology transfer, regional initiatives and monitoring of progress."
    ),
    N_("C7 E-government"),
    N_(
        "ICT for transparent, accountable and efficient public administration and public services that reach every citizen."
    ),
    N_("C7 E-business"),
    N_(
        "ICT for trade and enterprise: e-commerce, digital payments and the participation of small businesses and developing countries in the digital economy."
    ),
    N_("C7 E-learning"),
    N_(
        "ICT for education and lifelong learning: open educational resources, online courses and teacher training."
    ),
    N_("C7 E-health"),
    N_(
        "ICT for health care and health information: telemedicine, health information systems and disease surveillance and response."
    ),
    N_("C7 E-employment"),
    N_("ICT and work: telework, digital skills for jobs, labour standards and new forms of employment."),
    N_("C7 E-environment"),
    N_(
        "ICT for environmental protection: monitoring, climate change, disaster early warning and e-waste management."
    ),
    N_("C7 E-agriculture"),
    N_(
        "ICT for agriculture and rural development: market information, advisory services and resilient food systems."
    ),
    N_("C7 E-science"),
    N_("ICT for research: open science, research networks, shared data and scientific collaboration."),
]
