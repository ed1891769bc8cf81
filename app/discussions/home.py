"""What discussions puts on the home page: for a signed-in member, the threads they follow with
something new, and per community how many threads have something new to them (muted ones left out);
for an administrator of a site with no thread yet, what to do next."""

from app.communities import home
from app.discussions import reading
from app.discussions.models import Thread
from app.extensions import db

FOLLOWED_SHOWN = 5


def _for_you(viewer):
    if not viewer.is_authenticated:
        return None
    if viewer.is_admin and db.session.execute(db.select(Thread.id).limit(1)).first() is None:
        return {"empty_site": True, "threads": [], "unread": {}}
    overview = reading.overview(viewer)
    shown = overview.tracked_ids[:FOLLOWED_SHOWN]
    by_id = {
        thread.id: thread
        for thread in db.session.execute(db.select(Thread).where(Thread.id.in_(shown))).scalars()
    }
    threads = [by_id[thread_id] for thread_id in shown if thread_id in by_id]
    unread = reading.unread_counts(viewer, shown)
    return {"empty_site": False, "threads": threads, "unread": unread, "new_count": overview.new_count}


def register() -> None:
    home.register_section("for_you", "discussions/_home_for_you.html", _for_you, position=20)
    home.register_member_counts(reading.new_by_community)
