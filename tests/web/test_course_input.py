"""Odd input to a course's forms, files and commands gets a message on the field or the line, in
the page's language, and changes nothing — never a 500, never a course whose pages fail."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web.roster import course_by_slug
from tutor.web.schedule import settings_of

from .course_site_helpers import PASSWORD, account, course_site, hosted_course, page_text, signed_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("course-input"), "course-input")


def _settings_form(client: FlaskClient, slug: str, **changes: str) -> dict[str, str]:
    """The settings form as its page fills it (the first exercise included), then ``changes``."""
    page = client.get(f"/courses/{slug}/settings").get_data(as_text=True)
    first = re.search(r'name="exercises-0-exercise_id"[^>]*value="([^"]+)"', page)
    assert first, page[:300]
    data = {
        "title": f"Course {slug}",
        "late_policy": "accept",
        "penalty_per_day": "10",
        "exercises-0-exercise_id": first.group(1),
        "exercises-0-included": "y",
    }
    return data | changes


@pytest.mark.parametrize("slug", ["os\n", "new", "ab\r\n", " ab", "ab\t"])
def test_a_short_name_that_could_not_be_opened_is_refused(site: Flask, slug: str) -> None:
    email = f"slugs-{len(slug)}-{ord(slug[-1])}@x.org"
    account(site, email)
    client = signed_in(site, email)
    made = client.post("/courses/new", data={"title": "A course", "slug": slug})
    assert made.status_code == 400
    assert "Short name" in made.get_data(as_text=True)
    with site.app_context():
        assert course_by_slug(slug) is None
    assert client.get("/courses").status_code == 200
    if slug == "new":
        assert "choose another short name" in page_text(made.get_data(as_text=True))
    cli = site.test_cli_runner().invoke(
        args=["tutor", "create-course", slug, "--title", "T", "--instructor", email]
    )
    assert cli.exit_code != 0 and "Traceback" not in cli.output


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"penalty_per_day": "sNaN"}, "Not a valid decimal value."),
        ({"penalty_per_day": "-sNaN"}, "Not a valid decimal value."),
        ({"penalty_per_day": "Infinity"}, "Not a valid decimal value."),
        (
            {"time_zone": "Asia/Shanghai", "exercises-0-opens": "0001-01-01T00:00"},
            "Choose a date from 1970 to 2999.",
        ),
        (
            {"time_zone": "Pacific/Honolulu", "exercises-0-due": "9999-12-31T23:59"},
            "Choose a date from 1970 to 2999.",
        ),
        ({"late_policy": ""}, "Choose what happens to late work."),
        ({"late_policy": "whenever"}, "Choose what happens to late work."),
    ],
)
def test_settings_the_form_refuses_say_why_on_the_field(
    site: Flask, changes: dict[str, str], field_message: str
) -> None:
    slug = f"set-{abs(hash(json.dumps(changes))) % 10**8}"
    hosted_course(site, slug, f"{slug}@x.org", {})
    prof = signed_in(site, f"{slug}@x.org")
    response = prof.post(f"/courses/{slug}/settings", data=_settings_form(prof, slug, **changes))
    assert response.status_code == 400
    assert field_message in page_text(response.get_data(as_text=True))
    for page in ("", "/settings", "/gradebook"):  # nothing stored that a page cannot show
        assert prof.get(f"/courses/{slug}{page}").status_code == 200


def test_the_exercise_rows_messages_speak_chinese_on_a_chinese_page(site: Flask) -> None:
    hosted_course(site, "zh-rows", "zh-rows@x.org", {})
    prof = signed_in(site, "zh-rows@x.org")
    data = _settings_form(
        prof, "zh-rows", **{"exercises-0-due": "tomorrow", "penalty_per_day": "x"}
    )
    response = prof.post("/courses/zh-rows/settings?lang=zh", data=data)
    assert response.status_code == 400
    text = page_text(response.get_data(as_text=True))
    assert "不是有效的日期与时间值" in text
    assert "Not a valid datetime value" not in text


def test_a_password_too_long_is_called_too_long(site: Flask) -> None:
    client = site.test_client()
    long = "p" * 201
    form = {"email": "long@x.org", "password": long, "confirm": long}
    text = page_text(client.post("/signup", data=form).get_data(as_text=True))
    assert "Use at most 200 characters." in text
    assert "Use at least" not in text
    account(site, "longer@x.org")
    mine = signed_in(site, "longer@x.org")
    change = {"current": PASSWORD, "password": long, "confirm": long}
    assert "Use at most 200 characters." in page_text(
        mine.post("/account", data=change).get_data(as_text=True)
    )


def test_a_course_file_with_values_the_settings_refuse_imports_nothing(
    site: Flask, tmp_path: Path
) -> None:
    hosted_course(site, "source", "source@x.org", {"io-path": (None, None)})
    runner = site.test_cli_runner()
    exported = tmp_path / "course.json"
    assert runner.invoke(args=["tutor", "export-course", "source", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text())
    bad_files = {
        "policy": {"settings": document["settings"] | {"late_policy": "whenever"}},
        "penalty": {"settings": document["settings"] | {"penalty_per_day": -50}},
        "nan": {"settings": document["settings"] | {"penalty_per_day": "NaN"}},
        "year": {
            "settings": document["settings"] | {"time_zone": "Asia/Shanghai"},
            "exercises": [{"exercise_id": "io-path", "due_at": "9999-12-31T23:00:00+00:00"}],
        },
    }
    for name, change in bad_files.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document | change))
        done = runner.invoke(args=["tutor", "import-course", str(path), "--slug", f"copy-{name}"])
        assert done.exit_code != 0, (name, done.output)
        assert "nothing imported" in done.output and "Traceback" not in done.output
        with site.app_context():
            assert course_by_slug(f"copy-{name}") is None


def test_commands_writing_a_file_say_when_its_folder_is_missing(
    site: Flask, tmp_path: Path
) -> None:
    hosted_course(site, "out", "out@x.org", {})
    runner = site.test_cli_runner()
    missing = tmp_path / "no" / "such" / "folder"
    for args in (
        ["export-grades", "out", str(missing / "grades.csv")],
        ["export-course", "out", str(missing / "course.json")],
        ["backup", str(missing / "backup.json.gz")],
    ):
        done = runner.invoke(args=["tutor", *args])
        assert done.exit_code != 0
        assert "does not exist" in done.output and "Traceback" not in done.output
        assert not missing.exists()


def test_a_course_needs_a_title_from_the_command_line_too(site: Flask) -> None:
    account(site, "titles@x.org")
    done = site.test_cli_runner().invoke(
        args=["tutor", "create-course", "untitled", "--title", "  ", "--instructor", "titles@x.org"]
    )
    assert done.exit_code != 0 and "title" in done.output
    with site.app_context():
        assert course_by_slug("untitled") is None
        made = course_by_slug("source")
        assert made is None or settings_of(made) is not None


def test_a_settings_form_naming_an_exercise_twice_counts_it_once(site: Flask) -> None:
    """A crafted form (two rows, one exercise) was the database's unique-row error: a 500."""
    hosted_course(site, "twice-rows", "twice-rows@x.org", {})
    prof = signed_in(site, "twice-rows@x.org")
    data = _settings_form(prof, "twice-rows")
    data |= {
        "exercises-1-exercise_id": data["exercises-0-exercise_id"],
        "exercises-1-included": "y",
    }
    response = prof.post("/courses/twice-rows/settings", data=data)
    assert response.status_code in (200, 302), response.status_code
    with site.app_context():
        from tutor.web.schedule import assignments

        course = course_by_slug("twice-rows")
        assert course is not None
        assert [a.exercise_id for a in assignments(course)] == [data["exercises-0-exercise_id"]]
