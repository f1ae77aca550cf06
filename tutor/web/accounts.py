"""Accounts: who is signed in, and how their work follows them.

A browser without an account is an anonymous learner (a random id in the signed session cookie,
see ``course.current_learner``). An account owns one such learner id too, ``User.learner``: on
sign-up the browser's anonymous id becomes the account's, and on sign-in the anonymous id's
submissions and concept-check answers move to the account's id, so nothing solved before
signing in is lost and every device signed in to the account sees the same progress.

Sessions are Flask-Login's. The id in the cookie carries the account's ``session_version``;
changing a password or signing out bumps it, so every other browser signed in to the account is
signed out at its next request (the one that changed the password signs in again at once). The
session is a signed cookie, not a server-side record: without the bump, a copy of the cookie
taken before signing out would still be signed in.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request, session
from flask_babel import lazy_gettext as _  # extracted by pybabel's default keywords
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from sqlalchemy import String, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import Submission
from .utc_time import UTCDateTime

MIN_PASSWORD = 8
MAX_PASSWORD = 200
login_manager = LoginManager()


def _now() -> datetime:
    return datetime.now(UTC)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    # The learner id of this account's submissions (``Submission.learner``).
    learner: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # The course whose staff made this account (a roster, "add one person", a course import):
    # only that course's staff may set its password, and only while it is in no other course
    # (``roster.resettable``). An account its owner made at sign-up, an operator or an LMS made
    # is no course's: otherwise anyone could make a course, add someone's email to it and set
    # their password.
    managed_by_course_id: Mapped[int | None] = mapped_column(default=None)
    # When the owner last chose the password on their Account page: a course-made account whose
    # owner did is theirs, and no other course may take it over (``roster.abandoned``).
    password_chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str, hashed: str | None = None) -> None:
        """Stores a salted hash (``password_hashes``; ``hashed`` when the caller made it
        already) and signs out every other session."""
        self.password_hash = hashed or password_hashes([password])[0]
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.name or self.email


class MadeUpPassword(str):
    """A password made up here (``new_password``: 72 random bits). A slow hash guards the
    passwords people choose against guess lists; none reaches 2**72, so a made-up one gets a
    fast salted hash (``MADE_UP_HASH``): scrypt's 0.1 s per account held both cores for a
    minute on a 500-row roster (and let anyone who makes a course burn them)."""

    __slots__ = ()


MADE_UP_HASH = "pbkdf2:sha256:1000"


def password_hashes(passwords: list[str]) -> list[str]:
    """Salted hashes (Werkzeug's scrypt unless ``PASSWORD_HASH_METHOD`` says otherwise; a
    ``MadeUpPassword``'s fast), made on every core at once when there are several: a roster
    whose file names its students' passwords needs one each, ≈ 0.1 s apiece, and hashlib lets
    other threads run meanwhile."""
    chosen = str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def hashed(password: str) -> str:
        method = MADE_UP_HASH if isinstance(password, MadeUpPassword) else chosen
        return generate_password_hash(password, method=method)

    slow = sum(1 for p in passwords if not isinstance(p, MadeUpPassword))
    if slow < 2:
        return [hashed(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=min(slow, os.cpu_count() or 1)) as pool:
        return list(pool.map(hashed, passwords))


# Per hash method: a hash of no one's password, checked when a sign-in names no account.
_UNKNOWN_ACCOUNT: dict[str, str] = {}


def password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s, taking as long when there is no such account: a
    sign-in that answered an unknown address in 5 ms and a known one in 96 ms (the hash) told
    anyone which addresses have accounts."""
    method = str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    if user is not None:
        matches = user.check_password(password)
        if not user.password_hash.startswith(method.split(":", 1)[0] + ":"):
            # A made-up password's fast hash answered in 8 ms where an unknown address took
            # 110 ms or more: the slow check is made anyway, so both take as long.
            _check_unknown(method, password)
        return matches
    _check_unknown(method, password)
    return False


def _check_unknown(method: str, password: str) -> None:
    if method not in _UNKNOWN_ACCOUNT:
        _UNKNOWN_ACCOUNT[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_UNKNOWN_ACCOUNT[method], password)


def normal_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    found: User | None = db.session.execute(
        db.select(User).filter_by(email=normal_email(email))
    ).scalar_one_or_none()
    return found


def account_of_learner(learner: str) -> User | None:
    """The account a learner id belongs to (``None``: an anonymous learner)."""
    found: User | None = db.session.execute(
        db.select(User).filter_by(learner=learner)
    ).scalar_one_or_none()
    return found


def create_user(
    email: str,
    password: str,
    name: str = "",
    learner: str | None = None,
    managed_by: int | None = None,
    hashed: str | None = None,
) -> User:
    """A new account; ``learner`` is the browser's anonymous id when signing up from one;
    ``managed_by`` the id of the course whose staff make it; ``hashed``: the password's hash,
    made beforehand (``password_hashes``)."""
    taken = learner and db.session.execute(db.select(User.id).filter_by(learner=learner)).first()
    user = User(
        email=normal_email(email),
        name=name.strip(),
        learner=learner if learner and not taken else secrets.token_hex(8),
        session_version=0,
        managed_by_course_id=managed_by,
    )
    user.set_password(password, hashed)
    db.session.add(user)
    db.session.flush()
    return user


def new_password() -> str:
    """A password for an account someone else creates (roster import, a staff reset)."""
    return MadeUpPassword(secrets.token_urlsafe(9))


def sign_in(user: User) -> None:
    """Flask-Login's session, and the browser's anonymous work moved to the account."""
    anonymous = session.get("learner")
    if anonymous and anonymous != user.learner and not session.get("account"):
        adopt_learner(str(anonymous), user.learner)
    login_user(user)
    # A new CSRF token: one read from the page before signing in (by whoever set up this
    # browser's session) must not act for the account.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    session["learner"] = user.learner
    session["account"] = True
    session.permanent = True


def adopt_learner(anonymous: str, learner: str) -> None:
    """What an anonymous learner id did now belongs to ``learner`` (an account's id), merged
    with what the account did already (on another device): nothing of either is lost, and
    what both hold once per learner stays once.

    * A concept check both answered: the account's row stays, with both rows' attempts and the
      later answer; the other row goes.
    * A submission whose ``Idempotency-Key`` the account used too: both submissions stay, this
      one without its key (a key only matters to the client retrying it, a moment later)."""
    from .concept_answers import ConceptAnswer

    mine = {
        (a.lesson_id, a.question): a
        for a in db.session.execute(
            db.select(ConceptAnswer).where(ConceptAnswer.learner == learner)
        ).scalars()
    }
    for answer in db.session.execute(
        db.select(ConceptAnswer).where(ConceptAnswer.learner == anonymous)
    ).scalars():
        kept = mine.get((answer.lesson_id, answer.question))
        if kept is None:
            continue
        kept.attempts = (kept.attempts or 0) + (answer.attempts or 0)
        if answer.answered_at > kept.answered_at:
            kept.choice, kept.correct = answer.choice, answer.correct
            kept.answered_at = answer.answered_at
        db.session.delete(answer)
    db.session.flush()
    used = db.select(Submission.idempotency_key).where(
        Submission.learner == learner, Submission.idempotency_key.is_not(None)
    )
    db.session.execute(
        update(Submission)
        .where(Submission.learner == anonymous, Submission.idempotency_key.in_(used))
        .values(idempotency_key=None)
    )
    for model in (Submission, ConceptAnswer):
        db.session.execute(update(model).where(model.learner == anonymous).values(learner=learner))
    db.session.commit()


def sign_out() -> None:
    """The next visit is a new anonymous learner: a shared computer shows nothing of ours. Every
    session of the account ends (a copy of this cookie too): there is no per-browser record to
    end only this one."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.session_version = (user.session_version or 0) + 1
        db.session.commit()
    logout_user()
    session.clear()


def _keep_learner_in_step() -> None:
    """A signed-in browser works as the account's learner; a browser whose account session
    ended (signed out elsewhere, password changed) stops being that learner."""
    if request.endpoint == "static":
        return  # a stylesheet or script needs no account (and no database query)
    if current_user.is_authenticated:
        if session.get("learner") != current_user.learner:
            session["learner"] = current_user.learner
            session["account"] = True
    elif session.get("account"):
        session.clear()


def _load_user(user_id: str) -> User | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # No session protection: this site never asks for a fresh sign-in, and Flask-Login's
    # "basic" mode only writes ``_fresh: False`` into a session (the first time it sees it, and
    # when its address or browser changes), which nothing reads — signing a new cookie on a
    # learner's first page (a client that keeps its first cookie got one on every page) after
    # hashing the address and browser of every request (#15). A signed-out account's cookie
    # is refused by its ``session_version``.
    login_manager.session_protection = None
    app.before_request(_keep_learner_in_step)


View = TypeVar("View", bound=Callable[..., Any])


def signed_in_only(view: View) -> View:
    """Flask-Login's ``login_required`` (to /login and back), typed."""
    return cast(View, login_required(view))
