"""The mail outbox: a message leaves only for a committed change, once, over real SMTP or as an .eml file."""

from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import Job
from app.mail import ACCOUNT, send_mail, send_to_user, unsubscribe_headers
from app.mail.models import MailMessage
from tests.support.mail import SmtpSink, html_of, outbox, text_of


def _send(app, to="amina@example.org", commit=True, **options):
    with app.app_context():
        send_mail(to, "A test", "mail/test", category=ACCOUNT, **options)
        if commit:
            db.session.commit()
        else:
            db.session.rollback()


def _rows(app):
    with app.app_context():
        return db.session.execute(db.select(MailMessage).order_by(MailMessage.id)).scalars().all()


def _make_due(app):
    with app.app_context():
        db.session.execute(db.update(Job).values(run_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


@pytest.fixture
def sink(tmp_path):
    server = SmtpSink(tmp_path / "mailbox").start()
    yield server
    server.stop()


def test_without_a_mail_server_a_committed_message_is_an_eml_file_with_text_and_html(app):
    _send(app)
    (message,) = outbox(app)
    assert message["To"] == "amina@example.org" and message["Subject"] == "A test"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"].endswith("@127.0.0.1>")
    assert "This is a test message from Majlis" in text_of(message)
    assert '<html lang="en" dir="ltr">' in html_of(message)
    assert [row.status for row in _rows(app)] == ["sent"]


def test_a_rolled_back_change_sends_nothing(app):
    _send(app, commit=False)
    assert outbox(app) == [] and _rows(app) == []


def test_a_message_is_written_in_the_recipients_language_and_direction(app, make):
    reader = make.user(locale="ar")
    with app.app_context():
        send_to_user(db.session.get(type(reader), reader.id), "subject", "mail/test", category=ACCOUNT)
        db.session.commit()
    (message,) = outbox(app)
    assert '<html lang="ar" dir="rtl">' in html_of(message)


def test_mail_that_is_not_about_the_account_must_offer_one_click_unsubscribe(app):
    with app.app_context(), pytest.raises(ValueError, match="List-Unsubscribe"):
        send_mail("a@example.org", "News", "mail/test", category="digest")
    with app.app_context():
        send_mail(
            "a@example.org", "News", "mail/test", category="digest",
            headers=unsubscribe_headers("http://127.0.0.1:5000/mail/unsubscribe/x"),
        )  # fmt: skip
        db.session.commit()
    (message,) = outbox(app)
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:5000/mail/unsubscribe/x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_real_smtp_server_receives_the_message_once(app, sink):
    sink.configure(app)
    _send(app)
    (received,) = sink.wait_for(1)
    (row,) = _rows(app)
    assert received["Message-ID"] == row.message_id and row.status == "sent" and row.sent_at is not None
    assert outbox(app) == []  # no .eml file when a server is configured
    app.extensions["majlis_jobs"].run_due()
    assert len(sink.messages()) == 1


def test_smtp_server_down_then_up_the_message_is_delivered_once(app, tmp_path):
    sink = SmtpSink(tmp_path / "mailbox")
    sink.configure(app)
    _send(app)  # nothing listens: the job fails and waits
    (row,) = _rows(app)
    assert row.status == "queued"
    with app.app_context():
        (job,) = db.session.execute(db.select(Job)).scalars().all()
        assert job.attempts == 1 and "Connection refused" in job.last_error and job.failed_at is None
    sink.start()
    try:
        _make_due(app)
        app.extensions["majlis_jobs"].run_due()
        (received,) = sink.wait_for(1)
        assert received["Message-ID"] == row.message_id
        assert [r.status for r in _rows(app)] == ["sent"]
        _make_due(app)
        app.extensions["majlis_jobs"].run_due()
        assert len(sink.messages()) == 1
    finally:
        sink.stop()


def test_a_refused_recipient_is_recorded_as_a_permanent_failure_and_not_retried(app, tmp_path):
    sink = SmtpSink(tmp_path / "mailbox").start("--refuse-rcpt", "550")
    try:
        sink.configure(app)
        _send(app)
        (row,) = _rows(app)
        assert row.status == "failed" and "550" in row.last_error
        with app.app_context():
            assert db.session.execute(db.select(Job)).scalars().all() == []
        status = app.test_cli_runner().invoke(args=["mail", "status"]).output
        assert "1 failed" in status and "amina@example.org" in status
    finally:
        sink.stop()


def test_retries_used_up_mark_the_message_failed(app, tmp_path):
    SmtpSink(tmp_path / "mailbox").configure(app)  # never started
    from app.jobs import queue

    saved = queue._max_attempts["mail.deliver"]
    queue._max_attempts["mail.deliver"] = 2
    try:
        _send(app)
        _make_due(app)
        app.extensions["majlis_jobs"].run_due()
        (row,) = _rows(app)
        assert row.status == "failed" and "Connection refused" in row.last_error
    finally:
        queue._max_attempts["mail.deliver"] = saved


def test_flask_mail_send_test_writes_a_test_message(app):
    output = app.test_cli_runner().invoke(args=["mail", "send-test", "admin@example.org"]).output
    assert "queued" in output
    (message,) = outbox(app)
    assert message["To"] == "admin@example.org" and "Mail from the site reaches this address" in text_of(
        message
    )
