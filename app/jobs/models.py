"""The job outbox: work to do after a commit, written in the transaction of the change."""

import json

from app.core.time import utcnow
from app.extensions import db


class Job(db.Model):
    """One deferred job. Deleted in the transaction that did its work; on failure it waits
    (`run_at`) and is tried again, until `failed_at` marks it given up."""

    __tablename__ = "jobs"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(64), nullable=False)
    payload_json = db.Column(db.Text, nullable=False, default="{}")
    run_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text, nullable=True)
    failed_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.Index("ix_jobs_due", "failed_at", "run_at", "id"),)

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_json or "{}")

    def __repr__(self):
        return f"<Job {self.id} {self.kind}>"
