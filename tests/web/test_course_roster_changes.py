"""Managing a course's people after the fact (#13): removing a member, changing a member's role,
from the roster page and the command line; submissions outlive a removal; a course always keeps
an instructor; and who may do any of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Submission
from tutor.web.roster import course_by_slug
from tutor.web.schedule import settings_of

from .course_site_helpers import (
    course_site,
    graded,
    hosted_course,
    page_text,
    signed_in,
    solution,
    user_id,
)

NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the module; every test makes its own course in it."""
    yield from course_site(tmp_path_factory.mktemp("roster-changes"), "roster-changes")


def _kept(app: Flask, email: str) -> int:
    """How many submissions of this person are stored."""
    with app.app_context():
        user = find_user(email)
        assert user is not None
        rows = db.session.execute(db.select(Submission).filter_by(learner=user.learner))
        return len(rows.scalars().all())


def _gradebook_emails(client: FlaskClient, slug: str) -> list[str]:
    page = client.get(f"/courses/{slug}/gradebook").get_data(as_text=True)
    return re.findall(r'<tr data-email="([^"]+)"', page)


def _roster_roles(client: FlaskClient, slug: str) -> dict[str, str]:
    page = client.get(f"/courses/{slug}/roster").get_data(as_text=True)
    rows = re.findall(r"<td>([^<@]+@[^<]+)</td>\s*<td>([^<]+)</td>", page)
    return {email: role for email, role in rows}


def test_a_removed_student_leaves_the_gradebook_and_comes_back_with_their_work(
    site: Flask,
) -> None:
    hosted_course(
        site,
        "rm1",
        "rm1-prof@example.org",
        {"io-path": (None, NOW + timedelta(days=3))},
        students=("rm1-ann@example.org", "rm1-bob@example.org"),
    )
    graded(site, "rm1", "rm1-ann@example.org", "io-path", solution(site, "io-path"), NOW)
    prof = signed_in(site, "rm1-prof@example.org")
    ann = user_id(site, "rm1-ann@example.org")
    roster = prof.get("/courses/rm1/roster").get_data(as_text=True)
    assert f'href="/courses/rm1/members/{ann}/remove"' in roster

    confirm = prof.get(f"/courses/rm1/members/{ann}/remove")
    text = page_text(confirm.get_data(as_text=True))
    assert confirm.status_code == 200
    assert "Remove rm1-ann (rm1-ann@example.org, Student) from Course rm1?" in text
    assert "Their 1 submission to the course is kept" in text
    assert _gradebook_emails(prof, "rm1") == ["rm1-ann@example.org", "rm1-bob@example.org"]

    removed = prof.post(f"/courses/rm1/members/{ann}/remove")
    assert removed.status_code == 302 and removed.location == "/courses/rm1/roster"
    shown = page_text(prof.get("/courses/rm1/roster").get_data(as_text=True))
    assert "rm1-ann@example.org is no longer in the course. Their submissions are kept" in shown
    assert "rm1-ann@example.org" not in _roster_roles(prof, "rm1")
    assert _gradebook_emails(prof, "rm1") == ["rm1-bob@example.org"]
    student = signed_in(site, "rm1-ann@example.org")
    assert student.get("/courses/rm1").status_code == 404
    assert "Course rm1" not in student.get("/courses").get_data(as_text=True)
    assert _kept(site, "rm1-ann@example.org") == 1

    again = prof.post(f"/courses/rm1/members/{ann}/remove")
    assert again.status_code == 404
    assert "That person is not in this course (any more)." in page_text(
        again.get_data(as_text=True)
    )
    assert prof.post("/courses/rm1/members/999999/remove").status_code == 404

    back = prof.post(
        "/courses/rm1/roster/add", data={"email": "rm1-ann@example.org", "role": "student"}
    )
    assert back.status_code == 302
    book = prof.get("/courses/rm1/gradebook").get_data(as_text=True)
    cell = re.search(
        r'data-email="rm1-ann@example.org">.*?data-exercise-id="io-path" data-best="([^"]*)"',
        book,
        re.S,
    )
    assert cell and cell.group(1) == "100"  # her submission counts again
    assert student.get("/courses/rm1").status_code == 200


