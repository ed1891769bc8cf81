"""Time helpers: the database stores naive UTC datetimes."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current UTC time as a naive datetime (how every timestamp column stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat(value: datetime | None) -> str | None:
    """A naive-UTC datetime as an ISO 8601 string with Z, JSON-safe."""
    return value.isoformat(timespec="seconds") + "Z" if value else None
