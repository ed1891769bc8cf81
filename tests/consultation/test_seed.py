"""`flask seed-demo` creates the WSIS Forum 2017 process and a live consultation, once."""

from datetime import datetime

from app.auth.models import User
from app.consultation.models import Consultation, Contribution, Meeting, Phase
from app.consultation.seed import LIVE_SLUG, WSIS2017_SLUG, seed_demo
from app.consultation.timezones import to_local
from app.core.audit import AuditEntry
from app.extensions import db


def _counts():
    return {
        model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
        for model in (Consultation, Phase, Meeting, Contribution, User, AuditEntry)
    }


def test_seed_is_idempotent(ctx):
    assert seed_demo(now=datetime(2026, 11, 27, 12)) == {WSIS2017_SLUG: True, LIVE_SLUG: True}
    db.session.commit()
    first = _counts()
    assert seed_demo(now=datetime(2026, 11, 28, 12)) == {WSIS2017_SLUG: False, LIVE_SLUG: False}
    db.session.commit()
    assert _counts() == first


def test_the_wsis_2017_process(ctx):
    seed_demo()
    wsis = db.session.execute(db.select(Consultation).filter_by(slug=WSIS2017_SLUG)).scalar_one()
    assert wsis.title == "WSIS Forum 2017 — Open Consultation Process"
    local = [to_local(phase.starts_at, wsis.time_zone) for phase in wsis.phases]
    assert [(d.year, d.month, d.day) for d in local] == [
        (2016, 9, 1), (2016, 10, 12), (2017, 2, 14), (2017, 2, 20), (2017, 3, 14), (2017, 5, 10)
    ]  # fmt: skip
    assert (local[1].hour, local[1].minute) == (16, 30)
    assert to_local(wsis.phases[1].ends_at, wsis.time_zone).hour == 18
    assert wsis.zone_name == "Geneva time"
    assert wsis.brief_published_at is not None and wsis.brief_sections
    assert wsis.submission_window(datetime(2017, 2, 20, 22, 59)) == "open"
    assert wsis.submission_window(datetime(2017, 2, 20, 23, 0)) == "closed"


def test_the_live_consultation_is_under_way(ctx):
    now = datetime(2026, 11, 27, 12)
    seed_demo(now=now)
    live = db.session.execute(db.select(Consultation).filter_by(slug=LIVE_SLUG)).scalar_one()
    assert live.accepts_submissions(now)
    statuses = [view.status for view in live.timeline(now)]
    assert "current" in statuses and "past" in statuses and "upcoming" in statuses


def test_cli(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "wsis-forum-2017: created" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "wsis-forum-2017: already there" in again.output


def test_seeded_pages_render(app, runner):
    runner.invoke(args=["seed-demo"])
    client = app.test_client()
    for url in ("/consultations", "/consultations/wsis-forum-2017", "/consultations/wsis-forum-live",
                "/consultations/wsis-forum-2017/brief", "/consultations/wsis-forum-2017/contributions",
                "/consultations/wsis-forum-2017/meetings/1"):  # fmt: skip
        assert client.get(url).status_code == 200, url
