"""Converting between the naive UTC the database stores and a consultation's local time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.i18n.seeded import N_

# City names people use that are not IANA zone names ("Europe/Geneva" is not one: Geneva keeps
# Zurich's time), mapped to the zone that holds their rules.
ALIASES = {"Europe/Geneva": "Europe/Zurich"}

# Places a consultation names its time after (`time_zone_label`: "Geneva time"), in the catalogs so that
# pages say it in the reader's language ("日内瓦时间", not "Geneva时间"): templates show the label through
# `|translated`, as they do the seeded communities' names. CLDR (Babel) cannot name them: it knows each
# zone's own city only (Europe/Zurich is "Zurich"), and Geneva has no zone. The UN's headquarters towns.
PLACE_NAMES = (N_("Geneva"), N_("New York"), N_("Vienna"), N_("Nairobi"))


def canonical_zone(name: str) -> str:
    name = (name or "").strip()
    return ALIASES.get(name, name)


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (aliases allowed), or UTC when the name is unknown."""
    try:
        return ZoneInfo(canonical_zone(name) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_valid_zone(name: str) -> bool:
    return canonical_zone(name) in available_timezones()


def to_local(value: datetime | None, tz_name: str) -> datetime | None:
    """Naive UTC -> aware local time in `tz_name`."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(zone(tz_name))


def to_utc(local: datetime, tz_name: str) -> datetime:
    """Naive local wall time in `tz_name` -> naive UTC (as stored)."""
    return local.replace(tzinfo=zone(tz_name)).astimezone(UTC).replace(tzinfo=None)


def local_minute(value: datetime, tz_name: str) -> datetime:
    """`value` (naive UTC) as local wall time truncated to the minute."""
    return to_local(value, tz_name).replace(second=0, microsecond=0, tzinfo=None)


def end_of_local_day(value: datetime, tz_name: str) -> datetime:
    """The naive UTC instant when the local day containing `value` ends."""
    local = to_local(value, tz_name).replace(tzinfo=None)
    midnight = datetime(local.year, local.month, local.day) + timedelta(days=1)
    return to_utc(midnight, tz_name)
