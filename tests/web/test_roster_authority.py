"""What a course's staff may do to accounts and staff through its roster: set the password of
an account only when their course made it and shares it with no other course (else anyone who
makes a course could add someone's email and take the account over); a TA appoints or demotes
no staff by file either; and a roster file that cannot be read is refused with its line."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web.extensions import db
from tutor.web.roster import course_by_slug
from tutor.web.schedule import settings_of

from .course_site_helpers import (
    FAST_HASH,
    PASSWORD,
    account,
    course_site,
    hosted_course,
    page_text,
    signed_in,
    user_id,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("roster-authority"), "roster-authority")


def _reset(client: FlaskClient, slug: str, user_id: int, password: str = "taken-over!") -> int:
    return client.post(
        f"/courses/{slug}/students/{user_id}/password", data={"password": password}
    ).status_code


def _upload(client: FlaskClient, slug: str, text: str | bytes) -> tuple[int, str]:
    data = text.encode() if isinstance(text, str) else text
    response = client.post(
        f"/courses/{slug}/roster/import",
        data={"roster": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )
    return response.status_code, page_text(response.get_data(as_text=True))


def _roles(client: FlaskClient, slug: str) -> str:
    return page_text(client.get(f"/courses/{slug}/roster").get_data(as_text=True))


def test_making_a_course_and_adding_someone_does_not_give_their_password(site: Flask) -> None:
    """The takeover: sign up, make a course, add the victim's email, set their password."""
    hosted_course(site, "real-course", "victim-prof@x.org", {"io-path": (None, None)})
    account(site, "mallory@x.org")  # signed up, as anyone may
    mallory = signed_in(site, "mallory@x.org")
    made = mallory.post("/courses/new", data={"title": "Trap", "slug": "trap"})
    assert made.status_code == 302
    for email in ("victim-prof@x.org", "self-study@x.org"):
        if email == "self-study@x.org":
            account(site, email)  # a learner with an account and no course
        added = mallory.post("/courses/trap/roster/add", data={"email": email, "role": "student"})
        assert added.status_code == 302
        victim = user_id(site, email)
        refused = mallory.post(
            f"/courses/trap/students/{victim}/password", data={"password": "taken-over!"}
        )
        assert refused.status_code == 403
        assert "only its owner changes its password" in page_text(refused.get_data(as_text=True))
        roster = mallory.get("/courses/trap/roster").get_data(as_text=True)
        assert f'id="password-{victim}"' not in roster
        assert "Invited, not yet joined" in roster  # their own account: only invited
        signed_in(site, email)  # their own password still works
        bad = site.test_client().post("/login", data={"email": email, "password": "taken-over!"})
        assert bad.status_code != 302
    assert (
        signed_in(site, "victim-prof@x.org").get("/courses/real-course/gradebook").status_code
        == 200
    )


def test_staff_set_passwords_of_accounts_their_course_made(site: Flask) -> None:
    hosted_course(site, "made", "made-prof@x.org", {"io-path": (None, None)})
    prof = signed_in(site, "made-prof@x.org")
    added = prof.post("/courses/made/roster/add", data={"email": "new1@x.org", "role": "student"})
    assert added.status_code == 200  # shows the first password, once
    status, _text = _upload(prof, "made", "email,name\nnew2@x.org,New Two\n")
    assert status == 200
    for email in ("new1@x.org", "new2@x.org"):
        assert _reset(prof, "made", user_id(site, email), "fresh pass 1") == 200
        signed_in(site, email, "fresh pass 1")


