"""The languages Majlis speaks, each named in itself (for the switcher and post language menus)."""

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "en": "English",
    "ar": "العربية",
    "zh": "中文",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
