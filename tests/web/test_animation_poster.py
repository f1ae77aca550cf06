"""The lesson page carries its animation's first frame only when it was drawn from the current
drawing code and data (tutor/web/animation_poster.py), and notices one drawn, or made stale, while
the server runs. Drawing them in Chromium: tests/browser/test_animation_poster.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import animation_poster, lesson_page

LESSON = "/lessons/hypervisors"
STAGE = '<div class="viz-stage" data-poster="">the drawn first frame</div>'


@pytest.fixture
def posters(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    app.config["ANIMATION_POSTERS_DIR"] = str(tmp_path / "posters")
    (tmp_path / "posters").mkdir()
    monkeypatch.setattr(lesson_page, "ASSET_CHECK_SECONDS", 0)
    # The drawing files' versions are kept for ASSET_CHECK_SECONDS in the module: a test that
    # fakes a version must not leave it there for the next test in this process.
    monkeypatch.setattr(animation_poster, "_drawing_seen", {})
    return tmp_path / "posters"


def poster_name(app: Flask, lang: str = "en") -> str:
    with app.test_request_context():
        lesson = app.extensions["catalog"].lesson("hypervisors")
        return animation_poster.poster_of(lesson, lang).name


def page(client: FlaskClient, lang: str = "en") -> str:
    return client.get(f"{LESSON}?lang={lang}").get_data(as_text=True)


def test_the_page_carries_a_current_poster_and_notices_one_drawn_while_it_runs(
    app: Flask, client: FlaskClient, posters: Path
) -> None:
    assert '<div class="viz-stage"></div>' in page(client)  # none drawn: drawn at load
    (posters / poster_name(app)).write_text(STAGE)
    html = page(client)
    assert STAGE in html and '<div class="viz-stage"></div>' not in html
    assert STAGE not in page(client, "zh")  # each language has its own
    (posters / poster_name(app)).unlink()
    assert '<div class="viz-stage"></div>' in page(client)


def test_a_poster_drawn_from_other_code_is_never_shown(
    app: Flask, client: FlaskClient, posters: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = poster_name(app)
    (posters / current).write_text(STAGE)
    assert STAGE in page(client)
    # A drawing script changes (the lesson page itself does not name it): the poster's name
    # changes with it, and the page stops using the old one.
    versions = animation_poster.static_version
    monkeypatch.setattr(
        animation_poster,
        "static_version",
        lambda name: "changed" if name.endswith("layer-stacks.js") else versions(name),
    )
    assert poster_name(app) != current
    time.sleep(0.01)
    assert STAGE not in page(client)


def test_posters_can_be_turned_off(app: Flask, client: FlaskClient, posters: Path) -> None:
    (posters / poster_name(app)).write_text(STAGE)
    app.config["ANIMATION_POSTERS_DIR"] = ""
    assert STAGE not in page(client)
    result = app.test_cli_runner().invoke(args=["tutor", "draw-posters"])
    assert result.exit_code == 0 and "turned off" in result.output  # `make run` goes on


def test_drawing_posters_for_an_unknown_lesson_says_which(app: Flask, posters: Path) -> None:
    result = app.test_cli_runner().invoke(args=["tutor", "draw-posters", "--lesson", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_without_chromium_no_poster_is_drawn_and_the_command_says_why(
    app: Flask, posters: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", str(posters / "no-such-browser"))
    result = app.test_cli_runner().invoke(args=["tutor", "draw-posters"])
    assert result.exit_code == 0
    assert "no posters drawn" in result.output and "CHROMIUM_PATH" in result.output
    assert list(posters.iterdir()) == []


def test_the_drawing_files_are_looked_at_once_per_check_however_many_pages_check(
    app: Flask, posters: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cached lesson page checks its poster's name once per ``ASSET_CHECK_SECONDS``;
    looking at the ≈ 30 drawing files each time cost ≈ 20 ms per page per process (#15)."""
    monkeypatch.setattr(lesson_page, "ASSET_CHECK_SECONDS", 60)
    looked: list[str] = []
    versions = animation_poster.static_version

    def counted(name: str) -> str | None:
        looked.append(name)
        return versions(name)

    monkeypatch.setattr(animation_poster, "static_version", counted)
    names = {poster_name(app, lang) for lang in ("en", "zh", "en", "zh")}
    drawing_files = len(looked)
    assert drawing_files > 1 and len(names) == 2
    assert looked.count(looked[0]) == 1  # one look for four names
    # Once the check's time is up, a change is seen at the next name.
    monkeypatch.setattr(lesson_page, "ASSET_CHECK_SECONDS", 0)
    monkeypatch.setattr(
        animation_poster,
        "static_version",
        lambda name: "changed" if name.endswith("layer-stacks.js") else versions(name),
    )
    assert poster_name(app) not in names
