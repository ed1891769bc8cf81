"""A meeting room of many members behind one address: members are limited per account, anonymous
traffic and sign-in per address, and an address in RATELIMIT_TRUSTED_NETWORKS not per address."""

import pytest

from tests.factories import Make
from tests.support.ratelimits import from_address, limited_app

VENUE = "198.51.100.10"  # the meeting venue's one NAT address


def _member_client(app, user, address=VENUE):
    client = from_address(app.test_client(), address)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _reply(client, thread, text):
    return client.post(f"/t/{thread.id}/reply", data={"body": text})


def test_fifty_members_behind_one_address_search_and_reply_with_the_default_limits(tmp_path, request):
    with limited_app(tmp_path, request) as app:  # RATELIMIT_SEARCH 60/minute, RATELIMIT_REPLY 30/minute
        make = Make(app)
        thread = make.thread()
        codes = []
        for number in range(50):
            member = _member_client(app, make.user(f"delegate{number}"))
            codes += [member.get("/search?q=telemedicine").status_code for _ in range(2)]
            codes.append(_reply(member, thread, f"Point {number} from the floor").status_code)
        assert 429 not in codes
        assert codes.count(302) == 50  # every reply was posted


def test_a_member_over_their_own_limit_waits_and_the_others_do_not(tmp_path, request):
    with limited_app(tmp_path, request, RATELIMIT_SEARCH="3/minute", RATELIMIT_REPLY="2/minute") as app:
        make = Make(app)
        thread = make.thread()
        eager = _member_client(app, make.user("eager"))
        calm = _member_client(app, make.user("calm"))
        assert [eager.get("/search?q=clinic").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert [_reply(eager, thread, f"again {n}").status_code for n in range(3)] == [302, 302, 429]
        assert calm.get("/search?q=clinic").status_code == 200
        assert _reply(calm, thread, "my first word").status_code == 302


def test_anonymous_visitors_are_still_limited_per_address(tmp_path, request):
    with limited_app(tmp_path, request, RATELIMIT_SEARCH="3/minute") as app:
        Make(app).thread()  # something to find
        first = from_address(app.test_client(), VENUE)
        second = from_address(app.test_client(), VENUE)
        elsewhere = from_address(app.test_client(), "203.0.113.9")
        codes = [client.get("/search?q=clinic").status_code for client in (first, second, first, second)]
        assert codes == [200, 200, 200, 429]
        assert elsewhere.get("/search?q=clinic").status_code == 200


def test_a_trusted_network_is_not_limited_per_address(tmp_path, request):
    with limited_app(
        tmp_path,
        request,
        RATELIMIT_SEARCH="3/minute",
        RATELIMIT_LOGIN="2/minute",
        RATELIMIT_LOGIN_ACCOUNT="3/15 minutes",
        RATELIMIT_TRUSTED_NETWORKS="10.20.0.0/16, 2001:db8::/32",
    ) as app:
        make = Make(app)
        make.thread()
        make.user("amina", password="the right password")
        for address in ("10.20.3.4", "2001:db8::7"):
            visitor = from_address(app.test_client(), address)
            assert {visitor.get("/search?q=clinic").status_code for _ in range(6)} == {200}
        # Sign-in from the venue: no per-address limit, but each account's own limit still holds.
        venue = from_address(app.test_client(), "10.20.3.4")
        for number in range(5):
            assert (
                venue.post("/auth/login", data={"username": f"x{number}", "password": "no"}).status_code
                == 400
            )
        for _ in range(3):
            assert venue.post("/auth/login", data={"username": "amina", "password": "no"}).status_code == 400
        assert venue.post("/auth/login", data={"username": "amina", "password": "no"}).status_code == 429
        # Members on a trusted network are still limited per account.
        member = _member_client(app, make.user("delegate"), address="10.20.3.4")
        assert [member.get("/search?q=clinic").status_code for _ in range(4)] == [200, 200, 200, 429]
        # An address outside the trusted networks is limited as before.
        outsider = from_address(app.test_client(), "10.21.0.1")
        assert [outsider.get("/search?q=clinic").status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_the_forwarded_address_is_the_client(tmp_path, request, proxies):
    with limited_app(tmp_path, request, RATELIMIT_SEARCH="2/minute", TRUSTED_PROXY_COUNT=proxies) as app:
        Make(app).thread()
        proxy = from_address(app.test_client(), "127.0.0.1")  # nginx on the same host

        def search(client_address):
            return proxy.get("/search?q=x", headers={"X-Forwarded-For": client_address}).status_code

        assert [search("203.0.113.1") for _ in range(2)] == [200, 200]
        # Believed only when a proxy is configured: then another client has its own limit; without one
        # the header is a client's own claim, and changing it does not escape the limit.
        assert search("203.0.113.2") == (200 if proxies else 429)
        assert search("203.0.113.1") == 429


def test_a_mistyped_trusted_network_stops_the_start(tmp_path, request):
    with pytest.raises(ValueError):
        with limited_app(tmp_path, request, RATELIMIT_TRUSTED_NETWORKS="10.20.0.0/33"):
            pass
