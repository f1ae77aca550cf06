"""What an attacker probing the sign-in and language routes tried (#13): the language switch
never leads off the site, however its ``next`` is spelled; guessing the current password on the
account page is rate-limited like signing in; and signing in with an unknown address checks a
password hash as a known one does, so the time taken tells nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import accounts

from .course_site_helpers import PASSWORD, account, course_site, signed_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("probes"), "probes")


@pytest.mark.parametrize(
    "next_page",
    [
        "////evil.example",
        "///evil.example",
        "//evil.example",
        "/\\evil.example",
        "http://evil.example/",
    ],
)
def test_the_language_switch_never_leads_off_the_site(site: Flask, next_page: str) -> None:
    response = site.test_client().get("/lang/en", query_string={"next": next_page})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_guessing_the_current_password_is_rate_limited(site: Flask) -> None:
    account(site, "guessed@x.org")
    client: FlaskClient = signed_in(site, "guessed@x.org")
    site.config["SIGNIN_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [
            client.post(
                "/account",
                data={"current": f"wrong-{n}", "password": PASSWORD, "confirm": PASSWORD},
            ).status_code
            for n in range(5)
        ]
    finally:
        site.config["SIGNIN_RATE_LIMIT"] = "1000 per minute"
    assert answers[:3] == [400, 400, 400] and answers[3:] == [429, 429], answers


def test_an_unknown_address_costs_a_password_check_like_a_known_one(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    account(site, "known@x.org")
    checked: list[str] = []
    real = accounts.check_password_hash

    def counted(stored: str, password: str) -> bool:
        checked.append(password)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    client = site.test_client()
    for email in ("known@x.org", "nobody@x.org"):
        refused = client.post("/login", data={"email": email, "password": "not-it-at-all"})
        assert refused.status_code == 401
    assert checked == ["not-it-at-all", "not-it-at-all"]


def test_a_made_up_passwords_fast_hash_takes_as_long_to_refuse_as_an_unknown_address(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accounts a roster, an LMS or a reset made have a fast hash (their password is 72 random
    bits): refusing a wrong password there took 8 ms against 110+ ms for an unknown address,
    which told anyone which addresses have accounts. The site's slow check is made for both."""
    monkeypatch.setitem(site.config, "PASSWORD_HASH_METHOD", "scrypt")
    with site.app_context():
        from tutor.web.extensions import db

        accounts.create_user("made-up@x.org", accounts.new_password())
        db.session.commit()
    methods: list[str] = []
    real = accounts.check_password_hash

    def counted(stored: str, password: str) -> bool:
        methods.append(stored.split(":", 1)[0])
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    client = site.test_client()
    for email in ("made-up@x.org", "nobody-at-all@x.org"):
        methods.clear()
        refused = client.post("/login", data={"email": email, "password": "not-it-at-all"})
        assert refused.status_code == 401
        assert "scrypt" in methods, (email, methods)
