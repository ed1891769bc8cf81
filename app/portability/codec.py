"""Column values to JSON and back, chosen by the column's type (the file holds no Python objects)."""

import base64
import datetime as dt
from decimal import Decimal

from sqlalchemy import types


def to_json(value):
    """A JSON-safe form of a database value."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def from_json(column, value):
    """The database value for `column` from its JSON form."""
    if value is None:
        return None
    column_type = column.type
    if isinstance(column_type, types.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, types.Date):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, types.Time):
        return dt.time.fromisoformat(value)
    if isinstance(column_type, types.Numeric) and not isinstance(column_type, types.Float):
        return Decimal(value)
    if isinstance(column_type, types.LargeBinary):
        return base64.b64decode(value)
    return value
