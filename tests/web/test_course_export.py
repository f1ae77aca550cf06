"""A course's files from the command line (#13): ``export-course --with-submissions`` dropped
the submissions of people removed from the course without a word (the removal page had said
"their submissions are kept"), and the course file and the grades CSV — every student's email
and name — were written readable by every local user while a backup was owner-only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from tutor.web.extensions import db
from tutor.web.models import Submission
from tutor.web.roster import course_by_slug, members

from .course_site_helpers import course_site, graded, hosted_course, signed_in, solution


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("course-export"), "course-export")


def _private(path: Path) -> bool:
    return path.stat().st_mode & 0o077 == 0


def test_a_removed_members_submissions_travel_with_the_course_out_of_its_gradebook(
    site: Flask, tmp_path: Path
) -> None:
    hosted_course(
        site, "exp", "exp-prof@x.org", {"io-path": (None, None)}, students=("a@x.org", "b@x.org")
    )
    code, when = solution(site, "io-path"), datetime.now(UTC)
    graded(site, "exp", "a@x.org", "io-path", code, when)
    for _ in range(2):
        graded(site, "exp", "b@x.org", "io-path", code, when)
    runner = site.test_cli_runner()
    assert runner.invoke(args=["tutor", "unenrol", "exp", "b@x.org"]).exit_code == 0
    exported = tmp_path / "exp.json"
    done = runner.invoke(
        args=["tutor", "export-course", "exp", str(exported), "--with-submissions"]
    )
    assert done.exit_code == 0, done.output
    assert "3 submissions (2 of them by 1 person removed from the course" in done.output
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert [p["email"] for p in document["former_members"]] == ["b@x.org"]
    assert sum(1 for s in document["submissions"] if s.get("former_member")) == 2
    made = runner.invoke(args=["tutor", "import-course", str(exported), "--slug", "exp2"])
    assert made.exit_code == 0 and "(3 submissions)" in made.output, made.output
    with site.app_context():
        course = course_by_slug("exp2")
        assert course is not None
        assert "b@x.org" not in {u.email for u, _ in members(course)}
        stored = db.session.scalar(
            db.select(db.func.count()).select_from(Submission).filter_by(course_id=course.id)
        )
        assert stored == 3
    book = signed_in(site, "exp-prof@x.org").get("/courses/exp2/gradebook")
    assert "a@x.org" in book.get_data(as_text=True)
    assert "b@x.org" not in book.get_data(as_text=True)  # out of the gradebook, as in exp


def test_files_holding_students_data_are_readable_by_their_owner_alone(
    site: Flask, tmp_path: Path
) -> None:
    hosted_course(site, "own", "own-prof@x.org", {"io-path": (None, None)}, students=("o@x.org",))
    runner = site.test_cli_runner()
    stale = tmp_path / ".course.json.partial"  # left by a crash, world-readable
    stale.write_text("{}")
    stale.chmod(0o644)
    for args, name in (
        (["export-course", "own"], "course.json"),
        (["export-grades", "own"], "grades.csv"),
        (["backup"], "all.json.gz"),
    ):
        target = tmp_path / name
        target.write_text("an older file")
        target.chmod(0o644)
        done = runner.invoke(args=["tutor", *args, str(target)])
        assert done.exit_code == 0, done.output
        assert _private(target), name
        assert target.read_bytes() != b"an older file"
    assert not stale.exists()
