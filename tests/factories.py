"""Factory helpers that create rows in their own app context and return usable objects."""

import itertools

from app.auth.models import User
from app.communities.models import Community, CommunityMember, CommunityModerator
from app.discussions import services as discussion_services
from app.discussions.models import Post, Thread
from app.extensions import db

_counter = itertools.count(1)


class Factories:
    def __init__(self, app):
        self.app = app

    def _session(self):
        session = db.session()
        session.expire_on_commit = False
        return session

    def user(self, username=None, password="correct horse battery", **fields) -> User:
        with self.app.app_context():
            session = self._session()
            number = next(_counter)
            user = User(
                username=username or f"user{number}",
                email=fields.pop("email", None) or f"{username or 'user' + str(number)}@example.org",
                display_name=fields.pop("display_name", "") or "",
                **fields,
            )
            user.set_password(password)
            session.add(user)
            session.commit()
            return user

    def admin(self, username=None, **fields) -> User:
        return self.user(username=username, is_admin=True, **fields)

    def community(self, slug="c7-e-health") -> Community:
        with self.app.app_context():
            self._session()
            return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()

    def restricted_community(self, slug="closed-room") -> Community:
        with self.app.app_context():
            session = self._session()
            community = Community(slug=slug, code="X1", name="Closed room", restricted=True, position=999)
            session.add(community)
            session.commit()
            return community

    def moderator(self, community_slug="c7-e-health", username=None) -> User:
        user = self.user(username=username)
        with self.app.app_context():
            session = self._session()
            community = session.execute(db.select(Community).filter_by(slug=community_slug)).scalar_one()
            session.add(CommunityModerator(community_id=community.id, user_id=user.id))
            session.commit()
        return user

    def member_of(self, community, user) -> None:
        with self.app.app_context():
            session = self._session()
            session.add(CommunityMember(community_id=community.id, user_id=user.id))
            session.commit()

    def thread(
        self,
        community_slug="c7-e-health",
        author=None,
        title="Telemedicine in rural clinics",
        body="How do we connect rural clinics?",
    ) -> Thread:
        author = author or self.user()
        with self.app.app_context():
            session = self._session()
            community = session.execute(db.select(Community).filter_by(slug=community_slug)).scalar_one()
            thread = discussion_services.start_thread(community, session.merge(author), title, body)
            session.commit()
            return thread

    def reply(self, thread, author=None, parent=None, body="I agree with this point.") -> Post:
        author = author or self.user()
        with self.app.app_context():
            session = self._session()
            thread_row = session.get(Thread, thread.id)
            parent_row = session.get(Post, parent.id) if parent is not None else None
            post = discussion_services.reply(thread_row, session.merge(author), body, parent=parent_row)
            session.commit()
            return post

    def opening_post(self, thread) -> Post:
        with self.app.app_context():
            self._session()
            return discussion_services.opening_post(db.session.get(Thread, thread.id))

    def get(self, model, object_id):
        """A fresh copy of a row, read in its own context."""
        with self.app.app_context():
            self._session()
            return db.session.get(model, object_id)
