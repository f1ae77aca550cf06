"""The end of a term (#13): an instructor closes last term's course, which then takes no
submissions and no new members and keeps everything; next term's course is imported with its
staff, exercises and settings but none of last term's students or work. A student in both had
this term's Submit counted in last term's course before."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Course, Submission
from tutor.web.roster import course_by_slug, members

from .course_site_helpers import graded, hosted_course, page_text, signed_in

EXERCISE = "layer-overhead"
DUE = datetime.now(UTC) + timedelta(days=30)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("terms")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "terms",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'course-site.db'}",
            "WTF_CSRF_ENABLED": False,
            "SIGNIN_RATE_LIMIT": "1000 per minute",
            "QUEUE_URL": "immediate",
            "GRADER": "process",
        }
    )
    yield app
    with app.app_context():
        db.session.remove()


def _counted_in(site: Flask, submission_id: int) -> str:
    with site.app_context():
        row = db.session.get(Submission, submission_id)
        assert row is not None
        course = db.session.get(Course, row.course_id)
        assert course is not None
        return course.slug


def _submit(site: Flask, email: str) -> int:
    client = signed_in(site, email)
    code = str(site.extensions["catalog"].exercise(EXERCISE).solution)
    reply = client.post(f"/api/exercises/{EXERCISE}/grade", json={"code": code})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return int(reply.get_json()["submission"])


def test_a_closed_course_takes_no_work_and_no_members_and_keeps_everything(
    site: Flask, tmp_path: Path
) -> None:
    hosted_course(
        site, "fall", "prof@x.org", {EXERCISE: (None, DUE)}, students=("li@x.org", "ann@x.org")
    )
    code = str(site.extensions["catalog"].exercise(EXERCISE).solution)
    graded(site, "fall", "ann@x.org", EXERCISE, code, datetime.now(UTC))
    runner = site.test_cli_runner()
    exported = tmp_path / "fall.json"
    assert runner.invoke(args=["tutor", "export-course", "fall", str(exported)]).exit_code == 0
    made = runner.invoke(
        args=["tutor", "import-course", str(exported), "--slug", "spring", "--next-term"]
    )
    assert made.exit_code == 0, made.output
    assert "(0 submissions)" in made.output
    with site.app_context():
        spring = course_by_slug("spring")
        assert spring is not None
        assert [(u.email, role) for u, role in members(spring)] == [("prof@x.org", "instructor")]
    join_code = re.search(r"join code: (\w+)", made.output)
    assert join_code
    li = signed_in(site, "li@x.org")
    assert li.post("/join", data={"code": join_code[1]}).status_code == 302
    # In both courses, both open: her Submit went to last term's course (the lower id).
    assert _counted_in(site, _submit(site, "li@x.org")) == "fall"

    prof = signed_in(site, "prof@x.org")
    page = prof.get("/courses/fall").get_data(as_text=True)
    assert "Close the course" in page
    assert prof.post("/courses/fall/close").status_code == 302
    assert _counted_in(site, _submit(site, "li@x.org")) == "spring"
    text = page_text(prof.get("/courses/fall").get_data(as_text=True))
    assert "This course ended on" in text and "Reopen the course" in text
    zh = page_text(li.get("/courses/fall?lang=zh").get_data(as_text=True))
    assert "这门课程已于" in zh
    assert "(ended)" in page_text(li.get("/courses").get_data(as_text=True))
    # Everything is kept: the gradebook still shows Ann's and Li's earlier work.
    book = prof.get("/courses/fall/gradebook")
    assert book.status_code == 200 and "ann@x.org" in book.get_data(as_text=True)
    assert prof.get("/courses/fall/gradebook.csv").status_code == 200
    # Its join code takes nobody in.
    with site.app_context():
        fall_code = course_join_code(site, "fall")
    hosted_course(site, "other", "other-prof@x.org", {}, students=("late@x.org",))
    refused = signed_in(site, "late@x.org").post("/join", data={"code": fall_code})
    assert refused.status_code == 400 and "has ended" in page_text(refused.get_data(as_text=True))
    # Nor does any other way in: "Add one person", a roster file, an invitation, the CLI.
    added = prof.post("/courses/fall/roster/add", data={"email": "new@x.org", "role": "student"})
    assert added.status_code == 409 and "has ended" in page_text(added.get_data(as_text=True))
    imported = prof.post(
        "/courses/fall/roster/import",
        data={"roster": (io.BytesIO(b"email\nrow@x.org\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 409
    roster = page_text(prof.get("/courses/fall/roster").get_data(as_text=True))
    assert "Add one person" not in roster and "it takes no new members" in roster
    assert "Join code for students" not in text
    enrolled = runner.invoke(args=["tutor", "enrol", "fall", "late@x.org"])
    assert enrolled.exit_code != 0 and "is closed" in enrolled.output
    with site.app_context():
        course = course_by_slug("fall")
        assert course is not None and members(course)[-1][0].email != "late@x.org"
        ended_on = course.closed_at
    assert prof.post("/courses/fall/close").status_code == 302  # closing again: same day kept
    with site.app_context():
        assert course_by_slug("fall").closed_at == ended_on  # type: ignore[union-attr]
    # A student or a TA cannot close or reopen it.
    assert li.post("/courses/fall/close", data={"reopen": "1"}).status_code == 403
    # Reopened, it takes work again; the CLI closes it too.
    assert prof.post("/courses/fall/close", data={"reopen": "1"}).status_code == 302
    assert _counted_in(site, _submit(site, "li@x.org")) == "fall"
    closed = runner.invoke(args=["tutor", "close-course", "fall"])
    assert closed.exit_code == 0 and "closed" in closed.output
    assert _counted_in(site, _submit(site, "li@x.org")) == "spring"
    assert runner.invoke(args=["tutor", "close-course", "nope"]).exit_code != 0


def course_join_code(site: Flask, slug: str) -> str:
    from tutor.web.schedule import settings_of

    course = course_by_slug(slug)
    assert course is not None
    return str(settings_of(course).join_code)


def test_a_submit_after_the_course_ended_says_it_does_not_count_for_it(site: Flask) -> None:
    """It was graded and stored as self-study (right: nothing refused) but shown as "Passed"
    and nothing more, as if it counted for the course."""
    hosted_course(
        site, "autumn", "autumn-prof@x.org", {EXERCISE: (None, DUE)}, students=("e@x.org",)
    )
    runner = site.test_cli_runner()
    assert runner.invoke(args=["tutor", "close-course", "autumn"]).exit_code == 0
    student = signed_in(site, "e@x.org")
    code = str(site.extensions["catalog"].exercise(EXERCISE).solution)
    reply = student.post(f"/api/exercises/{EXERCISE}/grade", json={"code": code})
    body = reply.get_json()
    assert reply.status_code == 200 and body["verdict"] == "passed"
    assert _counted_in(site, body["submission"]) == site.config["DEMO_COURSE"]  # kept, graded
    assert body["note"]["en"].startswith("Course autumn has ended: this submission does not count")
    assert "已经结课" in body["note"]["zh"]
    for lang, words in (
        ("en", "Course autumn has ended: this submission does not count for it"),
        ("zh", "已经结课"),
    ):
        page = student.post(
            f"/exercises/{EXERCISE}/submit?lang={lang}",
            data={"code": code},
            headers={"HX-Request": "true"},
        )
        assert page.status_code == 200
        assert words in page_text(page.get_data(as_text=True)), lang
    mine = page_text(student.get("/me/submissions").get_data(as_text=True))
    assert "(Course autumn had ended: does not count for it)" in mine
    # Before the course ended, the same Submit counted for it and said nothing of the sort.
    assert runner.invoke(args=["tutor", "close-course", "autumn", "--reopen"]).exit_code == 0
    counted = student.post(f"/api/exercises/{EXERCISE}/grade", json={"code": code}).get_json()
    assert _counted_in(site, counted["submission"]) == "autumn" and "note" not in counted
