"""Accounts (#13): sign up, sign in, sign out; anonymous work kept on signing in; progress on
every device; a password change signs out every other device; sign-in is rate-limited; CSRF."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Submission

from .course_site_helpers import (
    PASSWORD,
    account,
    fast_hashing,
    graded,
    hosted_course,
    page_text,
    signed_in,
    solution,
)


def _outline_best(client: FlaskClient, exercise_id: str) -> str | None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(
        rf'data-exercise-id="{exercise_id}" data-best="([^"]*)" data-attempts="(\d+)"', page
    )
    return f"{found.group(1)}/{found.group(2)}" if found else None


def test_sign_up_signs_in_and_sign_out_forgets(app: Flask) -> None:
    fast_hashing(app)
    client = app.test_client()
    response = client.post(
        "/signup",
        data={"email": "Ana@Example.org", "name": "Ana", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/courses").get_data(as_text=True)
    assert "Ana" in page and "Sign out" in page
    again = app.test_client().post(
        "/signup", data={"email": "ana@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert again.status_code == 400
    assert "already has an account" in again.get_data(as_text=True)
    client.post("/logout")
    assert client.get("/courses").status_code == 302  # to /login
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_sign_up_explains_bad_input(app: Flask) -> None:
    response = app.test_client().post(
        "/signup", data={"email": "not-an-address", "password": "short", "confirm": "other"}
    )
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Enter an email address." in text
    assert "Use at least 8 characters." in text
    assert "The passwords differ." in text


def test_wrong_password_or_unknown_email_get_the_same_answer(app: Flask) -> None:
    account(app, "bo@example.org")
    for email, password in (("bo@example.org", "wrong password"), ("nobody@example.org", PASSWORD)):
        response = app.test_client().post("/login", data={"email": email, "password": password})
        assert response.status_code == 401
        assert "do not match an account" in response.get_data(as_text=True)


def test_login_goes_back_only_to_this_site(app: Flask) -> None:
    account(app, "cy@example.org")
    for target, expected in (
        ("/lessons/hypervisors", "/lessons/hypervisors"),
        ("https://evil.example/", "/courses"),
        ("//evil.example", "/courses"),
    ):
        response = app.test_client().post(
            f"/login?next={target}", data={"email": "cy@example.org", "password": PASSWORD}
        )
        assert response.location == expected


def test_anonymous_work_moves_to_the_account_and_shows_on_another_device(app: Flask) -> None:
    account(app, "di@example.org")
    browser = app.test_client()
    browser.get("/api/session")
    with browser.session_transaction() as session:
        anonymous = session["learner"]
    with app.app_context():
        db.session.add(
            Submission(
                course_id=1,
                learner=anonymous,
                exercise_id="io-path",
                code="x",
                status="graded",
                score=60.0,
            )
        )
        db.session.commit()
    assert _outline_best(browser, "io-path") == "60/1"
    browser.post("/login", data={"email": "di@example.org", "password": PASSWORD})
    assert _outline_best(browser, "io-path") == "60/1"  # kept in this browser
    other = signed_in(app, "di@example.org")
    assert _outline_best(other, "io-path") == "60/1"  # and on another device
    lesson = other.get("/lessons/hypervisors").get_data(as_text=True)
    assert re.search(r'class="exercise-progress" data-best="60" data-attempts="1"', lesson)
    assert _outline_best(app.test_client(), "io-path") is None  # a stranger sees nothing
    browser.post("/logout")
    assert _outline_best(browser, "io-path") is None  # a shared computer forgets


def test_signing_in_merges_what_both_the_browser_and_the_account_hold_once_per_learner(
    app: Flask,
) -> None:
    """The account answered a concept check and used an idempotency key on one device; this
    browser, anonymous, did the same: signing in here must merge them (it was a 500 on every
    try: two rows for one learner where the database keeps one), losing nothing."""
    account(app, "mo@example.org")
    lesson = app.extensions["catalog"].lesson("hypervisors")
    right = lesson.checks[0].answer
    wrong_choice = (right + 1) % len(lesson.checks[0].options["en"])
    device = signed_in(app, "mo@example.org")
    assert (
        device.post("/lessons/hypervisors/checks/0", json={"choice": wrong_choice}).status_code
        == 200
    )
    with device.session_transaction() as session:
        mine = session["learner"]
    browser = app.test_client()
    browser.get("/api/session")
    with browser.session_transaction() as session:
        anonymous = session["learner"]
    assert browser.post("/lessons/hypervisors/checks/0", json={"choice": right}).status_code == 200
    with app.app_context():
        for learner, score in ((mine, 40.0), (anonymous, 90.0)):
            db.session.add(
                Submission(
                    course_id=1,
                    learner=learner,
                    exercise_id="io-path",
                    code=f"# {learner}",
                    status="graded",
                    score=score,
                    idempotency_key="same-key",
                )
            )
        db.session.commit()
    signed = browser.post("/login", data={"email": "mo@example.org", "password": PASSWORD})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:300]
    assert _outline_best(browser, "io-path") == "90/2"  # both submissions, the best counts
    page = device.get("/lessons/hypervisors").get_data(as_text=True)
    assert "Your last answer was right." in page  # the later answer, from this browser
    with app.app_context():
        from tutor.web.concept_answers import ConceptAnswer

        answers = db.session.execute(db.select(ConceptAnswer)).scalars().all()
        assert [(a.learner, a.attempts, a.correct) for a in answers] == [(mine, 2, True)]
        keys = sorted(
            str(s.idempotency_key)
            for s in db.session.execute(db.select(Submission).filter_by(learner=mine)).scalars()
        )
        assert keys == ["None", "same-key"]


def test_signing_up_keeps_the_browsers_work(app: Flask) -> None:
    fast_hashing(app)
    browser = app.test_client()
    browser.get("/api/session")
    with browser.session_transaction() as session:
        anonymous = session["learner"]
    with app.app_context():
        db.session.add(
            Submission(
                course_id=1,
                learner=anonymous,
                exercise_id="vm-spec",
                code="x",
                status="graded",
                score=100.0,
            )
        )
        db.session.commit()
    browser.post(
        "/signup", data={"email": "ed@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert _outline_best(signed_in(app, "ed@example.org"), "vm-spec") == "100/1"


def test_changing_the_password_signs_out_every_other_device(app: Flask) -> None:
    account(app, "fa@example.org")
    hosted_now = datetime.now(UTC)
    here, there = signed_in(app, "fa@example.org"), signed_in(app, "fa@example.org")

    hosted_course(
        app, "c1", "teach@example.org", {"io-path": (None, None)}, students=("fa@example.org",)
    )
    graded(app, "c1", "fa@example.org", "io-path", solution(app, "io-path"), hosted_now)
    assert _outline_best(there, "io-path") == "100/1"
    bad = here.post(
        "/account",
        data={"current": "not it", "password": "new password 1", "confirm": "new password 1"},
    )
    assert bad.status_code == 400 and "not your current password" in bad.get_data(as_text=True)
    changed = here.post(
        "/account",
        data={"current": PASSWORD, "password": "new password 1", "confirm": "new password 1"},
    )
    assert changed.status_code == 302
    assert here.get("/account").status_code == 200  # this device stays signed in
    assert there.get("/account").status_code == 302  # the other is signed out ...
    assert _outline_best(there, "io-path") is None  # ... and no longer sees the account's work
    assert (
        app.test_client()
        .post("/login", data={"email": "fa@example.org", "password": PASSWORD})
        .status_code
        == 401
    )
    signed_in(app, "fa@example.org", "new password 1")


def test_sign_in_is_rate_limited_per_address(app: Flask) -> None:
    app.config["SIGNIN_RATE_LIMIT"] = "3 per minute"
    account(app, "gi@example.org")
    client = app.test_client()
    for _ in range(3):
        client.post("/login", data={"email": "gi@example.org", "password": "guess"})
    response = client.post("/login", data={"email": "gi@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many tries" in response.get_data(as_text=True)


def test_forms_and_json_need_the_csrf_token(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "csrf",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'csrf.db'}",
        }
    )
    account(app, "ha@example.org")
    client = app.test_client()
    refused = client.post("/login", data={"email": "ha@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    # Going back would send the same stale token: the page says to reload, and that nothing
    # was saved, in the page's language.
    assert "This form has expired" in refused.get_data(as_text=True)
    assert "Reload the page" in refused.get_data(as_text=True)
    stale = client.post("/login?lang=zh", data={"email": "ha@example.org", "csrf_token": "old"})
    assert "这个表单已过期" in stale.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    ok = client.post(
        "/login",
        data={"email": "ha@example.org", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert ok.status_code == 302
    # Signing in gave the session a new token: the one on the page before (which whoever set
    # up this browser could have read) acts for nobody now.
    before = client.post("/logout", data={"csrf_token": token.group(1)})
    assert before.status_code == 400
    answer = client.post("/lessons/hypervisors/checks/0", json={"choice": 0})
    assert answer.status_code == 400  # no X-CSRFToken
    meta = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").get_data(as_text=True))
    assert meta
    recorded = client.post(
        "/lessons/hypervisors/checks/0", json={"choice": 0}, headers={"X-CSRFToken": meta.group(1)}
    )
    assert recorded.status_code == 200
    anonymous_account = app.test_client().post("/logout")
    assert anonymous_account.status_code == 400


def test_session_cookie_is_http_only_and_same_site(app: Flask) -> None:
    account(app, "io@example.org")
    response = app.test_client().post(
        "/login", data={"email": "io@example.org", "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = app.test_client().post(
        "/login",
        base_url="https://localhost",
        data={"email": "io@example.org", "password": PASSWORD},
    )
    assert "Secure" in secure.headers["Set-Cookie"]


def test_concept_check_answers_are_recorded_and_judged_here(app: Flask) -> None:
    account(app, "jo@example.org")
    client = signed_in(app, "jo@example.org")
    lesson = app.extensions["catalog"].lesson("hypervisors")
    right = lesson.checks[0].answer
    wrong_choice = (right + 1) % len(lesson.checks[0].options["en"])
    assert client.post(
        "/lessons/hypervisors/checks/0", json={"choice": wrong_choice}
    ).get_json() == {"correct": False}
    assert "Your last answer was wrong" in client.get("/lessons/hypervisors").get_data(as_text=True)
    assert client.post("/lessons/hypervisors/checks/0", json={"choice": right}).get_json() == {
        "correct": True
    }
    other = signed_in(app, "jo@example.org")
    assert "Your last answer was right." in other.get("/lessons/hypervisors").get_data(as_text=True)
    assert client.post("/lessons/hypervisors/checks/0", json={"choice": "x"}).status_code == 400
    assert client.post("/lessons/hypervisors/checks/99", json={"choice": 0}).status_code == 404


def test_sign_up_and_join_codes_are_rate_limited_too(app: Flask) -> None:
    fast_hashing(app)
    app.config["SIGNUP_RATE_LIMIT"] = "2 per minute"
    app.config["JOIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    for n in range(2):
        made = client.post(
            "/signup",
            data={"email": f"u{n}@example.org", "password": PASSWORD, "confirm": PASSWORD},
        )
        assert made.status_code == 302
    third = client.post(
        "/signup", data={"email": "u9@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert third.status_code == 429 and "Too many tries" in third.get_data(as_text=True)
    guesser = signed_in(app, "u0@example.org")
    answers = [guesser.post("/join", data={"code": f"GUESS{n:03d}"}).status_code for n in range(4)]
    assert answers == [400, 400, 400, 429]


def test_roster_uploads_are_rate_limited(app: Flask) -> None:
    """Each row of a roster file that names a password costs a slow hash, and anyone may make a
    course: uploads are bounded per address, with the wait said."""
    hosted_course(app, "uploads", "up-prof@example.org", {})
    app.config["ROSTER_RATE_LIMIT"] = "2 per hour"
    prof = signed_in(app, "up-prof@example.org")

    def upload(n: int) -> Any:
        body = f"email,name,password\nrow{n}@example.org,Row {n},Chosen pass {n}\n".encode()
        return prof.post(
            "/courses/uploads/roster/import",
            data={"roster": (io.BytesIO(body), "roster.csv")},
            content_type="multipart/form-data",
        )

    # A file refused for a bad line (nothing imported, nothing hashed) does not count.
    bad = prof.post(
        "/courses/uploads/roster/import",
        data={"roster": (io.BytesIO(b"email\nnot-an-address\n"), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    assert [upload(n).status_code for n in range(2)] == [200, 200]
    third = upload(2)
    assert third.status_code == 429 and "Too many tries" in third.get_data(as_text=True)
    assert third.headers.get("Retry-After")


def _together(count: int, send: Callable[[int], int]) -> list[int]:
    """``send(0)`` … ``send(count - 1)`` at the same moment, each in its own thread (a double
    submit, overlapping taps); their answers' statuses."""
    start = threading.Barrier(count)
    statuses: list[int] = []

    def one(n: int) -> None:
        start.wait()
        statuses.append(send(n))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_answers_sent_together_are_all_recorded(app: Flask) -> None:
    """Quick answers overlapping (a double tap, a replay from another tab): read-then-insert
    made two of them insert the same row — a 500 — or count one attempt for two."""
    lesson = app.extensions["catalog"].lesson("hypervisors")
    offered = len(lesson.checks[1].options["en"])
    first = app.test_client()
    first.get("/api/session")
    cookie = first.get_cookie("session")
    assert cookie is not None

    def answer(question: int) -> Callable[[int], int]:
        def send(n: int) -> int:
            client = app.test_client()
            client.set_cookie("session", cookie.value)
            url = f"/lessons/hypervisors/checks/{question}"
            return client.post(url, json={"choice": n % offered}).status_code

        return send

    statuses = [status for q in (1, 2, 3) for status in _together(6, answer(q))]
    assert statuses == [200] * 18
    from tutor.web.concept_answers import ConceptAnswer

    with app.app_context():
        rows = db.session.execute(db.select(ConceptAnswer)).scalars().all()
        assert sorted(r.question for r in rows) == [1, 2, 3]
        assert sum(r.attempts for r in rows) == 18
    too_far = first.post("/lessons/hypervisors/checks/1", json={"choice": offered})
    assert too_far.status_code == 400 and f"{offered} options" in too_far.get_json()["error"]


