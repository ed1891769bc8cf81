"""Reply by email: a signed reply address, an SMTP reply that becomes a post through the reply
service, and every refusal answered by mail; auto-replies dropped, no message posted twice."""

import smtplib
import subprocess
import sys
from email.message import EmailMessage

import pytest

from app.discussions.models import Post
from app.extensions import db
from app.mail import inbound, receiver
from tests.support.live import ROOT, free_port
from tests.support.mail import outbox, text_of, to

DOMAIN = "reply.majlis.test"


@pytest.fixture(autouse=True)
def _reply_domain(app):
    app.config.update(MAIL_REPLY_DOMAIN=DOMAIN, MAIL_BATCH_SECONDS=0)


@pytest.fixture
def conversation(app, make):
    """Amina's thread, Samir's reply to it, and the notification mail Amina got (with its reply address)."""
    amina = make.user("amina")
    thread = make.thread(author=amina, title="Rural broadband")
    samir_post = make.reply(
        thread, author=make.user("samir"), parent=make.opening_post(thread), body="Satellite first?"
    )
    (mail,) = to(outbox(app), "amina@example.org")
    return amina, thread, samir_post, mail


def _reply_to(
    mail,
    body="Thanks, fibre first.\n\nBest,\nAmina\n-- \nAmina D.\nMinistry",
    sender="amina@example.org",
    **headers,
):
    message = EmailMessage()
    message["From"], message["To"] = sender, mail["Reply-To"]
    message["Subject"] = "Re: " + mail["Subject"]
    message["Message-ID"] = headers.pop("message_id", "<reply-1@mail.example.org>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    quoted = "\n".join("> " + line for line in text_of(mail).splitlines())
    message.set_content(
        f"{body}\n\nOn Mon, 7 Dec 2026 at 10:00, Majlis <noreply@localhost> wrote:\n{quoted}\n"
    )
    return message


def _receive(app, message):
    with app.app_context(), app.test_request_context("/"):
        return inbound.receive(bytes(message))


def _posts(app, thread):
    with app.app_context():
        return (
            db.session.execute(db.select(Post).filter_by(thread_id=thread.id).order_by(Post.id))
            .scalars()
            .all()
        )


def _refusal(app, address="amina@example.org"):
    (answer,) = [m for m in to(outbox(app), address) if m["Subject"].startswith("Not posted")]
    return text_of(answer)


def test_the_notification_mail_carries_a_signed_lower_case_reply_address(app, conversation):
    amina, thread, samir_post, mail = conversation
    address = mail["Reply-To"]
    local = address.split("@")[0]
    assert address.endswith("@" + DOMAIN) and local == local.lower() and len(local) <= 64
    with app.app_context():
        assert inbound.parse_reply_address(address) == (amina.id, thread.id, samir_post.id)
        assert inbound.parse_reply_address(address.replace("-", "-1", 1)) is None  # altered: refused
    assert "Reply to this mail to post your reply" in text_of(mail)


def test_a_reply_over_smtp_becomes_the_members_post_without_quote_or_signature(app, conversation):
    amina, thread, samir_post, mail = conversation
    port = free_port()
    controller = receiver.start(app, "127.0.0.1", port)
    try:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(_reply_to(mail))
            with pytest.raises(smtplib.SMTPRecipientsRefused):  # nothing but our reply addresses
                smtp.send_message(_reply_to(mail), to_addrs=["someone@elsewhere.example.org"])
    finally:
        controller.stop()
    post = _posts(app, thread)[-1]
    assert post.author_id == amina.id and post.parent_id == samir_post.id
    assert post.body_source == "Thanks, fibre first." and post.language == "en"


def test_a_message_delivered_twice_is_posted_once(app, conversation):
    _amina, thread, _post, mail = conversation
    before = len(_posts(app, thread))
    assert [_receive(app, _reply_to(mail)) for _ in range(2)] == ["posted", "duplicate"]
    assert len(_posts(app, thread)) == before + 1


def test_an_arabic_reply_is_recorded_as_arabic(app, conversation):
    _amina, thread, _post, mail = conversation
    assert _receive(app, _reply_to(mail, body="شكرا، الألياف أولا.")) == "posted"
    assert _posts(app, thread)[-1].language == "ar"


def test_auto_replies_are_dropped_silently(app, conversation):
    _amina, thread, _post, mail = conversation
    before, mails = len(_posts(app, thread)), len(outbox(app))
    assert _receive(app, _reply_to(mail, Auto_Submitted="auto-replied", message_id="<ooo@x>")) == "dropped"
    assert _receive(app, _reply_to(mail, Precedence="bulk", message_id="<bulk@x>")) == "dropped"
    assert len(_posts(app, thread)) == before and len(outbox(app)) == mails


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda app, make, ctx: None, "must come from the address"),
        (lambda app, make, ctx: make.locked(ctx[1]), "The thread is locked"),
        (lambda app, make, ctx: make.suspended(ctx[0]), "Your account is suspended"),
        (lambda app, make, ctx: make.hidden(ctx[1]), "no longer read it"),
    ],
    ids=["wrong sender", "locked", "suspended", "thread hidden"],
)
def test_a_reply_that_cannot_be_posted_is_answered_with_the_reason(app, make, conversation, change, reason):
    _amina, thread, _post, mail = conversation
    change(app, make, conversation)
    sender = "mallory@example.org" if "must come from" in reason else "amina@example.org"
    before = len(_posts(app, thread))
    assert _receive(app, _reply_to(mail, sender=sender)) == "refused"
    assert len(_posts(app, thread)) == before
    assert reason in _refusal(app, sender)


def test_a_tampered_address_an_empty_reply_and_an_oversized_one_are_refused(app, conversation):
    _amina, _thread, _post, mail = conversation
    forged = _reply_to(mail, message_id="<forged@x>")
    forged.replace_header("To", mail["Reply-To"].replace("reply+", "reply+9", 1))
    assert _receive(app, forged) == "refused"
    assert "not one we gave out" in _refusal(app)
    assert _receive(app, _reply_to(mail, body="", message_id="<empty@x>")) == "refused"
    app.config["MAIL_INBOUND_MAX_BYTES"] = 2000
    assert _receive(app, _reply_to(mail, body="x " * 2000, message_id="<big@x>")) == "refused"
    texts = [
        text_of(m) for m in to(outbox(app), "amina@example.org") if m["Subject"].startswith("Not posted")
    ]
    assert any("is empty" in text for text in texts) and any("too large" in text for text in texts)


def test_flask_mail_inbound_reads_one_message_from_stdin(app, conversation, shared_app, request):
    """The pipe transport: `flask mail inbound --stdin` in a process of its own, on this test's database."""
    _amina, thread, _post, mail = conversation
    from tests.support.database import is_postgres

    schema = request.getfixturevalue("postgres_session_schema") if is_postgres() else None
    script = (
        "import sys; from app import create_app; from tests.support.database import config_for;"
        "from flask.cli import ScriptInfo; from pathlib import Path;"
        "config = config_for(Path(sys.argv[1]), sys.argv[2] or None);"
        f"config.MAIL_REPLY_DOMAIN = {DOMAIN!r}; app = create_app(config);"
        "app.cli.main(['mail', 'inbound', '--stdin'], standalone_mode=False, obj=ScriptInfo(create_app=lambda: app))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(shared_app.database_directory), schema or ""],
        input=bytes(_reply_to(mail)), capture_output=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert b"Inbound mail: posted" in result.stdout, result.stderr.decode()[-2000:]
    assert _posts(app, thread)[-1].body_source == "Thanks, fibre first."
