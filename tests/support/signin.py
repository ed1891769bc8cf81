"""Sign a test client in as one of the people of `make.moderation_world()`, by role."""

from app.auth.models import User
from app.extensions import db


def login_as(client, app, role, world) -> None:
    """Sign `client` in as `world[role]` (a user id); "anonymous" leaves it signed out."""
    if role == "anonymous":
        return
    with app.app_context():
        session_id = db.session.get(User, world[role]).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
