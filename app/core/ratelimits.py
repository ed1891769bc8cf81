"""Who a rate limit counts: a signed-in member per account, anyone else per client address.

A meeting room of 200 participants behind one NAT address must not share one search or reply budget,
so members are counted per account. Per-address limits (anonymous traffic, sign-in and registration)
do not apply to addresses in RATELIMIT_TRUSTED_NETWORKS. Behind nginx, TRUSTED_PROXY_COUNT tells
werkzeug's ProxyFix how many X-Forwarded-For hops to believe; with 0 the header is ignored, so a
client cannot pick its own address.
"""

import ipaddress

from flask import Flask, current_app, request
from flask_login import current_user
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Check the trusted networks at start (a typo fails loudly) and believe the proxies in front."""
    app.extensions["ratelimit_trusted_networks"] = parse_networks(app.config["RATELIMIT_TRUSTED_NETWORKS"])
    proxies = int(app.config["TRUSTED_PROXY_COUNT"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def parse_networks(value) -> tuple:
    """CIDR networks from a comma- or space-separated string (or a list); a bare address is a /32 or /128."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items)


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For when TRUSTED_PROXY_COUNT says whom to believe)."""
    return request.remote_addr or "unknown"


def from_trusted_network() -> bool:
    """Whether the client address is in RATELIMIT_TRUSTED_NETWORKS (a proxy or NAT many people share)."""
    networks = current_app.extensions.get("ratelimit_trusted_networks", ())
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_address())
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def member_or_address() -> str:
    """The limiter's key: the signed-in member's account, else the client address."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"address:{client_address()}"


def anonymous_from_trusted_network() -> bool:
    """`exempt_when` of a per-member limit: anonymous traffic from a trusted network is not limited."""
    return not current_user.is_authenticated and from_trusted_network()


def per_member(limit_value, **options):
    """A limit counted per signed-in member, and per client address for anyone else."""
    from app.extensions import limiter

    return limiter.limit(
        limit_value, key_func=member_or_address, exempt_when=anonymous_from_trusted_network, **options
    )


def per_address(limit_value, **options):
    """A limit counted per client address, whoever is signed in (sign-in, registration)."""
    from app.extensions import limiter

    return limiter.limit(limit_value, key_func=client_address, exempt_when=from_trusted_network, **options)


def hits_left(limit_value: str, key: str, scope: str) -> int:
    """How many hits a `shared_limit` of this value and scope has left for `key` in its current window."""
    from app.extensions import limiter

    item = parse(limit_value)
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    identifiers = [prefix, key, scope] if prefix else [key, scope]
    return limiter.limiter.get_window_stats(item, *identifiers).remaining