def test_roles_change_from_the_roster_and_a_course_keeps_an_instructor(site: Flask) -> None:
    hosted_course(
        site, "rm2", "rm2-prof@example.org", {"io-path": (None, None)}, students=("rm2-s@x.org",)
    )
    prof = signed_in(site, "rm2-prof@example.org")
    me, stu = user_id(site, "rm2-prof@example.org"), user_id(site, "rm2-s@x.org")
    student = signed_in(site, "rm2-s@x.org")
    assert student.get("/courses/rm2/gradebook").status_code == 403

    roster = prof.get("/courses/rm2/roster").get_data(as_text=True)
    assert f'action="/courses/rm2/members/{stu}/role"' in roster
    ta = prof.post(f"/courses/rm2/members/{stu}/role", data={"role": "ta"})
    assert ta.status_code == 302
    assert "rm2-s@x.org is now Teaching assistant (was Student)." in page_text(
        prof.get("/courses/rm2/roster").get_data(as_text=True)
    )
    assert student.get("/courses/rm2/gradebook").status_code == 200
    assert _roster_roles(prof, "rm2")["rm2-s@x.org"] == "Teaching assistant"
    assert prof.post(f"/courses/rm2/members/{stu}/role", data={"role": "boss"}).status_code == 400

    for attempt in (
        prof.post(f"/courses/rm2/members/{me}/role", data={"role": "ta"}),
        prof.post(f"/courses/rm2/members/{me}/remove"),
        prof.post("/courses/rm2/roster/add", data={"email": "rm2-prof@example.org", "role": "ta"}),
    ):
        assert attempt.status_code == 409
        assert (
            "rm2-prof@example.org is the last instructor of this course, and a course keeps at "
            "least one" in page_text(attempt.get_data(as_text=True))
        )
    assert _roster_roles(prof, "rm2")["rm2-prof@example.org"] == "Instructor"

    prof.post(f"/courses/rm2/members/{stu}/role", data={"role": "instructor"})
    assert _roster_roles(prof, "rm2")["rm2-s@x.org"] == "Instructor"
    leaves = prof.post(f"/courses/rm2/members/{me}/remove")
    assert leaves.status_code == 302 and leaves.location == "/courses"
    assert prof.get("/courses/rm2").status_code == 404
    assert student.get("/courses/rm2/settings").status_code == 200  # the new instructor


def test_a_ta_manages_students_only_and_only_when_allowed(site: Flask) -> None:
    hosted_course(
        site,
        "rm3",
        "rm3-prof@example.org",
        {"io-path": (None, None)},
        students=("rm3-a@x.org", "rm3-b@x.org"),
        tas=("rm3-ta@x.org", "rm3-ta2@x.org"),
    )
    ta = signed_in(site, "rm3-ta@x.org")
    a, b = user_id(site, "rm3-a@x.org"), user_id(site, "rm3-b@x.org")
    other_ta, prof = user_id(site, "rm3-ta2@x.org"), user_id(site, "rm3-prof@example.org")
    assert "/remove" not in ta.get("/courses/rm3/roster").get_data(as_text=True)
    assert ta.post(f"/courses/rm3/members/{a}/remove").status_code == 403
    with site.app_context():
        course = course_by_slug("rm3")
        assert course is not None
        settings_of(course).ta_can_edit = True
        db.session.commit()
    roster = ta.get("/courses/rm3/roster").get_data(as_text=True)
    assert f"/courses/rm3/members/{a}/remove" in roster
    assert f"/courses/rm3/members/{prof}/remove" not in roster
    assert "role-form" not in roster  # only an instructor changes roles
    assert ta.get(f"/courses/rm3/members/{a}/remove").status_code == 200
    assert ta.post(f"/courses/rm3/members/{a}/remove").status_code == 302
    assert "rm3-a@x.org" not in _roster_roles(ta, "rm3")
    assert ta.post(f"/courses/rm3/members/{b}/role", data={"role": "ta"}).status_code == 403
    for staff in (other_ta, prof):
        assert ta.get(f"/courses/rm3/members/{staff}/remove").status_code == 403
        assert ta.post(f"/courses/rm3/members/{staff}/remove").status_code == 403
        data = {"role": "student"}
        assert ta.post(f"/courses/rm3/members/{staff}/role", data=data).status_code == 403
    demote = {"email": "rm3-prof@example.org", "role": "student"}
    assert ta.post("/courses/rm3/roster/add", data=demote).status_code == 403
    roles = _roster_roles(ta, "rm3")
    assert roles["rm3-prof@example.org"] == "Instructor"
    assert roles["rm3-ta2@x.org"] == "Teaching assistant"
    assert roles["rm3-b@x.org"] == "Student"


