"""Schema migrations on SQLite and on a real PostgreSQL: from empty, down and up again, and a
database made by ``create_all`` before migrations existed, upgraded with its rows."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask

from tutor.web import schema
from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from ..conftest import ROOT


def _tables(app: Flask) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def test_a_new_database_gets_the_schema_of_the_models(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    assert schema.current_revision(app) == schema.head_revision()
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models and migrations differ: add a migration (docs/deployment.md)"
    with app.app_context():
        db.session.add(Course(slug="c", title="C"))
        db.session.commit()
        submission = Submission(course_id=1, learner="l", exercise_id="io-path", code="x")
        db.session.add(submission)
        db.session.commit()
        assert (submission.status, submission.attempts) == ("pending", 0)


def test_downgrade_and_upgrade_again_keep_the_rows(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.app_context():
        db.session.add(Course(slug="c", title="C"))
        db.session.flush()
        db.session.add(
            Submission(course_id=1, learner="l", exercise_id="io-path", code="print(1)", attempts=2)
        )
        db.session.commit()
        db.session.remove()
    schema.downgrade(app, "0001")
    assert schema.current_revision(app) == "0001"
    with app.app_context(), db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("submission")}
        assert "attempts" not in columns
        assert connection.execute(sa.text("SELECT code FROM submission")).scalars().all() == [
            "print(1)"
        ]
    schema.upgrade(app)
    with app.app_context():
        rows = db.session.execute(db.select(Submission)).scalars().all()
        assert [(r.code, r.attempts) for r in rows] == [("print(1)", 0)]
        db.session.remove()
    schema.downgrade(app, "base")
    assert _tables(app) <= {"alembic_version"}
    schema.upgrade(app)
    assert schema.current_revision(app) == schema.head_revision()
    assert {"course", "submission"} <= _tables(app)


def _legacy_metadata() -> sa.MetaData:
    """The tables exactly as ``db.create_all()`` made them before migrations (no names)."""
    metadata = sa.MetaData()
    sa.Table(
        "course",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), unique=True, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )
    sa.Table(
        "submission",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("course_id", sa.Integer, sa.ForeignKey("course.id"), nullable=False),
        sa.Column("learner", sa.String(64), index=True, nullable=False),
        sa.Column("exercise_id", sa.String(100), index=True, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), index=True, nullable=False),
        sa.Column("score", sa.Double, nullable=True),
        sa.Column("report_json", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("graded_at", sa.DateTime, nullable=True),
    )
    return metadata


def test_a_database_made_before_migrations_is_upgraded_with_its_rows(
    database_url: str, make_app: Callable[..., Flask]
) -> None:
    metadata = _legacy_metadata()
    engine = sa.create_engine(database_url)
    created = datetime(2026, 9, 1, 8, 30)
    with engine.begin() as connection:
        metadata.create_all(connection)
        connection.execute(metadata.tables["course"].insert(), [{"slug": "demo", "title": "D"}])
        submissions = metadata.tables["submission"]
        connection.execute(
            submissions.insert(),
            {"course_id": 1, "learner": "ann", "exercise_id": "io-path", "code": "a = 1",
             "status": "graded", "score": 100.0, "report_json": '{"verdict": "passed"}',
             "created_at": created, "graded_at": created},
        )  # fmt: skip
        connection.execute(
            submissions.insert(),
            {"course_id": 1, "learner": "bo", "exercise_id": "faster-io", "code": "b = 2",
             "status": "pending", "created_at": created},
        )  # fmt: skip
    engine.dispose()  # the database's old owner goes away before the new code starts

    app = make_app()  # every start upgrades

    assert schema.current_revision(app) == schema.head_revision()
    with app.app_context():
        rows = db.session.execute(db.select(Submission).order_by(Submission.id)).scalars().all()
        assert [(r.learner, r.code, r.status, r.score) for r in rows] == [
            ("ann", "a = 1", "graded", 100.0),
            ("bo", "b = 2", "pending", None),
        ]
        assert rows[0].report == {"verdict": "passed"}
        assert rows[0].created_at == created.replace(tzinfo=UTC)
        assert [(r.attempts, r.variant_seed, r.started_at) for r in rows] == [(0, None, None)] * 2
        db.session.add(Submission(course_id=1, learner="cy", exercise_id="io-path", code="c"))
        db.session.commit()
        assert db.session.execute(sa.select(sa.func.count(Submission.id))).scalar() == 3


# What create_app does about the schema, without the rest of the app (lessons, grader).
START = (
    "import sys; sys.path.insert(0, {root!r})\n"
    "from flask import Flask\n"
    "from tutor.web import models, schema\n"
    "from tutor.web.extensions import db\n"
    "app = Flask('start')\n"
    "app.config['SQLALCHEMY_DATABASE_URI'] = {url!r}\n"
    "db.init_app(app)\n"
    "schema.init_app(app)\n"
)


def test_processes_starting_at_once_migrate_one_at_a_time(
    database_url: str, make_app: Callable[..., Flask]
) -> None:
    """Four web processes started together on an empty database all come up, on one schema."""
    code = START.format(root=str(ROOT), url=database_url)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outcomes = [(p.wait(120), p.stderr.read().decode() if p.stderr else "") for p in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert [rc for rc, _ in outcomes] == [0, 0, 0], [err[-2000:] for _, err in outcomes]
    app = make_app(AUTO_MIGRATE=False)
    assert schema.current_revision(app) == schema.head_revision()


def test_the_migrations_have_one_head() -> None:
    """Two migrations written on the same parent (two engineers, two branches) must be chained
    before they land: Alembic would refuse to upgrade to an ambiguous "head"."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(schema.MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"migrations have several heads {heads}: re-parent the newer one"