@pytest.mark.parametrize("ta_can_edit", [False, True])
def test_a_ta_sets_passwords_only_when_allowed_to_change_the_settings(
    site: Flask, ta_can_edit: bool
) -> None:
    """Setting a student's password is signing in as them: a TA the instructor keeps from the
    settings and the roster gets no more than that by this door."""
    slug = f"ta-reset-{int(ta_can_edit)}"
    hosted_course(site, slug, f"prof-{slug}@x.org", {}, tas=(f"ta-{slug}@x.org",))
    with site.app_context():
        course = course_by_slug(slug)
        assert course is not None
        settings_of(course).ta_can_edit = ta_can_edit
        db.session.commit()
    prof = signed_in(site, f"prof-{slug}@x.org")
    assert _upload(prof, slug, f"email\nstudent-{slug}@x.org\n")[0] == 200
    student = user_id(site, f"student-{slug}@x.org")
    ta = signed_in(site, f"ta-{slug}@x.org")
    roster = ta.get(f"/courses/{slug}/roster").get_data(as_text=True)
    assert (f'id="password-{student}"' in roster) is ta_can_edit
    status = _reset(ta, slug, student, "ta chose it 1")
    assert status == (200 if ta_can_edit else 403)
    login = site.test_client().post(
        "/login", data={"email": f"student-{slug}@x.org", "password": "ta chose it 1"}
    )
    assert (login.status_code == 302) is ta_can_edit
    if not ta_can_edit:
        zh = ta.post(
            f"/courses/{slug}/students/{student}/password?lang=zh", data={"password": "x" * 10}
        )
        assert zh.status_code == 403 and "只有课程的教师" in zh.get_data(as_text=True)
    assert _reset(prof, slug, student, "prof chose it 1") == 200  # the instructor always may


def test_an_account_in_another_course_too_is_reset_by_neither(site: Flask) -> None:
    hosted_course(site, "first", "first-prof@x.org", {"io-path": (None, None)})
    hosted_course(site, "second", "second-prof@x.org", {"io-path": (None, None)})
    first, second = signed_in(site, "first-prof@x.org"), signed_in(site, "second-prof@x.org")
    assert _upload(first, "first", "email\nshared@x.org\n")[0] == 200
    shared = user_id(site, "shared@x.org")
    assert _reset(first, "first", shared) == 200  # only in the course that made it: allowed
    assert _upload(second, "second", "email\nshared@x.org\n")[0] == 200  # only invites it
    assert _reset(second, "second", shared) == 403  # not made by the second course
    assert _reset(first, "first", shared) == 200  # an invitation is no other course yet
    joined = signed_in(site, "shared@x.org", "taken-over!").post(
        "/courses/second/invitation", data={"answer": "accept"}
    )
    assert joined.status_code == 302
    assert _reset(first, "first", shared) == 403  # now in another course: staff there see it
    # Staff of a course the account has since made itself an instructor of: the same.
    assert _upload(first, "first", "email\nnow-teaches@x.org\n")[0] == 200
    teacher = user_id(site, "now-teaches@x.org")
    hosted_course(site, "taught", "now-teaches@x.org", {"io-path": (None, None)})
    assert _reset(first, "first", teacher) == 403


def test_a_ta_appoints_and_demotes_no_staff_by_roster_file(site: Flask) -> None:
    hosted_course(
        site,
        "tafile",
        "tafile-prof@x.org",
        {"io-path": (None, None)},
        students=("tafile-s@x.org",),
        tas=("tafile-ta@x.org", "tafile-ta2@x.org"),
    )
    with site.app_context():
        course = course_by_slug("tafile")
        assert course is not None
        settings_of(course).ta_can_edit = True  # the TA may add and remove students
        db.session.commit()
    ta = signed_in(site, "tafile-ta@x.org")
    before = _roles(ta, "tafile")
    status, text = _upload(
        ta,
        "tafile",
        "email,role\nfriend@x.org,ta\ntafile-s@x.org,ta\ntafile-ta2@x.org,student\n"
        "tafile-prof@x.org,student\nok-student@x.org,student\n",
    )
    assert status == 400
    assert "Line 2: only an instructor adds teaching assistants (friend@x.org)." in text
    assert "Line 3: only an instructor adds teaching assistants (tafile-s@x.org)." in text
    assert "Line 4: tafile-ta2@x.org is staff of this course; only an instructor" in text
    assert "Line 5: tafile-prof@x.org is staff of this course" in text
    after = _roles(ta, "tafile")
    assert after == before and "ok-student@x.org" not in after  # nothing imported
    assert _upload(ta, "tafile", "email,role\nok-student@x.org,student\n")[0] == 200
    prof = signed_in(site, "tafile-prof@x.org")
    assert _upload(prof, "tafile", "email,role\nfriend@x.org,ta\n")[0] == 200
    roles = _roles(prof, "tafile")
    assert re.search(r"friend@x\.org\s+Teaching assistant", roles), roles
    assert re.search(r"ok-student@x\.org\s+Student", roles), roles


