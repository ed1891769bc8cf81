"""CSV made for spreadsheet programs: UTF-8 with a byte-order mark (so Excel reads Arabic and Chinese),
one value per cell (a list joined with "; ", a mapping as "key: value" pairs), and a value a spreadsheet
would run as a formula prefixed with an apostrophe."""

import csv
import io
from collections.abc import Iterable

BYTE_ORDER_MARK = "\ufeff"
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def cell(value) -> str:
    """One cell's text, formulas defused."""
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    if isinstance(value, dict):
        return LIST_SEPARATOR.join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def csv_document(columns: list[str], rows: Iterable[dict]) -> str:
    """The rows (dicts of raw values by column) as a CSV document with a header line."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: cell(row.get(column)) for column in columns})
    return out.getvalue()
