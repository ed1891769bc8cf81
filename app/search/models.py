"""The search outbox: changes to index, written in the same transaction as the change (DESIGN.md §2)."""

from app.core.time import utcnow
from app.extensions import db

UPSERT = "upsert"
DELETE = "delete"


class SearchOutbox(db.Model):
    """One entity to bring up to date in the index; deleted once a batch containing it is committed."""

    __tablename__ = "search_outbox"

    id = db.Column(db.Integer, primary_key=True)
    entity_type = db.Column(db.String(32), nullable=False)
    entity_id = db.Column(db.Integer, nullable=False)
    operation = db.Column(db.String(8), nullable=False, default=UPSERT)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.CheckConstraint("operation in ('upsert', 'delete')", name="operation"),)

    def __repr__(self):
        return f"<SearchOutbox {self.operation} {self.entity_type}:{self.entity_id}>"
