"""Shared helpers for the translation tests: where the catalogs are, and compiling them when stale."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
TEMPLATES = ROOT / "templates"
LANGUAGES = ["ar", "zh", "fr", "ru", "es"]
EXPECTED_PLURALS = {"ar": 6, "ru": 3, "zh": 1}


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def load_catalog(language: str):
    with open(po_path(language), "rb") as handle:
        return read_po(handle, locale=language)


def ensure_compiled() -> None:
    """Compile any .po whose .mo is missing or older, as `make translations` does."""
    for language in LANGUAGES:
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run(
                [sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-d", str(TRANSLATIONS)],
                check=True,
                cwd=ROOT,
            )
            return
