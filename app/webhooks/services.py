"""Webhooks: registering endpoints, writing deliveries in the change's transaction, sending them.

A domain declares its events (`register_event(name, label, describe)`, where `describe(object_id)`
returns the object's public JSON as a visitor may see it now, or None once it is gone) and calls
`emit(event, object_type, object_id)` from its services or signal subscribers, inside the
transaction: each active endpoint that wants the event gets a delivery row and a job. The job
sends, after the commit, every pending delivery of that endpoint and object up to its own, oldest
first (so a receiver sees an object's events in order), each signed:

    X-Majlis-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

A receiver checks the HMAC and refuses a `t` older than its replay window (five minutes is the
usual). A failed send is tried again by a later job, with growing waits (`retry_delay`); after
`WEBHOOK_DISABLE_AFTER` failures in a row the endpoint is disabled and the administrators told.
The payload is described when it is sent, not when the event happened: a post hidden meanwhile
goes out without its text.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import jobs
from app.core import audit
from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.notifications.services import notify_many
from app.webhooks.models import FAILED, PENDING, SENT, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

DELIVER_KIND = "webhook.deliver"
SIGNATURE_HEADER = "X-Majlis-Signature"
DISABLED_KIND = "webhook_disabled"


@dataclass(frozen=True)
class Event:
    name: str
    label: object
    object_type: str
    describe: Callable[[int], dict | None]


_events: dict[str, Event] = {}


def register_event(name: str, label, object_type: str, describe: Callable[[int], dict | None]) -> None:
    _events[name] = Event(name, label, object_type, describe)


def events() -> list[Event]:
    return sorted(_events.values(), key=lambda event: event.name)


# Endpoints -----------------------------------------------------------------------------------------


def _refuse_private(url: str) -> None:
    """An endpoint must be a public http(s) address: loopback, private, link-local and reserved
    addresses would let the site be used to reach its own network (unless WEBHOOK_ALLOW_PRIVATE)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_l("Give an http:// or https:// address."), field="url")
    if current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError):
        raise Refused(_l("That host name does not resolve."), field="url") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise Refused(_l("That address is on a private or local network."), field="url")


def add_endpoint(actor, url: str, wanted) -> WebhookEndpoint:
    url = (url or "").strip()
    wanted = [name for name in sorted(set(wanted or ())) if name in _events]
    if not wanted:
        raise Refused(_l("Choose at least one event."), field="events")
    _refuse_private(url)
    endpoint = WebhookEndpoint(
        url=url[:500], secret=secrets.token_hex(32), events=" ".join(wanted), created_by_id=actor.id
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        actor, "webhook.add", "webhook", endpoint.id, None, after={"url": endpoint.url, "events": wanted}
    )
    return endpoint


def remove_endpoint(endpoint: WebhookEndpoint, actor) -> None:
    audit.record(actor, "webhook.remove", "webhook", endpoint.id, None, before={"url": endpoint.url})
    db.session.delete(endpoint)
    db.session.flush()


def enable_endpoint(endpoint: WebhookEndpoint, actor) -> None:
    """Take a disabled endpoint back: its failures are forgotten and its pending deliveries go again."""
    endpoint.disabled_at = None
    endpoint.failures = 0
    pending = db.session.execute(
        db.select(WebhookDelivery.id).where(
            WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status.in_((PENDING, FAILED))
        )
    ).scalars()
    for delivery_id in pending:
        redeliver(db.session.get(WebhookDelivery, delivery_id))
    audit.record(actor, "webhook.enable", "webhook", endpoint.id, None)
    db.session.flush()


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a delivery again (an administrator asked, or its endpoint came back)."""
    delivery.status = PENDING
    db.session.flush()
    jobs.enqueue(DELIVER_KIND, delivery_id=delivery.id)


# Emitting ------------------------------------------------------------------------------------------


def emit(event: str, object_id: int) -> None:
    """A delivery for each active endpoint that wants `event`, in the current transaction."""
    if event not in _events:
        raise ValueError(f"unknown webhook event {event!r}")
    endpoints = db.session.execute(
        db.select(WebhookEndpoint).where(WebhookEndpoint.disabled_at.is_(None))
    ).scalars()
    for endpoint in endpoints:
        if event not in endpoint.event_set:
            continue
        delivery = WebhookDelivery(
            endpoint_id=endpoint.id, event=event, object_type=_events[event].object_type, object_id=object_id
        )
        db.session.add(delivery)
        db.session.flush()
        jobs.enqueue(DELIVER_KIND, delivery_id=delivery.id)


# Sending -------------------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _body(delivery: WebhookDelivery) -> bytes:
    event = _events.get(delivery.event)
    data = event.describe(delivery.object_id) if event else None
    return json.dumps(
        {
            "id": delivery.id,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat() + "Z",
            "object": {"type": delivery.object_type, "id": delivery.object_id},
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _send(delivery: WebhookDelivery) -> None:
    """POST one delivery; raise when the receiver did not take it (2xx)."""
    endpoint = delivery.endpoint
    _refuse_private(endpoint.url)  # again: a name may resolve elsewhere now
    body = _body(delivery)
    delivery.attempts += 1
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Majlis-Webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, body, int(time.time())),
        "X-Majlis-Event": delivery.event,
        "X-Majlis-Delivery": str(delivery.id),
    }
    try:
        answer = requests.post(
            endpoint.url, data=body, headers=headers, timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
            allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as error:
        delivery.response_code, delivery.last_error = None, str(error)[:500]
        raise DeliveryFailed(str(error)) from None
    delivery.response_code = answer.status_code
    if not 200 <= answer.status_code < 300:
        delivery.last_error = f"HTTP {answer.status_code}"
        raise DeliveryFailed(delivery.last_error)
    delivery.status, delivery.sent_at, delivery.last_error = SENT, utcnow(), None


class DeliveryFailed(Exception):
    pass


def _pending_of_object(delivery: WebhookDelivery, after: int = 0):
    """The object's deliveries to this endpoint still to send, oldest first."""
    return db.session.execute(
        db.select(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == delivery.endpoint_id,
            WebhookDelivery.object_type == delivery.object_type,
            WebhookDelivery.object_id == delivery.object_id,
            WebhookDelivery.status == PENDING,
            WebhookDelivery.id > after,
        )
        .order_by(WebhookDelivery.id)
    ).scalars()