def test_a_database_behind_or_ahead_of_the_code_is_said_plainly(
    make_app: Callable[..., Flask],
) -> None:
    """Migrated by hand (AUTO_MIGRATE off), a database behind the code answered every sign-in
    "try again in a moment" (a missing column looked like an outage); one a newer version had
    upgraded stopped every command on Alembic's "Can't locate revision" traceback."""
    app = make_app()
    schema.downgrade(app, "0001")
    behind = make_app(AUTO_MIGRATE=False)
    page = behind.test_client().get("/login")
    assert page.status_code == 503
    assert "db upgrade" in page.get_data(as_text=True)
    schema.upgrade(app)
    assert make_app(AUTO_MIGRATE=False).test_client().get("/login").status_code == 200
    # The process that said "run db upgrade" serves again once it has been run, unrestarted.
    behind_client = behind.test_client()
    deadline = time.monotonic() + 3 * schema._SchemaCheck.AGAIN_SECONDS + 5
    while (status := behind_client.get("/login").status_code) == 503:
        assert time.monotonic() < deadline, "still 503 after the upgrade"
        time.sleep(0.2)
    assert status == 200
    with app.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'c999_future'"))
        db.session.commit()
        db.session.remove()
    with pytest.raises(schema.SchemaMismatch, match="newer version of VirtTutor"):
        make_app()
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE alembic_version SET version_num = :head"),
            {"head": schema.head_revision()},
        )
        db.session.commit()
        db.session.remove()


def test_commands_that_only_look_at_the_database_leave_its_schema_as_it_is(
    make_app: Callable[..., Flask], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An operator checks the revision and takes a backup before an upgrade: `flask db current`
    and `flask tutor backup` upgraded the database first (the "pre-upgrade" backup was one the
    old version refuses, and the old version's servers ran on the new schema)."""
    app = make_app()
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    schema.downgrade(app, "0001")
    folder = tmp_path_factory.mktemp("looking")
    environment = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "TUTOR_SECRET_KEY": "t"}

    def flask(*words: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "flask", "--app", "app", *words]
        return subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
        )

    current = flask("db", "current")
    assert current.returncode == 0 and "0001" in current.stdout, current.stderr[-800:]
    assert "does not upgrade it" in current.stderr
    # A backup reads the tables as this version has them: refused, saying so, not upgraded.
    backup = flask("tutor", "backup", str(folder / "before.json.gz"))
    assert backup.returncode != 0 and not (folder / "before.json.gz").exists()
    assert "does not upgrade it" in backup.stderr and "Traceback" not in backup.stderr
    assert schema.current_revision(app) == "0001"
    upgraded = flask("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-800:]
    assert "run `flask --app app db upgrade`" not in upgraded.stderr
    assert schema.current_revision(app) == schema.head_revision()
