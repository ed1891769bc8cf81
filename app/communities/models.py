"""Communities, their moderators (facilitators), members and followers."""

from app.core.time import utcnow
from app.extensions import db


class Community(db.Model):
    __tablename__ = "communities"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(64), nullable=False, unique=True)
    code = db.Column(db.String(32), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    parent_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    restricted = db.Column(db.Boolean, nullable=False, default=False)
    public_moderation_log = db.Column(db.Boolean, nullable=False, default=False)
    # Hold every new thread and reply of members for a moderator's approval.
    approve_new_posts = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    parent = db.relationship("Community", remote_side=[id], backref="children")

    def __repr__(self):
        return f"<Community {self.slug}>"

    @property
    def shows_code(self) -> bool:
        """A sub-line's name already starts with its action line ("C7 E-health"): its code is not repeated."""
        return self.parent_id is None

    def title(self) -> str:
        """The code, then the name in the page's language, as plain text ("C1 …", "C7 E-health")."""
        from app.i18n import translated

        name = translated(self.name)
        return f"{self.code} {name}" if self.shows_code else name

    def __str__(self):
        return self.slug

    @property
    def lineage_ids(self) -> list[int]:
        """This community's id and its parent's: a parent's moderators moderate sub-lines too."""
        return [self.id] + ([self.parent_id] if self.parent_id else [])

    @property
    def holds_new_posts(self) -> bool:
        """Whether members' new posts wait for approval: set here, or on the parent action line."""
        return self.approve_new_posts or self.approval_inherited

    @property
    def approval_inherited(self) -> bool:
        """Approval is on through the parent (C7 for its sub-lines), not by this community's own switch."""
        return not self.approve_new_posts and self.parent is not None and self.parent.approve_new_posts

    def can_read(self, user) -> bool:
        """Public communities are open to all; restricted ones to their members and moderators."""
        if not self.restricted:
            return True
        if not user.is_authenticated:
            return False
        return user.is_admin or user.moderates(self) or self.id in member_community_ids(user)

    def readers_clause(self, user_id):
        """SQL on a column of user ids: those who may read this community, as `can_read` says, so
        that a notice to thousands of followers is filtered in one statement."""
        if not self.restricted:
            return db.true()
        from app.auth.models import User

        return db.or_(
            user_id.in_(db.select(User.id).where(User.is_admin.is_(True))),
            user_id.in_(db.select(CommunityMember.user_id).where(CommunityMember.community_id == self.id)),
            user_id.in_(
                db.select(CommunityModerator.user_id).where(
                    CommunityModerator.community_id.in_(self.lineage_ids)
                )
            ),
        )

    def can_start_thread(self, user) -> bool:
        return user.is_authenticated and user.can_post() and self.can_read(user)

    def can_follow(self, user) -> bool:
        return user.is_authenticated and self.can_read(user)

    def can_moderate(self, user) -> bool:
        return user.is_authenticated and user.moderates(self)


class CommunityModerator(db.Model):
    """A facilitator of a community (role: moderator of that community)."""

    __tablename__ = "community_moderators"

    community_id = db.Column(
        db.Integer, db.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class CommunityMember(db.Model):
    """Explicit access to a restricted community."""

    __tablename__ = "community_members"

    community_id = db.Column(
        db.Integer, db.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


# How closely a member follows a community. "normal" is no row at all.
COMMUNITY_LEVELS = ("watching", "new_threads", "tracking", "normal", "muted")


class CommunityFollow(db.Model):
    """A member's watch level on a community: watching (told of every post), new_threads (told of
    each new thread: a plain "follow"), tracking (its threads' unread counted, no notification) or
    muted (left out of New, Unread and the home page's counts, never notified)."""

    __tablename__ = "community_follows"

    community_id = db.Column(
        db.Integer, db.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    level = db.Column(db.String(12), nullable=False, default="new_threads", server_default="new_threads")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.CheckConstraint("level in ('watching', 'new_threads', 'tracking', 'muted')", name="level"),
    )


def member_community_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_member_ids", None)
    if cached is None:
        rows = db.session.execute(
            db.select(CommunityMember.community_id).filter_by(user_id=user.id)
        ).scalars()
        cached = user._member_ids = set(rows)
    return cached


def readable_community_ids_clause(user):
    """A SQL condition on Community.id: the communities `user` may read."""
    if user.is_authenticated and user.is_admin:
        return db.true()
    allowed = set()
    if user.is_authenticated:
        moderated = user.moderated_community_ids
        allowed = member_community_ids(user) | moderated
        if moderated:  # and their sub-communities (asked only of moderators: lists ask this per query)
            allowed |= set(
                db.session.execute(
                    db.select(Community.id).where(Community.parent_id.in_(moderated))
                ).scalars()
            )
    return db.or_(Community.restricted.is_(False), Community.id.in_(allowed))


def is_following(user, community) -> bool:
    """Told of the community's new threads (watching it, or following it for new threads)."""
    return watch_level(user, community) in ("watching", "new_threads")


def watch_level(user, community) -> str:
    if not user.is_authenticated:
        return "normal"
    row = db.session.get(CommunityFollow, (community.id, user.id))
    return row.level if row is not None else "normal"
