"""Account routes: register, sign in/out, profile, settings."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import avatars, bp, limits, services, tokens
from app.auth import profile as profile_sections
from app.auth.forms import (
    EmailChangeForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    RegisterForm,
    ResetPasswordForm,
    SettingsForm,
)
from app.auth.models import User, find_user_by_username
from app.core import signals
from app.core.ratelimits import per_address
from app.core.refusals import write
from app.core.urls import safe_next
from app.extensions import db, limiter, login_manager

PROFILE_FIELDS = ("display_name", "organisation", "stakeholder_type", "country")


def _awaiting_approval() -> str:
    return _("Your account awaits approval by an administrator. You can sign in once it is approved.")


@login_manager.user_loader
def _load_user(session_id: str):
    """Cookies carry id:version so that a password change or sign-out everywhere ends old sessions."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


@bp.route("/auth/register", methods=["GET", "POST"])
@per_address(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register():
    """Create an account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("communities.index"))
    form = RegisterForm()
    return write(
        form,
        lambda: _register(form),
        render=lambda: render_template("auth/register.html", form=form),
        success=_welcome,
    )


def _register(form) -> User:
    profile = {name: (getattr(form, name).data or "").strip() for name in PROFILE_FIELDS}
    needs_approval = current_app.config["MUST_APPROVE_USERS"]
    user = services.register(
        form.username.data, form.email.data, form.password.data, needs_approval, **profile
    )
    user.locale = session.get("locale")
    return user


def _welcome(user) -> str:
    """After the account is saved: sign it in, or say it awaits approval; where to go next."""
    if user.approval == "pending":
        flash(_awaiting_approval(), "info")
        return url_for("auth.login")
    login_user(user)
    flash(_("Welcome to Majlis, %(name)s.", name=user.name), "success")
    flash(_("We sent a link to %(address)s: open it to confirm your address.", address=user.email), "info")
    return safe_next(request.args.get("next")) or url_for("communities.index")


def _too_many_failures() -> str:
    return _("Too many failed sign-in attempts for this account. Wait a while and try again.")


def _suspended_until(user) -> str:
    """Until when, so a suspended member who cannot read their notice still learns it here."""
    if user.is_suspended_indefinitely:
        return _("This account is suspended until further notice.")
    return _("This account is suspended until %(until)s.", until=format_datetime(user.suspended_until))


def _failed_sign_in_limit(scope, key_func, **options):
    """A limit on failed sign-ins only (a success costs nothing), in the account-lockout window."""
    return limiter.shared_limit(
        lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"], scope=scope, methods=["POST"],
        key_func=key_func, deduct_when=limits.failed, error_message=_too_many_failures, **options,
    )  # fmt: skip


@bp.route("/auth/login", methods=["GET", "POST"])
@per_address(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
# Same window, so Flask-Limiter checks these in the order it registers them, bottom up: the client's
# failures first, so that a wrong password refused because the account is locked still marks the client.
@_failed_sign_in_limit(limits.ACCOUNT_SCOPE, limits.account_key, exempt_when=limits.owner_passes)
@_failed_sign_in_limit(limits.CLIENT_SCOPE, limits.account_client_key)
def login():
    """Sign in with username or email; honours a safe `next`."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("communities.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None and user.is_suspended:
            form.username.errors.append(_suspended_until(user))
        elif user is not None and user.approval == "pending":
            form.username.errors.append(_awaiting_approval())
        elif user is not None and not user.is_approved:
            form.username.errors.append(_("This account was not approved by the administrators."))
        elif user is None:
            form.password.errors.append(_("Wrong username, email or password."))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("communities.index"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/auth/logout", methods=["POST"])
def logout():
    """Sign out this browser and close the user's open sockets."""
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        signals.user_sessions_revoked.send(user)
        db.session.commit()
        logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("communities.index"))


@bp.route("/u/<username>")
def profile(username):
    """A member's profile with the sections other domains register (threads, replies, contributions)."""
    user = find_user_by_username(username)
    if user is None:
        abort(404)
    return render_template(
        "auth/profile.html", user=user, sections=profile_sections.sections_for(user, current_user)
    )


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Edit the profile and preferences."""
    user = db.session.get(User, current_user.id)
    form = SettingsForm(obj=user)
    return write(
        form,
        lambda: services.update_profile(user, **_settings_values(form)),
        render=lambda: render_template(
            "auth/settings.html",
            form=form,
            password_form=PasswordChangeForm(prefix="pw"),
            email_form=EmailChangeForm(prefix="em"),
        ),
        success=url_for("auth.settings"),
        message=_("Your settings are saved."),
    )


def _settings_values(form) -> dict:
    fields = {name: (getattr(form, name).data or "").strip() for name in PROFILE_FIELDS + ("bio",)}
    fields.update(
        preferred_view=form.preferred_view.data, show_presence=form.show_presence.data, theme=form.theme.data
    )
    fields["time_zone"] = form.time_zone.data
    return fields


@bp.route("/settings/avatar", methods=["POST"])
@login_required
def upload_avatar():
    """Upload a picture for the profile (an image; re-encoded, thumbnailed)."""
    user = db.session.get(User, current_user.id)
    sent = request.files.get("avatar")
    if sent is None or not sent.filename:
        flash(_("Choose an image for your picture."), "error")
        return redirect(url_for("auth.settings"))
    return write(
        None, lambda: avatars.set_avatar(user, sent.read(), sent.filename),
        success=url_for("auth.settings"), message=_("Your picture is saved."),
    )  # fmt: skip


@bp.route("/settings/avatar/remove", methods=["POST"])
@login_required
def remove_avatar():
    """Go back to initials instead of a picture."""
    user = db.session.get(User, current_user.id)
    return write(
        None, lambda: avatars.remove_avatar(user), success=url_for("auth.settings"),
        message=_("Your picture is removed."), category="info",
    )  # fmt: skip


@bp.route("/settings/password", methods=["POST"])
@login_required
def change_password():
    """Change the password; other sessions are signed out."""
    user = db.session.get(User, current_user.id)
    password_form = PasswordChangeForm(prefix="pw")
    return write(
        password_form,
        lambda: services.change_password(
            user, password_form.current_password.data, password_form.new_password.data
        ),
        render=lambda: render_template(
            "auth/settings.html",
            form=SettingsForm(obj=user),
            password_form=password_form,
            email_form=EmailChangeForm(prefix="em"),
        ),
        success=lambda _result: _signed_in_again(user),
        message=_("Your password is changed. Other sessions were signed out."),
        field="current_password",
    )


def _signed_in_again(user) -> str:
    """After a password change this browser stays signed in (the others were signed out)."""
    login_user(user)
    return url_for("auth.settings")


# Addresses and forgotten passwords ------------------------------------------------------------------


def _account_mail_limit():
    return per_address(lambda: current_app.config["RATELIMIT_ACCOUNT_MAIL"], methods=["POST"])


@bp.route("/settings/email", methods=["POST"])
@login_required
@_account_mail_limit()
def change_email():
    """Ask to use another address: a link goes there, and the account changes once it is followed."""
    user = db.session.get(User, current_user.id)
    email_form = EmailChangeForm(prefix="em")
    return write(
        email_form,
        lambda: services.request_email_change(user, email_form.email.data, email_form.password.data),
        render=lambda: render_template(
            "auth/settings.html",
            form=SettingsForm(obj=user),
            password_form=PasswordChangeForm(prefix="pw"),
            email_form=email_form,
        ),
        success=url_for("auth.settings"),
        message=_(
            "We sent a link to %(address)s. Your address changes once you open it.",
            address=email_form.email.data,
        ),
        field_names={"password": "password", "email": "email"},
    )


@bp.route("/auth/confirm/resend", methods=["POST"])
@login_required
@_account_mail_limit()
def resend_confirmation():
    """Send the confirmation link again."""
    user = db.session.get(User, current_user.id)
    return write(
        None,
        lambda: services.resend_confirmation(user),
        success=safe_next(request.form.get("next")) or url_for("communities.index"),
        message=_("We sent a new link to %(address)s.", address=user.email),
        category="info",
    )


@bp.route("/auth/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """A confirmation link: the page asks for one click (a mail scanner fetching the link confirms nothing)."""
    found = tokens.confirmation_for(token)
    if found is None:
        return _link_expired("confirm")
    user, address = found
    if request.method == "GET":
        return render_template("auth/confirm.html", user=user, address=address)
    return write(
        None,
        lambda: services.confirm_email(user, address),
        success=url_for("communities.index"),
        message=_("Thank you: %(address)s is confirmed.", address=address),
    )


def _named_account_key() -> str:
    """The account a reset request names, however spelled: nobody fills someone's inbox from many addresses."""
    return "reset-for:" + (request.form.get("login") or "").strip().lower()[:254]


@bp.route("/auth/forgot", methods=["GET", "POST"])
@_account_mail_limit()
@limiter.limit(
    lambda: current_app.config["RATELIMIT_ACCOUNT_MAIL"], key_func=_named_account_key, methods=["POST"]
)
def forgot_password():
    """Ask for a reset link: the same answer whether or not an account matches."""
    form = ForgotPasswordForm()
    return write(
        form,
        lambda: services.request_password_reset(form.login.data),
        render=lambda: render_template("auth/forgot.html", form=form),
        success=url_for("auth.login"),
        message=_(
            "If an account matches what you typed, we sent a link to its address. It works for one hour."
        ),
        category="info",
    )


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password from a reset link; other sessions end and this browser is signed in."""
    user = tokens.reset_user_for(token)
    if user is None:
        return _link_expired("reset")
    form = ResetPasswordForm()
    return write(
        form,
        lambda: services.reset_password(user, form.new_password.data),
        render=lambda: render_template("auth/reset.html", form=form, user=user),
        success=lambda _result: _signed_in_after_reset(user),
        message=_("Your password is changed. Other sessions were signed out."),
    )


def _link_expired(kind: str):
    """404 with what to do next: a tampered, expired or used link names nothing."""
    return render_template("auth/link_expired.html", kind=kind), 404


def _signed_in_after_reset(user) -> str:
    if user.is_active:
        login_user(user)
        return url_for("communities.index")
    return url_for("auth.login")
