"""A six-language fixture: ten real sentences per language about the information society."""

CORPUS = {
    "ar": [
        "يساهم مجتمع المعلومات في التنمية المستدامة",
        "المُجْتَمَعَاتُ المَحَلِّيَّةُ تُشارك في المشاورة العامة",
        "نناقش إدارة الإنترنت مع جميع أصحاب المصلحة",
        "الحكومة الإلكترونية تخدم المواطنين في القرى",
        "مكتبة رقمية مفتوحة للطلاب والمعلمين",
        "الأمن السيبراني وحماية البيانات الشخصية",
        "التعليـــم عن بعد يحتاج إلى شبكات سريعة",
        "يجب التسجيل أولاً قبل المشاورات",
        "مستشفى على الانترنت يقدم الطب عن بعد",
        "بالمعلومات نبني مستقبلا أفضل",
    ],
    "zh": [
        "信息社会的发展需要数字包容",
        "我们在社区论坛上讨论互联网治理",
        "公众咨询邀请所有利益相关方参与",
        "电子政务让政府服务更加透明",
        "远程医疗可以帮助农村地区的居民",
        "数字鸿沟仍然是发展中国家面临的挑战",
        "网络安全和个人数据保护同样重要",
        "开放教育资源支持终身学习",
        "多语言内容丰富了信息社会",
        "社区图书馆为青年提供互联网接入",
    ],
    "en": [
        "The information society needs inclusive policies for every community.",
        "Communities of practice shared their experiences during the consultation.",
        "Public consultations give stakeholders a voice in internet governance.",
        "Broadband infrastructure connects rural schools and clinics.",
        "Telemedicine helps doctors reach patients in remote villages.",
        "Digital literacy programmes train teachers and librarians.",
        "Cybersecurity and the protection of personal data build confidence.",
        "Open data portals make government spending transparent.",
        "Local content in many languages enriches the internet.",
        "Young people are running online campaigns about climate change.",
    ],
    "fr": [
        "La société de l'information doit être inclusive pour toutes les communautés.",
        "Les consultations publiques donnent la parole aux citoyens.",
        "Les données ouvertes améliorent la transparence des administrations.",
        "L'accès à Internet reste difficile dans les régions rurales.",
        "Les élèves apprennent à programmer grâce aux ressources numériques.",
        "La cybersécurité protège les données personnelles des utilisateurs.",
        "Les bibliothèques publiques offrent un accès gratuit au réseau.",
        "Nous avons participé à la consultation sur la gouvernance de l'Internet.",
        "Les médias communautaires renforcent la diversité culturelle.",
        "La télémédecine rapproche les médecins des patients isolés.",
    ],
    "es": [
        "La sociedad de la información necesita políticas inclusivas.",
        "Las comunidades indígenas participaron en la consulta pública.",
        "El acceso a la banda ancha sigue siendo caro en zonas rurales.",
        "Los jóvenes aprenden programación en centros comunitarios.",
        "La educación a distancia requiere conexiones estables.",
        "Los gobiernos publican datos abiertos sobre el presupuesto.",
        "La telemedicina llega a las comunidades más remotas.",
        "Protegemos la privacidad de los datos personales.",
        "Las bibliotecas digitales preservan el patrimonio cultural.",
        "Los periodistas defienden la libertad de prensa en internet.",
    ],
    "ru": [
        "Информационное общество должно быть открытым для всех.",
        "Сообщества практиков обсуждают цифровую грамотность.",
        "Общественные консультации помогают принимать решения.",
        "Мы ещё не подключили сельские школы к интернету.",
        "Защита персональных данных важна для доверия.",
        "Электронное правительство упрощает получение услуг.",
        "Библиотеки предоставляют бесплатный доступ к знаниям.",
        "В обществе растёт интерес к цифровым навыкам.",
        "Консультация с гражданами прошла в сообществе.",
        "Всё больше людей учатся онлайн.",
    ],
}

LANGUAGES = list(CORPUS)


def doc_id(language: str, number: int) -> int:
    """Documents are numbered 1-60: ar 1-10, zh 11-20, en 21-30, fr 31-40, es 41-50, ru 51-60."""
    return LANGUAGES.index(language) * 10 + number