@pytest.mark.parametrize("action", ["confirm", "remove", "role"])
def test_nobody_else_removes_or_changes_a_member(site: Flask, action: str) -> None:
    slug = f"rm4-{action}"
    hosted_course(
        site,
        slug,
        f"{slug}-prof@x.org",
        {"io-path": (None, None)},
        students=(f"{slug}-s@x.org", f"{slug}-t@x.org"),
        tas=(f"{slug}-ta@x.org",),
    )
    hosted_course(site, f"{slug}-other", f"{slug}-prof2@x.org", {"io-path": (None, None)})
    target = user_id(site, f"{slug}-t@x.org")
    path = f"/courses/{slug}/members/{target}/" + ("role" if action == "role" else "remove")

    def attempt(client: FlaskClient) -> int:
        if action == "confirm":
            return client.get(path).status_code
        return client.post(path, data={"role": "instructor"}).status_code

    assert attempt(signed_in(site, f"{slug}-s@x.org")) == 403  # a student of the course
    assert attempt(signed_in(site, f"{slug}-ta@x.org")) == 403  # a TA not allowed to edit
    assert attempt(signed_in(site, f"{slug}-prof2@x.org")) == 404  # another course's instructor
    anonymous = site.test_client().post(path, data={"role": "instructor"})
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    assert _roster_roles(signed_in(site, f"{slug}-prof@x.org"), slug)[f"{slug}-t@x.org"] == (
        "Student"
    )


def test_roster_changes_need_the_csrf_token(site: Flask) -> None:
    hosted_course(
        site, "rm5", "rm5-prof@x.org", {"io-path": (None, None)}, students=("rm5-s@x.org",)
    )
    stu = user_id(site, "rm5-s@x.org")
    prof = signed_in(site, "rm5-prof@x.org")
    site.config["WTF_CSRF_ENABLED"] = True
    try:
        assert prof.post(f"/courses/rm5/members/{stu}/remove").status_code == 400
        forged = prof.post(f"/courses/rm5/members/{stu}/role", data={"role": "ta"})
        assert forged.status_code == 400
        page = prof.get(f"/courses/rm5/members/{stu}/remove").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        done = prof.post(f"/courses/rm5/members/{stu}/remove", data={"csrf_token": token[1]})
        assert done.status_code == 302
    finally:
        site.config["WTF_CSRF_ENABLED"] = False
    assert "rm5-s@x.org" not in _roster_roles(prof, "rm5")


def test_the_command_line_changes_roles_and_unenrols(site: Flask) -> None:
    hosted_course(
        site, "rm6", "rm6-prof@x.org", {"io-path": (None, None)}, students=("rm6-s@x.org",)
    )
    graded(site, "rm6", "rm6-s@x.org", "io-path", "x = 1", NOW)
    runner = site.test_cli_runner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(args=["tutor", *args])
        return result.exit_code, result.output

    assert run("enrol", "rm6", "rm6-s@x.org", "--role", "ta") == (
        0,
        "rm6-s@x.org is ta in rm6 (was student)\n",
    )
    assert run("enrol", "rm6", "rm6-s@x.org", "--role", "ta")[1] == (
        "rm6-s@x.org was already ta in rm6\n"
    )
    code, out = run("enrol", "rm6", "rm6-prof@x.org", "--role", "student")
    assert code != 0 and "rm6-prof@x.org is the last instructor of rm6" in out
    code, out = run("unenrol", "rm6", "rm6-prof@x.org")
    assert code != 0 and "nothing changed" in out and "last instructor" in out
    code, out = run("unenrol", "rm6", "rm6-s@x.org")
    assert code == 0, out
    assert "rm6-s@x.org (ta) is no longer in rm6; their 1 submissions to it are kept" in out
    code, out = run("unenrol", "rm6", "rm6-s@x.org")
    assert code != 0 and "rm6-s@x.org is not in rm6" in out
    code, out = run("unenrol", "nope", "rm6-s@x.org")
    assert code != 0 and "no course 'nope'" in out
    code, out = run("unenrol", "rm6", "nobody@x.org")
    assert code != 0 and "no account nobody@x.org" in out and "nothing changed" in out
    assert "create-user" not in out  # making an account to remove it is no advice
    assert _kept(site, "rm6-s@x.org") == 1
    assert run("enrol", "rm6", "rm6-s@x.org", "--role", "student")[1] == (
        "rm6-s@x.org is student in rm6\n"
    )
    prof = signed_in(site, "rm6-prof@x.org")
    assert "rm6-s@x.org" in _gradebook_emails(prof, "rm6")
