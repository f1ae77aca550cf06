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
from tutor.web.schedule import assignments, settings_of

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


def test_a_course_file_with_damaged_or_foreign_entries_is_said_plainly(
    site: Flask, tmp_path: Path
) -> None:
    """A date that is not one, an entry without its exercise: one sentence naming it, nothing
    imported (they were Python's "Invalid isoformat string" and "KeyError('exercise_id')").
    An exercise this installation does not have is left out and named (it made a gradebook
    column nobody could submit to)."""
    hosted_course(site, "foreign", "foreign@x.org", {"io-path": (None, None)})
    runner = site.test_cli_runner()
    exported = tmp_path / "course.json"
    assert runner.invoke(args=["tutor", "export-course", "foreign", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text())
    damaged = {
        "date": ([{"exercise_id": "io-path", "due_at": "tomorrow"}], "'tomorrow' is not a date"),
        "no-id": ([{"due_at": "2027-01-01T00:00:00+00:00"}], "has no exercise_id"),
    }
    for name, (exercises, says) in damaged.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document | {"exercises": exercises}))
        done = runner.invoke(args=["tutor", "import-course", str(path), "--slug", f"d-{name}"])
        assert done.exit_code != 0 and says in done.output, done.output
        assert "Error(" not in done.output and "Traceback" not in done.output
        with site.app_context():
            assert course_by_slug(f"d-{name}") is None
    other = document | {
        "exercises": [
            {"exercise_id": "nope", "due_at": "2027-01-01T00:00:00+00:00"},
            {"exercise_id": "io-path", "due_at": None},
        ]
    }
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    done = runner.invoke(args=["tutor", "import-course", str(path), "--slug", "d-other"])
    assert done.exit_code == 0, done.output
    assert "left out, not in this installation's lessons: nope" in done.output
    with site.app_context():
        course = course_by_slug("d-other")
        assert course is not None
        assert [a.exercise_id for a in assignments(course)] == ["io-path"]


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


def _version(client: FlaskClient, slug: str) -> str:
    page = client.get(f"/courses/{slug}/settings").get_data(as_text=True)
    found = re.search(r'name="version"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="version"', page
    )
    assert found, "the settings form carries the version it was made from"
    return found.group(1)


def test_two_staff_saving_settings_at_once_never_undo_each_other_silently(site: Flask) -> None:
    """Each opens the form; the first saves a new due time, the second (who changed something
    else) saved every row back as it was when they opened it: the first's change was gone."""
    hosted_course(site, "both-edit", "both-edit@x.org", {}, tas=("both-ta@x.org",))
    with site.app_context():
        course = course_by_slug("both-edit")
        assert course is not None
        settings_of(course).ta_can_edit = True
        from tutor.web.extensions import db

        db.session.commit()
    prof, ta = signed_in(site, "both-edit@x.org"), signed_in(site, "both-ta@x.org")
    theirs = _settings_form(ta, "both-edit", version=_version(ta, "both-edit"))
    mine = _settings_form(prof, "both-edit", version=_version(prof, "both-edit"))
    saved = ta.post(
        "/courses/both-edit/settings", data=theirs | {"exercises-0-due": "2030-01-07T23:59"}
    )
    assert saved.status_code == 302
    refused = prof.post("/courses/both-edit/settings", data=mine | {"title": "Renamed"})
    assert refused.status_code == 409
    text = page_text(refused.get_data(as_text=True))
    assert "Someone else saved these settings" in text
    assert 'value="Renamed"' in refused.get_data(as_text=True)  # what they typed is kept
    with site.app_context():
        from tutor.web.schedule import assignments

        course = course_by_slug("both-edit")
        assert course is not None and course.title == "Course both-edit"
        (due,) = [a.due_at for a in assignments(course)]
        assert due is not None and due.year == 2030  # the TA's change stands
    # Saving again from the refused form is a choice: it now replaces theirs.
    again = re.search(r'name="version"[^>]*value="([^"]+)"', refused.get_data(as_text=True))
    assert again
    second = prof.post(
        "/courses/both-edit/settings", data=mine | {"title": "Renamed", "version": again.group(1)}
    )
    assert second.status_code == 302


def test_a_ta_who_may_not_edit_settings_has_no_settings_tab_and_is_told_why(site: Flask) -> None:
    hosted_course(site, "no-tab", "no-tab@x.org", {}, tas=("no-tab-ta@x.org",))
    ta = signed_in(site, "no-tab-ta@x.org")
    overview = ta.get("/courses/no-tab/roster").get_data(as_text=True)
    assert "/courses/no-tab/settings" not in overview
    assert "/courses/no-tab/settings" in signed_in(site, "no-tab@x.org").get(
        "/courses/no-tab/roster"
    ).get_data(as_text=True)
    refused = ta.get("/courses/no-tab/settings")
    assert refused.status_code == 403
    assert "instructor can change its settings" in page_text(refused.get_data(as_text=True))


def test_one_person_added_by_two_requests_at_once_is_one_409_not_a_500(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four "Add one person" requests at once: one added them, the others were 500s ("your code
    is kept in your browser"). A request that loses the race is told what happened."""
    hosted_course(site, "twice-add", "twice-add@x.org", {})
    prof = signed_in(site, "twice-add@x.org")
    data = {"email": "raced@x.org", "role": "student"}
    first = prof.post("/courses/twice-add/roster/add", data=data)
    assert first.status_code == 200 and "raced@x.org" in page_text(first.get_data(as_text=True))
    import tutor.web.teaching as teaching

    # The second request looked before the first stored the account: it does not see it.
    monkeypatch.setattr(teaching, "find_user", lambda email: None)
    second = prof.post("/courses/twice-add/roster/add", data=data)
    assert second.status_code == 409
    assert "was added a moment ago by another request" in page_text(second.get_data(as_text=True))
