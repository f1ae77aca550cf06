"""Settings an operator gets wrong stop the start with one line (#7): never a traceback, never a
value taken that breaks the site later (a text MAX_CONTENT_LENGTH made every POST a 500; a rate
limit spelled "per minuet" switched the limit off without a word), and "False" means false."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.web import create_app
from tutor.web.settings_check import SettingError

from ..conftest import ROOT
from ..servers import free_port


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("MAX_CONTENT_LENGTH", "abc", "a whole number"),
        ("SESSION_RATE_LIMIT", "30 per minuet", "a rate limit"),
        ("SUBMIT_RATE_LIMIT", "garbage", "a rate limit"),
        ("GRADER", "bogus", "one of sandbox, process"),
        ("GRADER_WORKERS", -1, "at least 1"),
        ("ASSETS_MODE", "bogus", "one of cdn, local"),
        ("PROXY_HOPS", -1, "at least 0"),
        ("LTI_KEY_AHEAD_HOURS", "abc", "a number"),
        ("AUTO_MIGRATE", "maybe", "true or false"),
        ("GRADER_WAIT_SECONDS", float("nan"), "a number"),
    ],
)
def test_a_wrong_setting_is_refused_naming_it(
    tmp_path: Path, setting: str, value: object, says: str
) -> None:
    with pytest.raises(SettingError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", setting: value})
    assert setting in str(refused.value) and says in str(refused.value)


@pytest.mark.parametrize(("word", "meant"), [("False", False), ("no", False), ("ON", True)])
def test_switches_take_the_words_people_write(tmp_path: Path, word: str, meant: bool) -> None:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SELF_STUDY_ONLY": word}
    )
    assert app.config["SELF_STUDY_ONLY"] is meant


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command of the site, started as an operator starts one, with ``env``."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "tutor", "lti", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_says_it_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
        "TUTOR_MAX_CONTENT_LENGTH": "abc",
    }
    done = _start(env)
    assert done.returncode != 0
    assert "VirtTutor cannot start: MAX_CONTENT_LENGTH must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_worker_count_below_one_is_refused(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'q.db'}",
        }
    )
    done = app.test_cli_runner().invoke(args=["tutor", "worker", "--workers", "0"])
    assert done.exit_code != 0 and "x>=1" in done.output


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DATABASE_URL", "postgress://ta:s3cret-pw@db.example/course", "the database URL"),
        ("DATABASE_URL", "mysql://ta:s3cret-pw@db.example/course", "the database URL"),
        ("DATABASE_URL", "postgresql://ta:s3cret-pw@127.0.0.1:1/course", "cannot be used"),
        ("DATABASE_URL", "sqlite:////no/such/folder/tutor.db", "does not exist"),
        ("TUTOR_QUEUE_URL", "redsi://localhost:6379/0", "QUEUE_URL must be"),
        ("TUTOR_QUEUE_URL", "redis://:s3cret-pw@127.0.0.1:51x2/0", "QUEUE_URL must be"),
        ("DATABASE_URL", "postgresql://ta:s3cret-pw@127.0.0.1:51x1/course", "the database URL"),
        ("TUTOR_RATELIMIT_STORAGE_URI", "memcache://x", "RATELIMIT_STORAGE_URI must be"),
    ],
)
def test_a_url_the_server_cannot_use_is_one_line_without_its_password(
    tmp_path: Path, variable: str, value: str, says: str
) -> None:
    """A mistyped scheme, a database nobody answers at, a folder that is not there: each was a
    traceback of SQLAlchemy's, Huey's or limits' (#7)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", variable: value}
    done = _start(env)
    assert done.returncode != 0
    assert "VirtTutor cannot start:" in done.stderr and says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr


def test_a_start_that_cannot_succeed_stops_gunicorn_instead_of_rebooting_for_ever(
    tmp_path: Path,
) -> None:
    """gunicorn starts a worker that exits again and again; only a worker's exit status 3 ("it
    cannot boot") makes it stop: a bad setting gave 19 boots in 20 s, each saying the same."""
    env = {
        **os.environ,
        "TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
        "TUTOR_GRADER_WORKERS": "abc",
    }
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{free_port()}",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert done.stderr.count("VirtTutor cannot start: GRADER_WORKERS") <= 2, done.stderr[-2000:]
    # gunicorn's own arbiter may print its HaltServer traceback as it stops (it does under load);
    # what must never appear is a traceback through our code.
    ours = [
        line
        for line in done.stderr.splitlines()
        if f'File "{ROOT / "tutor"}' in line or f'File "{ROOT / "app.py"}' in line
    ]
    assert not ours, done.stderr[-2000:]


@pytest.mark.parametrize(
    "content", [b"this is a text file, not a database\n" * 100, bytes(range(256)) * 64]
)
def test_a_database_file_that_is_no_database_is_one_line(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.db").write_bytes(content)
    env = {**os.environ, "TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    done = _start(env)
    assert done.returncode == 3
    assert "not a database VirtTutor can read" in done.stderr and "Traceback" not in done.stderr


def test_an_instance_config_that_cannot_be_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A syntax error in instance/config.py was a raw traceback. (Tried in process: writing the
    checkout's own instance/config.py would reach every test running beside this one.)"""
    from flask import Config

    def unreadable(self: Config, filename: str, silent: bool = False) -> bool:
        raise SyntaxError("invalid syntax", ("config.py", 2, 10, "GRADER = \n"))

    monkeypatch.setattr(Config, "from_pyfile", unreadable)
    with pytest.raises(SettingError, match=r"config\.py cannot be read: SyntaxError"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
