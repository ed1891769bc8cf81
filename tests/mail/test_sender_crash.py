"""A sender killed in the middle of a batch: what it had sent stays sent, the rest goes out after a
restart, and no message arrives twice."""

import subprocess
import sys
import time

from app.extensions import db
from app.mail import ACCOUNT, send_mail
from app.mail.models import MailMessage
from tests.support.database import is_postgres
from tests.support.live import ROOT
from tests.support.mail import SmtpSink


def _worker(shared_app, schema, port, log):
    command = [sys.executable, "-m", "tests.support.job_worker",
               "--directory", str(shared_app.database_directory), "--mail-port", str(port)]  # fmt: skip
    if schema:
        command += ["--schema", schema]
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _statuses(app):
    with app.app_context():
        return db.session.execute(db.select(MailMessage.status).order_by(MailMessage.id)).scalars().all()


def test_a_sender_killed_mid_batch_loses_nothing_and_sends_nothing_twice(app, shared_app, request, tmp_path):
    schema = request.getfixturevalue("postgres_session_schema") if is_postgres() else None
    app.extensions["majlis_jobs"].mode = "worker"  # the test process sends nothing itself
    with app.app_context():
        for number in range(6):
            send_mail(f"member{number}@example.org", f"Message {number}", "mail/test", category=ACCOUNT)
        db.session.commit()
        message_ids = (
            db.session.execute(db.select(MailMessage.message_id).order_by(MailMessage.id)).scalars().all()
        )
    sink = SmtpSink(tmp_path / "mailbox").start("--rcpt-delay", "0.6")  # slow: the kill lands mid-message
    with (tmp_path / "worker.log").open("ab") as log:
        received = _kill_then_restart(shared_app, schema, sink, log, app)
    assert sorted(message["Message-ID"] for message in received) == sorted(message_ids)
    assert _statuses(app) == ["sent"] * 6


def _kill_then_restart(shared_app, schema, sink, log, app):
    """Kill the first worker once two messages arrived (the third is waiting on the slow server),
    start another, and return everything the server received."""
    first = _worker(shared_app, schema, sink.port, log)
    try:
        sink.wait_for(2, timeout=30)
        # The server has the second message a moment before the worker records it as sent; the kill
        # is meant for the third, which waits 0.6 s at RCPT: give the second's commit that moment.
        time.sleep(0.2)
        first.kill()
        first.wait(10)
        sent_before_restart = len(sink.messages())
        assert 2 <= sent_before_restart < 6
        assert _statuses(app).count("sent") == sent_before_restart
        second = _worker(shared_app, schema, sink.port, log)
        try:
            sink.wait_for(6, timeout=30)
            time.sleep(1.5)  # anything sent twice would have arrived by now
            received = sink.messages()
        finally:
            second.kill()
            second.wait(10)
    finally:
        first.kill()
        first.wait(10)
        sink.stop()
    return received