@pytest.mark.parametrize(
    "body",
    [
        "email,name\n" + "a@x.org,A\n" + 'b@x.org,"' + "x" * 200_000 + '"\n',  # one huge value
        'email,name\nopen@x.org,"Open\n' + "".join(f"c{i}@x.org,Name {i}\n" for i in range(9000)),
    ],
    ids=["huge-value", "open-quote"],
)
def test_a_roster_file_the_csv_reader_refuses_is_named_by_its_line(site: Flask, body: str) -> None:
    slug = f"csvbad-{len(body)}"  # (one course per case: the app is the module's)
    hosted_course(site, slug, f"{slug}-prof@x.org", {"io-path": (None, None)})
    prof = signed_in(site, f"{slug}-prof@x.org")
    before = _roles(prof, slug)
    status, text = _upload(prof, slug, body.encode())
    assert status == 400
    assert re.search(r"Line \d+: a value is too long to be a name or an email", text), text[:500]
    assert _roles(prof, slug) == before


def test_the_refusal_speaks_the_pages_language(site: Flask) -> None:
    hosted_course(site, "zhreset", "zhreset-prof@x.org", {"io-path": (None, None)})
    account(site, "zh-own@x.org")
    prof = signed_in(site, "zhreset-prof@x.org")
    prof.post("/courses/zhreset/roster/add", data={"email": "zh-own@x.org", "role": "student"})
    refused = prof.post(
        f"/courses/zhreset/students/{user_id(site, 'zh-own@x.org')}/password?lang=zh",
        data={"password": PASSWORD + "!"},
    )
    assert refused.status_code == 403
    text = page_text(refused.get_data(as_text=True))
    assert "只有账户的主人" in text, text[:400]


@pytest.mark.parametrize(
    ("text", "bad_line"),
    [
        ("email;name\nsemi@x.org;Semi, Colon\nnot-an-email;Bad\n", 3),  # Excel in much of Europe
        ("sep=;\nemail;name\nsep@x.org;Sep, Line\nnot-an-email;Bad\n", 4),  # with its hint line
        ("email\tname\ntab@x.org\tTab, Separated\nnot-an-email\tBad\n", 3),
    ],
    ids=["semicolons", "sep-line", "tabs"],
)
def test_a_roster_saved_with_semicolons_or_tabs_is_read_as_such(
    site: Flask, text: str, bad_line: int
) -> None:
    slug = f"sep-{bad_line}-{len(text)}"
    hosted_course(site, slug, f"{slug}-prof@x.org", {"io-path": (None, None)})
    prof = signed_in(site, f"{slug}-prof@x.org")
    status, message = _upload(prof, slug, text)
    assert status == 400
    assert f"Line {bad_line}: “not-an-email” is not an email address." in message
    good = "\n".join(line for line in text.splitlines() if "not-an-email" not in line) + "\n"
    assert _upload(prof, slug, good)[0] == 200
    roster = _roles(prof, slug)
    assert re.search(r"(Semi|Sep|Tab), (Colon|Line|Separated)", roster), roster


def test_passwords_made_up_for_a_roster_get_a_fast_hash_and_chosen_ones_the_slow_one(
    site: Flask,
) -> None:
    """A made-up password (72 random bits) needs no slow hash; one a roster file names, which a
    person chose, keeps the site's. A 300-row roster of made-up passwords is then no minute of
    both cores (and no way for anyone who makes a course to burn them)."""
    hosted_course(site, "big-roster", "big-prof@x.org", {})
    site.config["PASSWORD_HASH_METHOD"] = "scrypt"  # the site's default, slow by design
    try:
        prof = signed_in(site, "big-prof@x.org")
        rows = "".join(f"many-{n}@x.org,Many {n}\n" for n in range(300))
        status, text = _upload(prof, "big-roster", "email,name\n" + rows)
        assert status == 200 and "300 people imported" in text
        status, _text = _upload(
            prof, "big-roster", "email,name,password\nchose@x.org,C,Mine 12345\n"
        )
        assert status == 200
        added = prof.post(
            "/courses/big-roster/roster/add", data={"email": "one@x.org", "role": "student"}
        )
        made = re.search(r'<code class="new-password">([^<]+)</code>', added.get_data(as_text=True))
        assert made
        with site.app_context():
            from tutor.web.accounts import find_user

            hashes = {
                email: find_user(email).password_hash  # type: ignore[union-attr]
                for email in ("many-0@x.org", "many-299@x.org", "one@x.org", "chose@x.org")
            }
        assert hashes["many-0@x.org"].startswith("pbkdf2:sha256:1000$")
        assert hashes["one@x.org"].startswith("pbkdf2:sha256:1000$")
        assert hashes["chose@x.org"].startswith("scrypt:")
        signed_in(site, "one@x.org", made.group(1))
        signed_in(site, "chose@x.org", "Mine 12345")
    finally:
        site.config["PASSWORD_HASH_METHOD"] = FAST_HASH