def test_a_sign_up_or_a_join_sent_twice_at_once_is_no_server_error(app: Flask) -> None:
    """Both copies pass the form's checks before either is stored; the second met the unique
    key — a 500 — where it should find the account or the place the first made."""
    fast_hashing(app)
    app.config["SIGNUP_RATE_LIMIT"] = app.config["JOIN_RATE_LIMIT"] = "1000 per minute"
    form = {"email": "twice@example.org", "password": PASSWORD, "confirm": PASSWORD}
    signups = _together(4, lambda n: app.test_client().post("/signup", data=form).status_code)
    assert sorted(signups) == [302, 400, 400, 400], signups
    code = hosted_course(app, "twice", "t-twice@example.org", {})
    account(app, "joiner@example.org")
    cookie = signed_in(app, "joiner@example.org").get_cookie("session")
    assert cookie is not None

    def join(n: int) -> int:
        client = app.test_client()
        client.set_cookie("session", cookie.value)
        return client.post("/join", data={"code": code}).status_code

    assert _together(4, join) == [302] * 4


def test_sign_out_ends_a_copied_session_cookie(app: Flask) -> None:
    """A cookie copied while signed in (a shared computer, a stolen cookie) is signed out too."""
    fast_hashing(app)
    client = app.test_client()
    client.post(
        "/signup", data={"email": "bo@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    copy = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    assert copy.get("/courses").status_code == 200  # the copy is signed in
    assert "on every device" in page_text(
        client.post("/logout", follow_redirects=True).get_data(as_text=True)
    )
    assert copy.get("/courses").status_code == 302  # …and signed out with the original
    # Signing in again works, and an anonymous sign-out changes nothing.
    assert app.test_client().post("/logout").status_code == 302
    again = client.post("/login", data={"email": "bo@example.org", "password": PASSWORD})
    assert again.status_code == 302 and client.get("/courses").status_code == 200


def test_account_fields_say_what_they_hold_for_password_managers(app: Flask) -> None:
    """WCAG 1.3.5: the sign-in, sign-up and password fields had no ``autocomplete``, so a
    password manager could fill the current password into "New password"."""
    fast_hashing(app)

    def autocomplete(page: str) -> dict[str, str]:
        fields = re.findall(r"<input\b[^>]*>", page)
        found = {}
        for field in fields:
            name = re.search(r'\bname="([^"]+)"', field)
            value = re.search(r'\bautocomplete="([^"]+)"', field)
            if name and name[1] != "csrf_token":
                found[name[1]] = value[1] if value else ""
        return found

    visitor = app.test_client()
    assert autocomplete(visitor.get("/login").get_data(as_text=True)) == {
        "email": "email",
        "password": "current-password",
    }
    assert autocomplete(visitor.get("/signup").get_data(as_text=True)) == {
        "email": "email",
        "name": "name",
        "password": "new-password",
        "confirm": "new-password",
    }
    account(app, "ana@example.org")
    page = signed_in(app, "ana@example.org").get("/account").get_data(as_text=True)
    held = autocomplete(page)
    assert held["current"] == "current-password"
    assert held["password"] == held["confirm"] == "new-password"
