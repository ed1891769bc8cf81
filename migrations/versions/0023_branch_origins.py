"""branch origins: where a merged thread's posts begin, and the thread a split branch came from

Issue 20. A thread page marks "merged from «title»" on the opening post of a thread merged into it
(`posts.merged_from_thread_id`) and "split from «title»" on a thread split off another
(`threads.split_from_thread_id`). Merges and splits made before are found in their audit rows.

The columns are added in place (no batch copy): on SQLite, copying `threads` would drop the table,
and with foreign keys on, dropping it deletes every post through their cascade. For the same reason a
downgrade on SQLite leaves them.

Revision ID: 0023_branch_origins
Revises: 0022_oidc_links
Create Date: 2026-12-07 23:10:00

"""

import json

from alembic import op
import sqlalchemy as sa


revision = "0023_branch_origins"
down_revision = "0022_oidc_links"
branch_labels = None
depends_on = None


COLUMNS = (("posts", "merged_from_thread_id"), ("threads", "split_from_thread_id"))


def upgrade():
    connection = op.get_bind()
    existing = sa.inspect(connection)
    for table, column in COLUMNS:
        if column in {c["name"] for c in existing.get_columns(table)}:
            continue  # kept by a downgrade on SQLite
        name = f"fk_{table}_{column}_threads"
        if connection.dialect.name == "sqlite":  # a column's own REFERENCES clause: no table copy
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES threads (id)"
            )
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(name), table, "threads", [column], ["id"])
    _origins_from_the_audit_log()


def _origins_from_the_audit_log():
    """Earlier merges: the moved post of least depth opened the merged thread. Earlier splits: the
    entry names the new thread."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "select action, target_id, after_json from audit_entries "
            "where action in ('merge_thread', 'split_thread') and target_type = 'thread' order by id"
        )
    ).all()
    for action, thread_id, after_json in rows:
        after = json.loads(after_json or "{}")
        if action == "merge_thread" and after.get("posts"):
            opening = connection.execute(
                sa.select(sa.column("id"))
                .select_from(sa.table("posts", sa.column("id"), sa.column("depth")))
                .where(sa.column("id").in_([int(post_id) for post_id in after["posts"]]))
                .order_by(sa.column("depth"), sa.column("id"))
                .limit(1)
            ).scalar()
            if opening is not None:
                connection.execute(
                    sa.text("update posts set merged_from_thread_id = :thread where id = :post"),
                    {"thread": thread_id, "post": opening},
                )
        elif action == "split_thread" and after.get("thread"):
            connection.execute(
                sa.text(
                    "update threads set split_from_thread_id = :old where id = :new and exists "
                    "(select 1 from threads where id = :old)"
                ),
                {"old": thread_id, "new": int(after["thread"])},
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column with a foreign key only by copying the table, and dropping the old
        # `threads` or `posts` deletes rows through their cascades: the two nullable columns stay.
        return
    for table, column in reversed(COLUMNS):
        op.drop_constraint(op.f(f"fk_{table}_{column}_threads"), table, type_="foreignkey")
        op.drop_column(table, column)