def test_add_one_person_trims_a_pasted_address_and_says_who_was_already_there(
    site: Flask,
) -> None:
    hosted_course(site, "pasted", "pasted-prof@x.org", {})
    prof = signed_in(site, "pasted-prof@x.org")
    added = prof.post(
        "/courses/pasted/roster/add",
        data={"email": "  Pasted.Student@X.org \t", "role": "student"},
    )
    assert added.status_code == 200, page_text(added.get_data(as_text=True))
    assert "pasted.student@x.org" in added.get_data(as_text=True)
    again = prof.post(
        "/courses/pasted/roster/add",
        data={"email": "PASTED.STUDENT@X.ORG", "role": "student"},
        follow_redirects=True,
    )
    text = page_text(again.get_data(as_text=True))
    assert "was already in the course as Student: nothing changed" in text
    assert "is now in the course" not in text
    promoted = prof.post(
        "/courses/pasted/roster/add",
        data={"email": "pasted.student@x.org", "role": "ta"},
        follow_redirects=True,
    )
    assert "was in the course as Student and is now Teaching assistant" in page_text(
        promoted.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    ("line", "left_over"),
    [("smith@x.org,Smith, John", "“John”"), ("weiss@x.org,Weiß, Anna, extra", "“Anna”, “extra”")],
)
def test_a_roster_line_with_more_values_than_columns_is_refused_not_cut(
    site: Flask, line: str, left_over: str
) -> None:
    """An unquoted "Smith, John" under `email,name` made a student named "Smith" (and the name
    could not be fixed by uploading again): the line is refused, saying what was left over."""
    slug = f"overflow-{len(left_over)}"
    hosted_course(site, slug, f"prof-{slug}@x.org", {})
    prof = signed_in(site, f"prof-{slug}@x.org")
    status, text = _upload(prof, slug, f"email,name\n{line}\n")
    assert status == 400
    assert "Line 2 has more values than the first line names columns" in text
    assert left_over in text
    status, _text = _upload(prof, slug, f'email,name\n{line.split(",")[0]},"Smith, John"\n')
    assert status == 200


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "spreadsheet workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "spreadsheet workbook"),
    ],
    ids=["xlsx", "xls"],
)
def test_a_workbook_uploaded_as_a_roster_says_to_save_it_as_csv(
    site: Flask, body: bytes, said: str
) -> None:
    slug = f"workbook-{body[0]}"
    hosted_course(site, slug, f"prof-{slug}@x.org", {})
    status, text = _upload(signed_in(site, f"prof-{slug}@x.org"), slug, body)
    assert status == 400 and said in text and "CSV UTF-8" in text


@pytest.mark.parametrize("header", ["E-mail", "Email Address", "e-mail  address"])
def test_common_spellings_of_the_email_column_are_read(site: Flask, header: str) -> None:
    slug = f"spelling-{len(header)}"
    hosted_course(site, slug, f"prof-{slug}@x.org", {})
    status, text = _upload(
        signed_in(site, f"prof-{slug}@x.org"), slug, f"{header},Name\nsp-{len(header)}@x.org,S\n"
    )
    assert status == 200 and "1 person imported" in text


def test_a_roster_file_says_who_was_already_in_and_whose_role_it_changed(site: Flask) -> None:
    hosted_course(site, "again", "again-prof@x.org", {})
    prof = signed_in(site, "again-prof@x.org")
    assert _upload(prof, "again", "email\nstays@x.org\npromoted@x.org\n")[0] == 200
    status, text = _upload(
        prof, "again", "email,role\nstays@x.org,\npromoted@x.org,ta\nfresh@x.org,\n"
    )
    assert status == 200
    assert "1 person imported" in text  # fresh@ alone
    assert "1 person already in the course has the role the file gives now" in text
    assert "promoted@x.org (Teaching assistant)" in text
    assert "1 person was in the course already: nothing changed for them" in text
