"""The course site's rows (#13) on SQLite and PostgreSQL: due times and submissions stored as
UTC moments give the same lateness on both, anonymous work moves to an account, and the
gradebook CSV reads them back."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func

from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from ..web.course_site_helpers import (
    PASSWORD,
    fast_hashing,
    graded,
    hosted_course,
    signed_in,
    solution,
)


def test_lateness_adoption_and_the_gradebook_on_each_database(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    fast_hashing(app)
    due = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    hosted_course(
        app,
        "os",
        "prof@example.org",
        {"io-path": (None, due)},
        students=("late@example.org", "ontime@example.org"),
        penalty=25,
    )
    graded(
        app,
        "os",
        "late@example.org",
        "io-path",
        solution(app, "io-path"),
        due + timedelta(hours=25),
    )  # two started days late
    graded(
        app,
        "os",
        "ontime@example.org",
        "io-path",
        solution(app, "io-path"),
        due - timedelta(minutes=1),
    )
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
                score=40.0,
            )
        )
        db.session.commit()
    browser.post("/login", data={"email": "late@example.org", "password": PASSWORD})
    assert 'data-exercise-id="vm-spec" data-best="40"' in browser.get("/").get_data(as_text=True)
    exported = signed_in(app, "prof@example.org").get("/courses/os/gradebook.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    column = next(c for c in rows[0] if c.endswith("(io-path)"))
    assert {r["Email address"]: r[column] for r in rows} == {
        "late@example.org": "50",
        "ontime@example.org": "100",
    }
    with app.app_context():
        db.session.remove()


def _course_with_work(app: Flask) -> None:
    fast_hashing(app)
    due = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    hosted_course(
        app,
        "os",
        "prof@example.org",
        {"io-path": (None, due)},
        students=("late@example.org", "ontime@example.org"),
        tas=("ta@example.org",),
        penalty=25,
    )
    graded(
        app,
        "os",
        "late@example.org",
        "io-path",
        solution(app, "io-path"),
        due + timedelta(hours=25),
    )
    graded(
        app,
        "os",
        "ontime@example.org",
        "io-path",
        solution(app, "io-path"),
        due - timedelta(minutes=1),
    )
    signed_in(app, "ontime@example.org").post("/lessons/hypervisors/checks/0", json={"choice": 1})


def _grades(app: Flask) -> str:
    return (
        signed_in(app, "prof@example.org").get("/courses/os/gradebook.csv").get_data(as_text=True)
    )


def test_a_backup_restores_on_the_other_database_and_never_over_rows(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    source = make_app(WTF_CSRF_ENABLED=False)
    _course_with_work(source)
    file = tmp_path / "semester.json.gz"
    made = source.test_cli_runner().invoke(args=["tutor", "backup", str(file)])
    assert made.exit_code == 0, made.output
    assert "2 submission" in made.output and oct(file.stat().st_mode & 0o777) == "0o600"
    other = make_app_on(tmp_path / "other.db")
    restored = other.test_cli_runner().invoke(args=["tutor", "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    assert _grades(other) == _grades(source)
    again = other.test_cli_runner().invoke(args=["tutor", "restore", str(file)])
    assert again.exit_code != 0 and "already has rows" in again.output
    assert _grades(other) == _grades(source)  # nothing lost by the refused restore
    replaced = other.test_cli_runner().invoke(args=["tutor", "restore", "--replace", str(file)])
    assert replaced.exit_code == 0, replaced.output
    signed_in(other, "prof@example.org").post("/courses/new", data={"title": "N", "slug": "after"})
    with other.app_context():
        assert db.session.scalar(db.select(Course.id).filter_by(slug="after"))  # ids continue
        db.session.remove()
    (tmp_path / "junk.gz").write_bytes(b"not a backup")
    junk = other.test_cli_runner().invoke(
        args=["tutor", "restore", "--replace", str(tmp_path / "junk.gz")]
    )
    assert junk.exit_code != 0 and "not a VirtTutor backup" in junk.output
    # A damaged backup (a date that is none, a short row): named, nothing changed.
    document = json.loads(gzip.decompress(file.read_bytes()))
    submissions = document["tables"]["submission"]
    for name, damage in (("date", "yesterday"), ("short", None)):
        broken = json.loads(json.dumps(document))
        row = broken["tables"]["submission"]["rows"][0]
        if damage is None:
            row.pop()
        else:
            row[submissions["columns"].index("created_at")] = damage
        path = tmp_path / f"{name}.json.gz"
        path.write_bytes(gzip.compress(json.dumps(broken).encode()))
        done = other.test_cli_runner().invoke(args=["tutor", "restore", "--replace", str(path)])
        assert (
            done.exit_code != 0 and "the backup is damaged: table submission, row 1" in done.output
        )
        assert "Traceback" not in done.output
        assert _grades(other) == _grades(source)
    # Back into the database it came from (PostgreSQL too): its id counters continue after
    # the restored rows, so the next course is stored.
    back = source.test_cli_runner().invoke(args=["tutor", "restore", "--replace", str(file)])
    assert back.exit_code == 0, back.output
    created = signed_in(source, "prof@example.org").post(
        "/courses/new", data={"title": "Next", "slug": "next"}
    )
    assert created.status_code == 302
    assert _grades(source) == _grades(other)
    with source.app_context():
        db.session.remove()


def make_app_on(path: Path) -> Flask:
    """A second installation on its own SQLite file (the backup crosses databases)."""
    from tutor.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )
    fast_hashing(app)
    return app


def test_a_course_moves_with_its_submissions_and_an_account_is_erased(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    _course_with_work(app)
    runner = app.test_cli_runner()
    file = tmp_path / "os.json"
    exported = runner.invoke(args=["tutor", "export-course", "os", str(file), "--with-submissions"])
    assert exported.exit_code == 0 and "2 submissions" in exported.output, exported.output
    taken = runner.invoke(args=["tutor", "import-course", str(file)])
    assert taken.exit_code != 0 and "another short name" in taken.output
    elsewhere = make_app_on(tmp_path / "elsewhere.db")
    imported = elsewhere.test_cli_runner().invoke(args=["tutor", "import-course", str(file)])
    assert imported.exit_code == 0, imported.output
    passwords = dict(re.findall(r"new account (\S+) password: (\S+)", imported.output))
    assert set(passwords) == {
        "prof@example.org",
        "ta@example.org",
        "late@example.org",
        "ontime@example.org",
    }
    prof = signed_in(elsewhere, "prof@example.org", passwords["prof@example.org"])
    assert prof.get("/courses/os/gradebook.csv").get_data(as_text=True) == _grades(app)
    dry = runner.invoke(args=["tutor", "delete-account", "ontime@example.org"])
    assert "1 submissions, 1 concept-check answers would be deleted" in dry.output
    erased = runner.invoke(args=["tutor", "delete-account", "ontime@example.org", "--yes"])
    assert erased.exit_code == 0 and "1 submissions" in erased.output, erased.output
    assert "ontime@example.org" not in _grades(app)
    with app.app_context():
        assert find_user("ontime@example.org") is None
        learners = set(db.session.execute(db.select(Submission.learner)).scalars())
        assert len(learners) == 1  # only the late student's work is left
        db.session.remove()


def test_a_backup_is_one_moment_of_a_database_in_use(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read table by table, a course made between the read of ``account`` and that of
    ``course`` was half in the file; a full disk left a truncated file over the last backup."""
    from tutor.web import backup

    source = make_app(WTF_CSRF_ENABLED=False)
    _course_with_work(source)
    tables = backup._tables()

    def while_reading() -> Iterator[Any]:
        for number, table in enumerate(tables):
            yield table
            if number == 0:  # the site goes on: another connection makes a course and commits
                with db.engine.begin() as other:
                    other.execute(Course.__table__.insert().values(slug="mid", title="Mid"))

    monkeypatch.setattr(backup, "_tables", while_reading)
    file = tmp_path / "moment.json.gz"
    with source.app_context():
        before = db.session.scalar(db.select(func.count()).select_from(Course)) or 0
        db.session.remove()
    counts = backup.backup(source, file)
    assert counts["course"] == before  # the moment the backup began
    with source.app_context():
        assert db.session.scalar(db.select(Course.id).filter_by(slug="mid"))  # and it was made
        db.session.remove()
    # A write that fails (a full disk) leaves the previous file whole, and no partial one.
    monkeypatch.setattr(backup, "_tables", lambda: tables)
    kept = file.read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.json, "dump", disk_full)
    failed = source.test_cli_runner().invoke(args=["tutor", "backup", str(file)])
    assert failed.exit_code != 0 and "No space left on device" in failed.output
    assert file.read_bytes() == kept
    assert [p.name for p in tmp_path.iterdir() if "moment" in p.name] == [file.name]
