"""Digests: once a day or once a week, at DIGEST_HOUR in each member's own time zone, one mail with
what happened in the groups they get "in the digest" (new threads in followed communities, replies
in followed threads, consultation deadlines of the coming week). Nothing is sent when there is
nothing to tell.

Each group's content comes from the domain that owns it (`register_section`). A member's digest for
a period is written in one transaction with `MailDigest.last_period`, so running `flask mail digests`
twice, or two runners at once, sends it once; a member's queries do not grow with the activity
(each section is one bounded query).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.core.background import WakeableLoop
from app.core.database import refresh_planner_statistics, writing
from app.core.time import utcnow
from app.extensions import db
from app.mail import send_to_user, site_url, unsubscribe_headers
from app.notifications import kinds
from app.notifications.mail import DIGEST_GROUP, preferences_of, unsubscribe_token
from app.notifications.models import DAILY, DIGEST, NEVER, WEEKLY, MailDigest, Notification

logger = logging.getLogger(__name__)

# How often the embedded scheduler refreshes the database's planner statistics.
STATISTICS_EVERY_S = 3600
WINDOWS = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}


@dataclass(frozen=True)
class Section:
    """One group's part of a digest: `load(user, since, until) -> list` (empty: nothing to tell),
    shown with `templates/<template>.html` and `.txt` (each gets `items`)."""

    group: str
    load: Callable
    template: str
    position: int


_sections: dict[str, Section] = {}
_periodic: list[Callable] = []


def register_section(group: str, load: Callable, template: str, position: int) -> None:
    if kinds.mail_group(group) is None:
        raise ValueError(f"unknown mail group {group!r}")
    _sections[group] = Section(group, load, template, position)


def digestible(group: str) -> bool:
    return group in _sections


def register_periodic(send_due: Callable) -> None:
    """`send_due(now) -> int` runs with the digests (a domain's reminders); it commits its own work,
    one reminder at a time, and must send each thing once however often it runs."""
    _periodic.append(send_due)


def run_scheduled(now: datetime | None = None) -> int:
    """The digests that are due, then every registered reminder pass; returns how many mails were written."""
    now = now or utcnow()
    # Each member's transaction reads, then writes: on SQLite it takes the write lock from its start
    # (and waits for it), instead of failing to upgrade a read while the site's requests write.
    with writing():
        sent = send_due_digests(now)
        for send_due in _periodic:
            try:
                sent += send_due(now)
            except Exception:
                db.session.rollback()
                logger.exception(
                    "Scheduled mail %s failed; it runs again at the next pass", send_due.__name__
                )
    return sent


# When a member's digest is due ---------------------------------------------------------------------


def _local_now(user, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.replace(tzinfo=UTC).astimezone(zone)


def period_due(user, frequency: str, now: datetime) -> str | None:
    """The period ("2026-12-07", or "2026-W50" for a weekly digest, in the member's own calendar)
    whose digest is due now, or None before DIGEST_HOUR (and before Monday's, for a weekly one)."""
    local = _local_now(user, now)
    if local.hour < current_app.config["DIGEST_HOUR"]:
        return None
    if frequency == DAILY:
        return local.date().isoformat()
    year, week, _weekday = local.isocalendar()
    return f"{year}-W{week:02d}"


def schedule_of(user_id: int) -> MailDigest:
    row = db.session.get(MailDigest, user_id)
    return row if row is not None else MailDigest(user_id=user_id, frequency=DAILY)


def set_frequency(user_id: int, frequency: str) -> None:
    row = db.session.get(MailDigest, user_id)
    if row is None:
        db.session.add(MailDigest(user_id=user_id, frequency=frequency))
    else:
        row.frequency = frequency
    db.session.flush()


# Sending ------------------------------------------------------------------------------------------


def send_due_digests(now: datetime | None = None) -> int:
    """`flask mail digests` and the embedded scheduler: every member whose digest period has come
    and was not sent yet gets it (or, with nothing to tell, gets nothing and the period is marked
    done). One transaction per member; returns how many digests were mailed."""
    now = now or utcnow()
    sent = 0
    for user_id in _candidates():
        try:
            sent += _digest_for(user_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("Digest for user %s failed; it is tried again at the next run", user_id)
    return sent


def _candidates() -> list[int]:
    """Members who may get a digest: a confirmed address and not "never" (no row: daily)."""
    users = Notification.user.property.mapper.class_
    never = db.select(MailDigest.user_id).where(MailDigest.frequency == NEVER)
    return (
        db.session.execute(
            db.select(users.id)
            .where(users.email_confirmed_at.is_not(None), users.id.not_in(never))
            .order_by(users.id)
        )
        .scalars()
        .all()
    )


def _digest_for(user_id: int, now: datetime) -> int:
    schedule = db.session.execute(
        db.select(MailDigest).where(MailDigest.user_id == user_id).with_for_update()
    ).scalar_one_or_none() or MailDigest(user_id=user_id, frequency=DAILY)
    user = db.session.get(Notification.user.property.mapper.class_, user_id)
    period = period_due(user, schedule.frequency, now)
    if period is None or schedule.last_period == period or not user.is_active:
        return 0
    since = max(schedule.last_sent_at or now - WINDOWS[schedule.frequency], now - WINDOWS[schedule.frequency])
    parts = _sections_for(user, since, now)
    schedule.last_period, schedule.last_sent_at = period, now
    if inspect(schedule).transient:
        db.session.add(schedule)
    if not parts:
        db.session.flush()
        return 0
    _send_digest(user, schedule.frequency, parts, since)
    db.session.flush()
    return 1


def _sections_for(user, since: datetime, until: datetime) -> list[tuple[Section, list]]:
    deliveries = preferences_of(user.id)
    parts = []
    for section in sorted(_sections.values(), key=lambda s: s.position):
        if deliveries.get(section.group) == DIGEST:
            items = section.load(user, since, until)
            if items:
                parts.append((section, items))
    return parts


def _send_digest(user, frequency: str, parts: list, since: datetime) -> None:
    unsubscribe = site_url("notifications.unsubscribe", token=unsubscribe_token(user.id, DIGEST_GROUP))
    subject = _l("Your daily digest") if frequency == DAILY else _l("Your weekly digest")
    send_to_user(
        user, subject, "notifications/mail/digest", category="digest", headers=unsubscribe_headers(unsubscribe),
        parts=[{"group": kinds.mail_group(section.group), "template": section.template, "items": items} for section, items in parts],
        since=since, unsubscribe_link=unsubscribe, settings_link=site_url("notifications.mail_settings"),
    )  # fmt: skip
    logger.info("Digest mailed to %s (%d sections)", user, len(parts))


# The embedded scheduler ----------------------------------------------------------------------------


class DigestScheduler(WakeableLoop):
    """In the embedded default, a daemon thread that sends due digests every few minutes."""

    def __init__(self, app):
        super().__init__("digests", self.run_once)
        self.app = app
        self._statistics_at: float | None = None

    def run_once(self) -> None:
        with self.app.app_context(), self.app.test_request_context("/"):
            try:
                run_scheduled()
                self._refresh_statistics_hourly()
            finally:
                db.session.remove()

    def _refresh_statistics_hourly(self) -> None:
        """The embedded default's database grows while it runs: its planner statistics are refreshed
        with this pass, at most once an hour (`flask prepare` refreshes them in a scale-out set-up)."""
        now = time.monotonic()
        if self._statistics_at is None or now - self._statistics_at >= STATISTICS_EVERY_S:
            self._statistics_at = now
            refresh_planner_statistics()
