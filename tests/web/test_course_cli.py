"""Running a course from the command line (#13): accounts, courses, enrolment, grades, the demo."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from tutor.web.accounts import find_user

from .course_site_helpers import PASSWORD, fast_hashing, graded, signed_in, solution


def test_create_user_course_enrol_and_export_grades(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    fast_hashing(app)
    made = runner.invoke(
        args=[
            "tutor",
            "create-user",
            "Prof@Example.org",
            "--password",
            "long enough 1",
            "--name",
            "Prof",
        ]
    )
    assert made.exit_code == 0, made.output
    again = runner.invoke(args=["tutor", "create-user", "prof@example.org"])
    assert again.exit_code != 0 and "already has an account" in again.output
    short = runner.invoke(args=["tutor", "create-user", "x@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    bad = runner.invoke(args=["tutor", "create-user", "not-an-address"])
    assert bad.exit_code != 0 and "is not an email address" in bad.output
    student = runner.invoke(args=["tutor", "create-user", "stu@example.org"])
    password = re.search(r"password: (\S+)", student.output)
    assert password, student.output
    course = runner.invoke(
        args=[
            "tutor",
            "create-course",
            "net-101",
            "--title",
            "Networks",
            "--instructor",
            "prof@example.org",
        ]
    )
    assert course.exit_code == 0, course.output
    code = re.search(r"join code: ([A-Z0-9]{8})", course.output)
    assert code
    taken = runner.invoke(
        args=[
            "tutor",
            "create-course",
            "net-101",
            "--title",
            "Again",
            "--instructor",
            "prof@example.org",
        ]
    )
    assert taken.exit_code != 0 and "exists already" in taken.output
    nobody = runner.invoke(
        args=["tutor", "create-course", "x-1", "--title", "X", "--instructor", "ghost@example.org"]
    )
    assert nobody.exit_code != 0 and "create-user ghost@example.org" in nobody.output
    enrolled = runner.invoke(
        args=["tutor", "enrol", "net-101", "stu@example.org", "--role", "student"]
    )
    assert enrolled.exit_code == 0 and "student in net-101" in enrolled.output
    # The course's exercises, then a graded submission, through the instructor's page.
    prof = signed_in(app, "prof@example.org", "long enough 1")
    form = prof.get("/courses/net-101/settings").get_data(as_text=True)
    rows = re.findall(r'name="exercises-(\d+)-exercise_id"[^>]*value="([^"]+)"', form)
    data = {"title": "Networks", "late_policy": "accept", "penalty_per_day": "10"}
    for number, exercise in rows:
        data[f"exercises-{number}-exercise_id"] = exercise
        if exercise == "io-path":
            data[f"exercises-{number}-included"] = "y"
    assert prof.post("/courses/net-101/settings", data=data).status_code == 302
    graded(
        app, "net-101", "stu@example.org", "io-path", solution(app, "io-path"), datetime.now(UTC)
    )
    target = tmp_path / "grades.csv"
    exported = runner.invoke(args=["tutor", "export-grades", "net-101", str(target)])
    assert exported.exit_code == 0, exported.output
    with target.open(encoding="utf-8", newline="") as file:
        written = file.read()
    rows_out = list(csv.DictReader(written.splitlines()))
    assert [(r["SIS Login ID"], r["Total"]) for r in rows_out] == [("stu@example.org", "100")]
    page = prof.get("/courses/net-101/gradebook.csv").get_data(as_text=True)
    assert page == written and written.startswith("\ufeff")  # the page's CSV, BOM and all
    piped = runner.invoke(args=["tutor", "export-grades", "net-101", "-"])
    assert piped.exit_code == 0 and piped.stdout_bytes.decode("utf-8") == written
    assert not Path("-").exists()
    missing = runner.invoke(args=["tutor", "export-grades", "demo", str(target)])
    assert missing.exit_code != 0 and "no hosted course" in missing.output
    reset = runner.invoke(args=["tutor", "set-password", "stu@example.org"])
    new = re.search(r": (\S+)$", reset.output.strip())
    assert reset.exit_code == 0 and new
    signed_in(app, "stu@example.org", new.group(1))


def test_the_demo_course_has_staff_and_students_with_late_and_failing_work(
    app: Flask, runner: FlaskCliRunner
) -> None:
    fast_hashing(app)
    seeded = runner.invoke(args=["tutor", "seed-demo-course"])
    assert seeded.exit_code == 0, seeded.output
    logins = dict(re.findall(r"(\S+@example\.org)\s+(\S+)", seeded.output))
    assert len(logins) == 6
    prof = signed_in(app, "instructor@example.org", logins["instructor@example.org"])
    book = prof.get("/courses/virt101/gradebook").get_data(as_text=True)
    assert "day late" in book
    dashboard = prof.get("/courses/virt101/dashboard").get_data(as_text=True)
    rules = dashboard.split('class="data-table rules"')[1].split("</table>")[0]
    assert rules.count("<tr data-rule=") >= 2  # failing on different rules
    ta = signed_in(app, "ta@example.org", logins["ta@example.org"])
    assert ta.get("/courses/virt101/gradebook").status_code == 200
    assert ta.get("/courses/virt101/settings").status_code == 403
    again = runner.invoke(args=["tutor", "seed-demo-course"])
    assert again.exit_code == 0 and "exists already" in again.output


def test_the_only_instructor_of_a_course_with_members_is_not_erased(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """delete-account left a course with its students and nobody to manage it."""
    fast_hashing(app)
    for email in ("solo@example.org", "pupil@example.org", "second@example.org"):
        assert (
            runner.invoke(args=["tutor", "create-user", email, "--password", PASSWORD]).exit_code
            == 0
        )
    made = runner.invoke(
        args=[
            "tutor",
            "create-course",
            "solo",
            "--title",
            "Solo",
            "--instructor",
            "solo@example.org",
        ]
    )
    assert made.exit_code == 0, made.output
    runner.invoke(args=["tutor", "enrol", "solo", "pupil@example.org", "--role", "student"])
    for args in (["solo@example.org"], ["solo@example.org", "--yes"]):
        refused = runner.invoke(args=["tutor", "delete-account", *args])
        assert refused.exit_code != 0 and "only instructor of solo (1 other" in refused.output
    with app.app_context():
        assert find_user("solo@example.org") is not None
    runner.invoke(args=["tutor", "enrol", "solo", "second@example.org", "--role", "instructor"])
    erased = runner.invoke(args=["tutor", "delete-account", "solo@example.org", "--yes"])
    assert erased.exit_code == 0, erased.output


def test_a_long_title_and_a_backup_given_to_import_course_are_refused_clearly(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    fast_hashing(app)
    runner.invoke(args=["tutor", "create-user", "long@example.org", "--password", PASSWORD])
    long = runner.invoke(
        args=[
            "tutor",
            "create-course",
            "long",
            "--title",
            "T" * 300,
            "--instructor",
            "long@example.org",
        ]
    )
    assert long.exit_code != 0 and "at most 200" in long.output
    backup = tmp_path / "backup.json.gz"
    assert runner.invoke(args=["tutor", "backup", str(backup)]).exit_code == 0
    wrong = runner.invoke(args=["tutor", "import-course", str(backup)])
    assert wrong.exit_code != 0 and "flask tutor restore" in wrong.output
    assert "codec" not in wrong.output
