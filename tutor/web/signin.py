"""Sign up, sign in, sign out and change a password (Flask-Login sessions, Flask-WTF forms).

Sign-in and sign-up are rate-limited per network address (``SIGNIN_RATE_LIMIT``,
``SIGNUP_RATE_LIMIT``; see ``course_site``). A wrong email and a wrong password get the same
answer, so the form does not tell which addresses have accounts.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _  # extracted by pybabel's default keywords
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .accounts import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    create_user,
    find_user,
    password_matches,
    sign_in,
    sign_out,
    signed_in_only,
)
from .extensions import db
from .form_text import EmailAddressField
from .roster import my_courses

bp = Blueprint("auth", __name__)

# Two checks, so a password too long is not told to be too short.
PASSWORD_LENGTH = (
    Length(min=MIN_PASSWORD, message=_("Use at least %(n)d characters.", n=MIN_PASSWORD)),
    Length(max=MAX_PASSWORD, message=_("Use at most %(n)d characters.", n=MAX_PASSWORD)),
)


# What each field holds, for browsers and password managers (WCAG 1.3.5): without it a manager
# could fill the current password into "New password" on the account page.
EMAIL = {"autocomplete": "email"}
NEW_PASSWORD = {"autocomplete": "new-password"}


class SignUpForm(FlaskForm):  # type: ignore[misc]
    email = EmailAddressField(
        _("Email"),
        validators=[DataRequired(), Email(message=_("Enter an email address."))],
        render_kw=EMAIL,
    )
    name = StringField(
        _("Your name (as your instructor knows you)"),
        validators=[Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        _("Password"), validators=[DataRequired(), *PASSWORD_LENGTH], render_kw=NEW_PASSWORD
    )
    confirm = PasswordField(
        _("Password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_("The passwords differ.")),
        ],
        render_kw=NEW_PASSWORD,
    )

    def validate_email(self, field: EmailAddressField) -> None:
        if find_user(field.data or "") is not None:
            raise ValidationError(gettext("That email already has an account: sign in instead."))


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = EmailAddressField(_("Email"), validators=[DataRequired()], render_kw=EMAIL)
    password = PasswordField(
        _("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )


class ChangePasswordForm(FlaskForm):  # type: ignore[misc]
    current = PasswordField(
        _("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _("New password"), validators=[DataRequired(), *PASSWORD_LENGTH], render_kw=NEW_PASSWORD
    )
    confirm = PasswordField(
        _("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_("The passwords differ.")),
        ],
        render_kw=NEW_PASSWORD,
    )


def _next_page() -> str:
    """Where to go after signing in: a path on this site, never another site."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    unsafe = any(ord(ch) < 32 for ch in target) or "\\" in target
    if not target.startswith("/") or target.startswith("//") or parts.netloc or unsafe:
        return url_for("teaching.my_courses_page")
    return target


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data or "",
                form.password.data or "",
                form.name.data or "",
                learner=None if session.get("account") else session.get("learner"),
            )
            db.session.commit()
        except IntegrityError:  # the same address signed up a moment ago (a double submit)
            db.session.rollback()
            form.email.errors = [gettext("That email already has an account: sign in instead.")]
            return render_template("auth/signup.html", form=form), 400
        sign_in(user)
        flash(gettext("Welcome! Your account keeps what you solve from now on, on any device."))
        return redirect(_next_page())
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = SignInForm()
    if form.validate_on_submit():
        user = find_user(form.email.data or "")
        if password_matches(user, form.password.data or "") and user is not None:
            sign_in(user)
            return redirect(_next_page())
        form.password.errors = [gettext("That email and password do not match an account.")]
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    sign_out()
    flash(gettext("You are signed out, on every device."))
    return redirect(url_for("learn.index"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in_only
def account() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data or ""):
            form.current.errors = [gettext("That is not your current password.")]
        else:
            current_user.set_password(form.password.data or "")
            current_user.password_chosen_at = datetime.now(UTC)
            db.session.commit()
            sign_in(
                current_user._get_current_object()
            )  # this browser stays signed in; every other one is not
            flash(gettext("Password changed. Every other device is now signed out."))
            return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/account.html", form=form, courses=my_courses()), status


@bp.errorhandler(RateLimitExceeded)
def too_many_tries(exc: RateLimitExceeded) -> ResponseReturnValue:
    """429 with how long to wait, on the page that was being used (sign-in, sign-up, join)."""
    limiter = current_app.extensions["fairness_limiter"]
    current = limiter.current_limit
    wait = max(1, int(current.reset_at - time.time()) + 1) if current else 60
    return render_template("auth/too_many.html", retry_after=wait), 429, {"Retry-After": str(wait)}
