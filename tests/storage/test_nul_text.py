"""Text with the NUL character, which PostgreSQL's text cannot hold (SQLite's can): on both
databases a form that sends it is refused with a message before anything is stored, a file is
refused naming it, and learner code holding it is graded (it cannot run) and kept, escaped."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Submission

PASSWORD = "correct horse"


def _app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(
        QUEUE_URL="immediate",
        WTF_CSRF_ENABLED=False,
        SIGNUP_RATE_LIMIT="1000 per minute",
        SIGNIN_RATE_LIMIT="1000 per minute",
        PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )


def test_learner_code_holding_nul_is_graded_and_kept(make_app: Callable[..., Flask]) -> None:
    app = _app(make_app)
    client = app.test_client()
    client.get("/api/session")
    for code in ("def path(kind, operation):\n    return ['\x00']\n", "x = 1\x00\n"):
        graded = client.post("/api/exercises/io-path/grade", json={"code": code})
        assert graded.status_code == 200
        assert "NUL character" in graded.get_json()["message"]["en"]
        assert graded.get_json()["score"] == 0
    with app.app_context():
        stored = db.session.execute(db.select(Submission.code)).scalars().all()
    assert "x = 1\\x00\n" in stored and all("\x00" not in code for code in stored)


def test_forms_holding_nul_are_refused_with_a_message(make_app: Callable[..., Flask]) -> None:
    app = _app(make_app)
    client = app.test_client()
    signup = {"email": "nul@x.org", "password": PASSWORD, "confirm": PASSWORD}
    for path, data in (
        ("/signup", signup | {"name": "Ann\x00"}),
        ("/login", {"email": "n\x00@x.org", "password": PASSWORD}),
    ):
        refused = client.post(path, data=data)
        assert refused.status_code == 400
        assert "NUL character" in refused.get_data(as_text=True)
    with app.app_context():
        assert find_user("nul@x.org") is None
    zh = client.post("/signup?lang=zh", data=signup | {"name": "\x00"})
    assert "NUL 字符" in zh.get_data(as_text=True)
    assert client.post("/signup", data=signup | {"name": "Ann"}).status_code == 302
    made = client.post("/courses/new", data={"title": "T\x00", "slug": "nulc"})
    assert made.status_code == 400
    assert client.post("/courses/new", data={"title": "T", "slug": "nulc"}).status_code == 302
    roster = client.post(
        "/courses/nulc/roster/import",
        data={"roster": (io.BytesIO(b"email,name\nz@x.org,Z\x00Z\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert roster.status_code == 400
    assert "Line 2: a value holds the NUL character" in roster.get_data(as_text=True)
    with app.app_context():
        assert find_user("z@x.org") is None


def test_a_course_file_holding_nul_imports_nothing(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = _app(make_app)
    client = app.test_client()
    signup = {"email": "prof@x.org", "name": "Prof", "password": PASSWORD, "confirm": PASSWORD}
    client.post("/signup", data=signup)
    assert client.post("/courses/new", data={"title": "T", "slug": "nulx"}).status_code == 302
    runner = app.test_cli_runner()
    exported = tmp_path / "course.json"
    assert runner.invoke(args=["tutor", "export-course", "nulx", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text())
    document["course"]["title"] = "T\x00"
    exported.write_text(json.dumps(document))
    done = runner.invoke(args=["tutor", "import-course", str(exported), "--slug", "nuly"])
    assert done.exit_code != 0 and "NUL" in done.output and "Traceback" not in done.output
