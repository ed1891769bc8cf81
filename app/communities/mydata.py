"""What communities keeps of a member, for "Download my data" and account deletion: the communities
they follow, belong to and moderate (deleting the account ends all three)."""

from app.auth import mydata
from app.communities.models import Community, CommunityFollow, CommunityMember, CommunityModerator
from app.core import signals
from app.extensions import db


def _communities(user) -> dict:
    def slugs(model, **extra):
        rows = db.session.execute(
            db.select(Community.slug, *extra.values())
            .join(model, model.community_id == Community.id)
            .where(model.user_id == user.id)
        ).all()
        return [dict(zip(["community", *extra], row, strict=True)) for row in rows]

    return {
        "following": slugs(CommunityFollow, level=CommunityFollow.level),
        "member_of": slugs(CommunityMember),
        "moderator_of": slugs(CommunityModerator),
    }


def _forget(user, erase_text: bool) -> None:
    for model in (CommunityFollow, CommunityMember, CommunityModerator):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    signals.readers_changed.send(user, user_ids=[user.id])


def register() -> None:
    mydata.register_export("communities", _communities)
    mydata.register_erasure("communities", _forget)
