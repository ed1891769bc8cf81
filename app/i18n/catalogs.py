"""Compiled catalogs (`.mo`) are build output: compile the missing and stale ones when the app starts.

Without this, `python run.py` on a fresh checkout (no `make translations`) serves every language in
English. Each file is written to a temporary name and moved into place, so several processes starting
at once never read half a catalog.
"""

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)


def stale_catalogs(directory: Path) -> list[Path]:
    """The `.po` files under `directory` whose `.mo` is missing or older than them."""
    stale = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            stale.append(po_path)
    return stale


def compile_catalog(po_path: Path) -> None:
    """Write `po_path`'s `.mo` beside it, atomically."""
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog)
        os.replace(temporary, po_path.with_suffix(".mo"))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compile_stale_catalogs(directory: Path) -> list[str]:
    """Compile every missing or stale catalog under `directory`; the languages compiled."""
    compiled = []
    for po_path in stale_catalogs(directory):
        try:
            compile_catalog(po_path)
        except OSError as error:  # a read-only install: serve what is there, say why
            logger.warning("Cannot compile %s (%s): run `make translations`", po_path, error)
            continue
        compiled.append(po_path.parent.parent.name)
    if compiled:
        logger.info("Compiled translation catalogs: %s", ", ".join(compiled))
    return compiled
