"""Helpers shared by the moderation tests: tree invariants and audit counts."""

from app.core.audit import AuditEntry
from app.discussions.models import Post, Thread, path_segment
from app.extensions import db


def audit_actions(app) -> list[tuple[str, str, int | None]]:
    """(action, target_type, target_id) of every audit row, oldest first."""
    with app.app_context():
        rows = db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id)).scalars()
        return [(row.action, row.target_type, row.target_id) for row in rows]


def thread_post_ids(app, thread_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.execute(
                db.select(Post.id).filter_by(thread_id=thread_id).order_by(Post.tree_path)
            ).scalars()
        )


def assert_tree_consistent(app, thread_id) -> None:
    """One opening post; every path is the parent's path plus the post's segment; counts match."""
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        posts = list(
            db.session.execute(
                db.select(Post).filter_by(thread_id=thread_id).order_by(Post.tree_path)
            ).scalars()
        )
        assert posts, "a thread keeps at least its opening post"
        by_id = {post.id: post for post in posts}
        openings = [post for post in posts if post.parent_id is None]
        assert openings == [posts[0]]
        assert posts[0].depth == 0 and posts[0].tree_path == path_segment(posts[0].id)
        for post in posts[1:]:
            parent = by_id.get(post.parent_id)
            assert parent is not None, f"{post} has a parent outside its thread"
            assert post.tree_path == parent.tree_path + "." + path_segment(post.id)
            assert post.depth == parent.depth + 1
        assert thread.post_count == len(posts)
        assert thread.last_activity_at == max(post.created_at for post in posts)
