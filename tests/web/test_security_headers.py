"""Low-severity holes from #11: headers (CSP, framing, referrer, Secure cookies behind HTTPS),
JSON errors for everything under /api/, a header-splitting ``next=``, and the database file's
mode and folder."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import create_app
from tutor.web.headers import FRAMED_SESSION

from ..conftest import FIXTURE_LESSONS, ROOT
from ..grading.live import MANY_MACHINES, UNPRIVILEGED_UID, LiveServer, _as_unprivileged

LMS = "https://moodle.example.edu"


def _app(tmp_path: Path, **extra: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "headers",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}",
            "WTF_CSRF_ENABLED": False,
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            **extra,
        }
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[FlaskClient]:
    yield _app(tmp_path).test_client()


def _policy(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_pages_carry_a_strict_script_policy_and_refuse_framing(client: FlaskClient) -> None:
    for path in ("/", "/lessons/fixture-lesson", "/api/lessons", "/static/js/lesson.js"):
        response = client.get(path)
        response.close()
        policy = _policy(response.headers["Content-Security-Policy"])
        assert "'unsafe-inline'" not in policy["script-src"], path
        assert "'unsafe-eval'" not in policy["script-src"] and "*" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["Referrer-Policy"] == "same-origin"
        # The CDN's pinned files only, never its whole origin (it serves any npm package).
        cdn = [source for source in policy["script-src"] if source.startswith("https://")]
        assert cdn and all(source.endswith(".js") for source in cdn), cdn


def test_registered_learning_platforms_may_frame_the_course(tmp_path: Path) -> None:
    response = _app(tmp_path, LMS_ORIGINS=[LMS]).test_client().get("/")
    assert _policy(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'self'",
        LMS,
    ]
    assert "X-Frame-Options" not in response.headers  # it cannot name a second origin


def test_cookies_are_secure_behind_https_only(client: FlaskClient) -> None:
    secure = client.get("/api/session", base_url="https://tutor.example")
    assert all("Secure" in c for c in secure.headers.getlist("Set-Cookie"))
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get("/lang/zh?next=/", base_url="http://tutor.example")
    assert plain.headers.getlist("Set-Cookie") and not any(
        "Secure" in c for c in plain.headers.getlist("Set-Cookie")
    )


def test_over_https_only_a_session_an_lms_frames_is_samesite_none(app: Flask) -> None:
    """``SameSite=None`` lets a cross-site POST carry the session: only a session an LTI launch
    began (or an LTI request itself) needs that, inside the LMS's iframe (#12); every other
    session stays ``Lax``, as docs/course-site.md says."""
    plain = app.test_client().get("/api/session", base_url="https://tutor.example")
    (cookie,) = [c for c in plain.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "SameSite=Lax" in cookie and "Secure" in cookie and "Partitioned" not in cookie
    client = app.test_client()
    with client.session_transaction(base_url="https://tutor.example") as session:
        session[FRAMED_SESSION] = True
    framed = client.get("/api/session", base_url="https://tutor.example")
    (cookie,) = [c for c in framed.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "SameSite=None" in cookie and "Partitioned" in cookie


def _framed_session(app: Flask) -> str:
    client = app.test_client()
    with client.session_transaction(base_url="https://tutor.example") as session:
        session[FRAMED_SESSION] = True
    return next(
        c
        for c in client.get("/api/session", base_url="https://tutor.example").headers.getlist(
            "Set-Cookie"
        )
        if c.startswith("session=")
    )


def test_over_https_a_framed_session_cookie_is_partitioned_and_replaces_an_older_one(
    app: Flask,
) -> None:
    """Partitioned (CHIPS) so an LMS's iframe keeps it where third-party cookies are blocked
    (#12); a browser still holding the unpartitioned cookie of before sends both, and the old
    one (sent first, so read) must go or the new one would never be read."""
    cookie = _framed_session(app)
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie
    deleted, kept = _sent_twice(app, cookie)
    assert deleted and "Partitioned" not in deleted[0]
    # The session read (the old cookie's) lives on in a partitioned cookie.
    assert len(kept) == 1 and "Partitioned" in kept[0]


def _sent_twice(app: Flask, cookie: str) -> tuple[list[str], list[str]]:
    """A browser holding two session cookies (one partitioned, one not) sends both: the
    session cookies the answer deletes, and those it sets."""
    value = cookie.split(";", 1)[0].removeprefix("session=")
    both = app.test_client(use_cookies=False).get(
        "/api/session",
        base_url="https://tutor.example",
        headers={"Cookie": f"session={value}; session={value}"},
    )
    cookies = _session_cookies(both)
    return (
        [c for c in cookies if c.startswith("session=;")],
        [c for c in cookies if not c.startswith("session=;")],
    )


def test_a_top_level_session_left_partitioned_by_an_older_version_is_replaced(app: Flask) -> None:
    """Before, every HTTPS session was partitioned: a browser holding that cookie and the new
    unpartitioned one sends both; the partitioned one is deleted (it must say Partitioned to
    be the one deleted) and the session lives on unpartitioned."""
    first = app.test_client().get("/api/session", base_url="https://tutor.example")
    (cookie,) = _session_cookies(first)
    deleted, kept = _sent_twice(app, cookie)
    assert deleted and "Partitioned" in deleted[0]
    assert len(kept) == 1 and "Partitioned" not in kept[0] and "SameSite=Lax" in kept[0]


def _session_cookies(response: object) -> list[str]:
    headers = response.headers  # type: ignore[attr-defined]
    return [c for c in headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_an_unchanged_session_cookie_is_set_again_hourly_not_on_every_page(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A learner's session lives a month and each visit extends it; signing the cookie on every
    page view (Flask's default for a permanent session) was a seventh of a lesson page's CPU."""
    client = client.application.test_client()  # a browser without a session yet
    (first,) = _session_cookies(client.get("/api/session"))
    assert "Expires=" in first
    # Nothing new to say on the pages after it (#15: not even on the first).
    assert _session_cookies(client.get("/lessons/fixture-lesson")) == []
    assert _session_cookies(client.get("/lessons/fixture-lesson")) == []
    assert _session_cookies(client.get("/api/session")) == []
    # An hour on, the next page view extends it.
    import tutor.web.headers as headers

    now = time.time()
    monkeypatch.setattr(headers.time, "time", lambda: now + headers.SESSION_REFRESH_SECONDS + 1)
    (later,) = _session_cookies(client.get("/lessons/fixture-lesson"))
    assert "Expires=" in later


def test_files_the_same_for_everyone_neither_set_nor_vary_on_cookies(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stylesheet or a lesson's data any cache may keep for a year must not carry the learner's
    session cookie (due its hourly refresh), nor make caches keep a copy per cookie."""
    client.get("/api/session")
    page = client.get("/lessons/fixture-lesson").get_data(as_text=True)
    files = re.findall(r'"(/static/css/[\w.-]+\.css\?v=\w+)"', page)
    files += re.findall(r'"(/lessons/fixture-lesson/data\.json\?v=\w+)"', page)
    assert len(files) >= 2, files
    import tutor.web.headers as headers

    now = time.time()
    monkeypatch.setattr(headers.time, "time", lambda: now + headers.SESSION_REFRESH_SECONDS + 1)
    for url in [*files, files[0].split("?")[0]]:  # also a static file without its version
        reply = client.get(url)
        reply.close()  # a file's body, not read
        assert reply.status_code == 200, url
        assert _session_cookies(reply) == [], url
        assert not {"cookie", "hx-request"} & {v.lower() for v in reply.vary}, (url, reply.vary)
        assert "immutable" in reply.headers["Cache-Control"] or "?v=" not in url, url
    assert _session_cookies(client.get("/lessons/fixture-lesson"))  # a page still refreshes it


def test_replies_about_their_visitor_that_are_not_pages_are_never_stored(
    client: FlaskClient,
) -> None:
    """JSON, errors and redirects name no caching of their own: no cache may keep them (the
    session's CSRF token, a learner's submissions); pages revalidate, static files are public."""
    for path, status in (("/api/session", 200), ("/no-such-page", 404), ("/api/nothing", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["Cache-Control"] == "no-store", path
    assert client.get("/").headers["Cache-Control"] == "private, no-cache"
    assert "no-store" not in client.get("/sw.js").headers["Cache-Control"]


def test_everything_under_api_answers_json(client: FlaskClient) -> None:
    client.get("/api/session")
    replies = [
        client.get("/api/exercises/walk/grade"),  # 405
        client.delete("/api/lessons"),  # 405
        client.get("/api/no-such-thing"),  # 404
        client.post(  # nested 100,000 deep: RecursionError in the parser
            "/api/exercises/walk/grade", data="[" * 100_000, content_type="application/json"
        ),
    ]
    assert [r.status_code for r in replies] == [405, 405, 404, 400]
    assert all(r.is_json and r.get_json()["error"] for r in replies)
    assert "Allow" in replies[0].headers
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_next_address_cannot_split_the_redirect(client: FlaskClient) -> None:
    for target in ("/%0d%0aSet-Cookie:%20x=1", "/\\\\evil.example", "//evil.example"):
        response = client.get(f"/lang/zh?next={target}")
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert "x=1" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_the_database_file_is_private(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.test_client().get("/api/session")
    for name in ("h.db", "h.db-wal", "h.db-shm"):
        if (tmp_path / name).exists():
            assert (tmp_path / name).stat().st_mode & 0o077 == 0, name
    assert (tmp_path / "h.db").exists()


START = (
    "import sys; sys.path.insert(0, '.'); from tutor.web import create_app\n"
    "create_app({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite:///' + sys.argv[1]})\n"
)


@contextmanager
def _read_only_folder(prefix: str) -> Iterator[Path]:
    """A folder any user can enter but none but root can write in."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _run_unprivileged(script: str, path: Path) -> tuple[int, str, str]:
    """``script`` given ``path``, run as the unprivileged uid: exit status, the last line of its
    stderr (where the sentence is) and the whole stderr (for the assertion's message)."""
    command = _as_unprivileged([sys.executable, "-c", script, str(path)])
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    return result.returncode, last, result.stderr[-800:]


UID = UNPRIVILEGED_UID if os.geteuid() == 0 else os.geteuid()


def test_a_read_only_database_folder_stops_the_start_with_a_sentence() -> None:
    with _read_only_folder("virttutor-readonly-") as folder:
        status, last, stderr = _run_unprivileged(START, folder / "tutor.db")
        assert status != 0 and "DatabaseFolderUnwritable" in last, stderr
        assert "is not writable" in last and f"uid {UID}" in last
        assert not (folder / "tutor.db").exists()


MAKE_INSTANCE = (
    "import sys; sys.path.insert(0, '.'); from pathlib import Path\n"
    "from tutor.web.database_file import make_instance_folder\n"
    "make_instance_folder(Path(sys.argv[1]))\n"
)


def test_an_instance_folder_the_user_cannot_make_stops_the_start_with_a_sentence() -> None:
    """A server started as another user than the one who set the checkout up (whose instance
    folder does not exist yet) says what to do instead of a bare PermissionError."""
    with _read_only_folder("virttutor-no-instance-") as folder:
        status, last, stderr = _run_unprivileged(MAKE_INSTANCE, folder / "instance")
        assert status != 0 and "InstanceFolderUnwritable" in last, stderr
        assert f"{folder / 'instance'} cannot be created" in last and f"uid {UID}" in last
        assert "make setup" in last
        assert not (folder / "instance").exists()
        # A user who may write there: made, and made again without complaint.
        folder.chmod(0o755)
        for _ in range(2):
            made = subprocess.run(
                [sys.executable, "-c", MAKE_INSTANCE, str(folder / "made")], cwd=ROOT, check=False
            )
            assert made.returncode == 0 and (folder / "made").is_dir()


def test_a_worker_that_finds_the_new_database_just_made_by_another_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gunicorn starts its workers at once and each prepares the database file: another worker
    can make it between this one's look and its create (this one stopped on FileExistsError and
    the server never came up)."""
    from tutor.web import database_file

    real_open = os.open

    def other_worker_first(path: str, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_EXCL and not os.path.exists(path):
            os.close(real_open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return real_open(path, flags, mode)

    monkeypatch.setattr(database_file.os, "open", other_worker_first)
    made = database_file.prepare(f"sqlite:///{tmp_path / 'new.db'}", tmp_path)
    assert made == tmp_path / "new.db" and made.stat().st_mode & 0o077 == 0


def test_a_chunked_body_over_the_limit_is_413(tmp_path: Path) -> None:
    server = LiveServer(
        tmp_path / "chunked.db", LESSONS_DIR=str(FIXTURE_LESSONS), **MANY_MACHINES
    ).start()
    try:
        learner = server.learner()
        learner.open_site()
        body = json.dumps({"code": "#" * 1_200_000}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request(
            "POST",
            "/api/exercises/walk/grade",
            body=(body[i : i + 65536] for i in range(0, len(body), 65536)),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": learner.csrf_token,
                "Cookie": "; ".join(f"{k}={v}" for k, v in learner.cookies.items()),
            },
            encode_chunked=True,
        )
        reply = conn.getresponse()
        assert reply.status == 413 and "too large" in json.loads(reply.read())["error"]
        conn.close()
    finally:
        server.stop()