def retry_delay(attempts: int) -> int:
    """Seconds before attempt `attempts + 1`: 10 s, 20 s, 40 s… up to six hours."""
    return min(10 * 2 ** (attempts - 1), 6 * 3600)


def deliver(delivery_id: int) -> None:
    """The job: send the object's pending deliveries to this endpoint in order, starting with this one.

    Only the object's oldest pending delivery sends (a later one's job leaves it to that chain), so a
    receiver gets an object's events in order. A failed attempt is recorded on the delivery and the
    endpoint in this job's own transaction (the job never raises for a receiver's failure): the
    delivery is asked again later with a new job (10 s, 20 s, 40 s…), or after
    WEBHOOK_MAX_ATTEMPTS it is marked failed and the chain goes on with the next one."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != PENDING or not delivery.endpoint.is_active:
        return
    first = next(iter(_pending_of_object(delivery)), None)
    if first is None or first.id != delivery.id:
        return
    endpoint = delivery.endpoint
    while delivery is not None:
        try:
            _send(delivery)
        except DeliveryFailed:
            if not _failed(delivery):
                return  # tried again later, the chain waits for it
        else:
            endpoint.failures = 0
        db.session.flush()
        if not endpoint.is_active:
            return
        delivery = next(iter(_pending_of_object(delivery, after=delivery.id)), None)


def _failed(delivery: WebhookDelivery) -> bool:
    """Count a failed attempt; True when the delivery is given up (the chain may go on)."""
    endpoint = delivery.endpoint
    endpoint.failures += 1
    if endpoint.is_active and endpoint.failures >= current_app.config["WEBHOOK_DISABLE_AFTER"]:
        endpoint.disabled_at = utcnow()
        _tell_administrators(endpoint)
        logger.warning("Webhook endpoint %s disabled after %d failures", endpoint.id, endpoint.failures)
    if delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = FAILED
        return True
    jobs.enqueue(DELIVER_KIND, delay=retry_delay(delivery.attempts), delivery_id=delivery.id)
    return False


def _tell_administrators(endpoint: WebhookEndpoint) -> None:
    users = Notification.user.property.mapper.class_  # the account model, without importing auth
    notify_many(
        db.select(users.id).where(users.is_admin.is_(True)), DISABLED_KIND,
        url=f"/admin/webhooks/{endpoint.id}", endpoint_url=endpoint.url, failures=endpoint.failures,
    )  # fmt: skip


def _describe_disabled(notification):
    return kinds.sentence(
        _("The webhook endpoint %(url)s was disabled after %(count)s failed deliveries in a row."),
        url=notification.data.get("endpoint_url", ""), count=notification.data.get("failures", 0),
    )  # fmt: skip


def _endpoint_name(endpoint_id, entry, viewer):
    """An endpoint in the audit log: its address (kept in the entry once it is removed)."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is not None:
        url = f"/admin/webhooks/{endpoint.id}" if WebhookEndpoint.can_manage(viewer) else None
        return audit.TargetName(endpoint.url, url)
    return audit.TargetName(
        (entry.before or {}).get("url") or (entry.after or {}).get("url") or f"#{endpoint_id}"
    )


def register(app) -> None:
    jobs.register(DELIVER_KIND, deliver)
    kinds.register(DISABLED_KIND, _describe_disabled)
    audit.register_target("webhook", _endpoint_name)
    audit.register_action("webhook.add", _l("%(actor)s registered the webhook endpoint %(target)s."))
    audit.register_action("webhook.remove", _l("%(actor)s removed the webhook endpoint %(target)s."))
    audit.register_action("webhook.enable", _l("%(actor)s enabled the webhook endpoint %(target)s again."))
