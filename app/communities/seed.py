"""The WSIS Action Line knowledge communities (Geneva Plan of Action, 2003)."""

from app.communities.models import Community
from app.extensions import db

ACTION_LINES = [
    ("c1", "C1", "The role of governments and all stakeholders in the promotion of ICTs for development",
     "Effective participation of governments and all stakeholders is vital in developing the "
     "Information Society: national e-strategies, public-private partnerships and multi-sector "
     "cooperation that put ICTs at the service of development."),
    ("c2", "C2", "Information and communication infrastructure",
     "Infrastructure is central to achieving digital inclusion: affordable broadband, rural "
     "connectivity, universal access policies, spectrum and the networks that reach everyone."),
    ("c3", "C3", "Access to information and knowledge",
     "Everyone should be able to access information, ideas and knowledge: public-domain information, "
     "open access, libraries and archives, community access points and multilingual content."),
    ("c4", "C4", "Capacity building",
     "Every person should have the skills to benefit from the Information Society: digital literacy, "
     "ICT in education and training, and capacity for policy makers and professionals."),
    ("c5", "C5", "Building confidence and security in the use of ICTs",
     "Confidence and security are pillars of the Information Society: cybersecurity, protection of "
     "privacy and personal data, fighting cybercrime and spam, and online child protection."),
    ("c6", "C6", "Enabling environment",
     "A trustworthy, transparent and non-discriminatory legal, regulatory and policy environment that "
     "maximises the social and economic benefits of the Information Society."),
    ("c7", "C7", "ICT applications",
     "ICT applications can support sustainable development in public administration, business, "
     "education, health, employment, the environment, agriculture and science."),
    ("c8", "C8", "Cultural diversity and identity, linguistic diversity and local content",
     "Cultural and linguistic diversity enrich the Information Society: local content creation, "
     "preservation of cultural heritage, and multilingual access to the Internet."),
    ("c9", "C9", "Media",
     "Media in all their forms have an essential role in the Information Society: freedom of the press, "
     "media pluralism, media literacy and the contribution of traditional media."),
    ("c10", "C10", "Ethical dimensions of the Information Society",
     "The Information Society should respect peace and uphold the fundamental values of freedom, "
     "equality, solidarity, tolerance, shared responsibility and respect for nature."),
    ("c11", "C11", "International and regional cooperation",
     "International cooperation among all stakeholders is vital to implementing the Plan of Action: "
     "financing, technology transfer, regional initiatives and monitoring of progress."),
]  # fmt: skip

C7_SUB_LINES = [
    ("c7-e-government", "C7 E-government",
     "ICT for transparent, accountable and efficient public administration and public services "
     "that reach every citizen."),
    ("c7-e-business", "C7 E-business",
     "ICT for trade and enterprise: e-commerce, digital payments and the participation of small "
     "businesses and developing countries in the digital economy."),
    ("c7-e-learning", "C7 E-learning",
     "ICT for education and lifelong learning: open educational resources, online courses and "
     "teacher training."),
    ("c7-e-health", "C7 E-health",
     "ICT for health care and health information: telemedicine, health information systems and "
     "disease surveillance and response."),
    ("c7-e-employment", "C7 E-employment",
     "ICT and work: telework, digital skills for jobs, labour standards and new forms of employment."),
    ("c7-e-environment", "C7 E-environment",
     "ICT for environmental protection: monitoring, climate change, disaster early warning and "
     "e-waste management."),
    ("c7-e-agriculture", "C7 E-agriculture",
     "ICT for agriculture and rural development: market information, advisory services and "
     "resilient food systems."),
    ("c7-e-science", "C7 E-science",
     "ICT for research: open science, research networks, shared data and scientific collaboration."),
]  # fmt: skip


def seed_communities() -> int:
    """Create missing action-line communities; existing ones are left as they are. Returns how many were added."""
    existing = {slug for slug in db.session.execute(db.select(Community.slug)).scalars()}
    added = 0
    for position, (slug, code, name, description) in enumerate(ACTION_LINES, start=1):
        if slug not in existing:
            db.session.add(
                Community(slug=slug, code=code, name=name, description=description, position=position * 10)
            )
            added += 1
    db.session.flush()
    c7 = db.session.execute(db.select(Community).filter_by(slug="c7")).scalar_one()
    for position, (slug, name, description) in enumerate(C7_SUB_LINES, start=1):
        if slug not in existing:
            code = "C7 " + slug.removeprefix("c7-")
            db.session.add(
                Community(
                    slug=slug,
                    code=code,
                    name=name,
                    description=description,
                    parent=c7,
                    position=c7.position + position,
                )
            )
            added += 1
    db.session.flush()
    return added
