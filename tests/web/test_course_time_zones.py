"""Course time zones (#13): deadlines typed and shown in the course's IANA zone (daylight saving
time included), stored and counted in UTC, carried by the command line, course files, backups
and the schema migration."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import backup, schema
from tutor.web.course_zone import zoned_stamp
from tutor.web.extensions import db
from tutor.web.models import Course
from tutor.web.roster import course_by_slug
from tutor.web.schedule import Assignment, CourseSettings, days_late, settings_of

from .course_site_helpers import course_site, graded, hosted_course, page_text, signed_in, solution

NOW = datetime.now(UTC)
NEW_YORK = "America/New_York"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the module; every test makes its own course in it."""
    yield from course_site(tmp_path_factory.mktemp("time-zones"), "time-zones")


def _settings_form(client: FlaskClient, slug: str, **rows: tuple[str, str]) -> dict[str, str]:
    """The settings form as the page fills it, with ``rows`` (exercise → opens, due as typed)
    included."""
    page = client.get(f"/courses/{slug}/settings").get_data(as_text=True)
    found = re.findall(r'name="exercises-(\d+)-exercise_id"[^>]*value="([^"]+)"', page)
    data = {"title": f"Course {slug}", "late_policy": "accept", "penalty_per_day": "10"}
    for number, exercise in found:
        data[f"exercises-{number}-exercise_id"] = exercise
        if exercise in rows:
            opens, due = rows[exercise]
            data |= {
                f"exercises-{number}-included": "y",
                f"exercises-{number}-opens": opens,
                f"exercises-{number}-due": due,
            }
    return data


def _times(app: Flask, slug: str) -> dict[str, tuple[datetime | None, datetime | None]]:
    with app.app_context():
        course = course_by_slug(slug)
        assert course is not None
        rows = db.session.execute(db.select(Assignment).filter_by(course_id=course.id)).scalars()
        return {a.exercise_id: (a.opens_at, a.due_at) for a in rows}


def _zone(app: Flask, slug: str) -> str:
    with app.app_context():
        course = course_by_slug(slug)
        assert course is not None
        return str(settings_of(course).time_zone)


def _set_zone(app: Flask, slug: str, zone: str) -> None:
    with app.app_context():
        course = course_by_slug(slug)
        assert course is not None
        settings_of(course).time_zone = zone
        db.session.commit()


def test_deadlines_are_typed_and_shown_in_the_courses_zone(site: Flask) -> None:
    hosted_course(site, "tz1", "tz1-prof@x.org", {}, students=("tz1-s@x.org",))
    prof = signed_in(site, "tz1-prof@x.org")
    assert _zone(site, "tz1") == "UTC"  # the default: what every course showed before
    data = _settings_form(prof, "tz1", **{"io-path": ("2020-01-01T08:00", "2099-12-05T23:59")})
    data["time_zone"] = " asia/shanghai "
    assert prof.post("/courses/tz1/settings", data=data).status_code == 302
    assert _zone(site, "tz1") == "Asia/Shanghai"
    assert _times(site, "tz1")["io-path"] == (
        datetime(2020, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2099, 12, 5, 15, 59, tzinfo=UTC),
    )
    form = prof.get("/courses/tz1/settings").get_data(as_text=True)
    # The change of zone is said, with what it does to the times and to work already in.
    notice = page_text(form)
    assert "time zone is now Asia/Shanghai (it was UTC)" in notice
    assert "check the gradebook" in notice
    saved_again = prof.post("/courses/tz1/settings", data=data, follow_redirects=True)
    assert "time zone is now" not in page_text(saved_again.get_data(as_text=True))
    form = prof.get("/courses/tz1/settings").get_data(as_text=True)
    assert 'value="2099-12-05T23:59"' in form and 'value="2020-01-01T08:00"' in form
    assert 'value="Asia/Shanghai"' in form and "Due (Asia/Shanghai)" in form
    assert '<option value="America/New_York">' in form  # the zones a browser suggests

    student = signed_in(site, "tz1-s@x.org")
    course = page_text(student.get("/courses/tz1").get_data(as_text=True))
    assert "Times are in the course's time zone, Asia/Shanghai." in course
    assert "2020-01-01 08:00 Asia/Shanghai" in course
    assert "2099-12-05 23:59 Asia/Shanghai" in course
    lesson = page_text(student.get("/lessons/hypervisors").get_data(as_text=True))
    assert "For Course tz1: due 2099-12-05 23:59 Asia/Shanghai." in lesson
    student.get("/lang/zh")
    lesson_zh = page_text(student.get("/lessons/hypervisors").get_data(as_text=True))
    assert "“Course tz1”：2099-12-05 23:59 Asia/Shanghai 截止。" in lesson_zh

    user = re.search(
        r'href="/courses/tz1/students/(\d+)"',
        prof.get("/courses/tz1/gradebook").get_data(as_text=True),
    )
    assert user
    detail = page_text(prof.get(f"/courses/tz1/students/{user[1]}").get_data(as_text=True))
    assert "2099-12-05 23:59 Asia/Shanghai" in detail


def test_a_zone_that_does_not_exist_or_a_skipped_hour_saves_nothing(site: Flask) -> None:
    hosted_course(site, "tz2", "tz2-prof@x.org", {})
    prof = signed_in(site, "tz2-prof@x.org")
    data = _settings_form(prof, "tz2", **{"io-path": ("2026-03-01T12:00", "2026-03-10T12:00")})
    # "localtime" and "Factory" are files in the zone database, not places: a course page said
    # "01:30 localtime", whatever the server's clock was set to.
    for nowhere in ("Mars/Olympus_Mons", "localtime", "Factory"):
        data["time_zone"] = nowhere
        bad = prof.post("/courses/tz2/settings", data=data)
        assert bad.status_code == 400
        assert f"“{nowhere}” is not a time zone: use an IANA name" in page_text(
            bad.get_data(as_text=True)
        )
        assert _zone(site, "tz2") == "UTC" and _times(site, "tz2") == {}

    data = _settings_form(prof, "tz2", **{"io-path": ("2026-03-01T12:00", "2026-03-08T02:30")})
    data["time_zone"] = NEW_YORK
    skipped = prof.post("/courses/tz2/settings", data=data)
    assert skipped.status_code == 400
    assert "2026-03-08 02:30 does not exist in America/New_York" in page_text(
        skipped.get_data(as_text=True)
    )
    assert _zone(site, "tz2") == "UTC" and _times(site, "tz2") == {}

    # Winter time (UTC−5) opens, summer time (UTC−4) is due; 01:30 on the night the clocks go
    # back happens twice and means the first (still summer time).
    data = _settings_form(
        prof,
        "tz2",
        **{
            "io-path": ("2026-03-01T12:00", "2026-03-10T12:00"),
            "vm-spec": ("", "2026-11-01T01:30"),
        },
    )
    data["time_zone"] = NEW_YORK
    assert prof.post("/courses/tz2/settings", data=data).status_code == 302
    assert _times(site, "tz2") == {
        "io-path": (
            datetime(2026, 3, 1, 17, 0, tzinfo=UTC),
            datetime(2026, 3, 10, 16, 0, tzinfo=UTC),
        ),
        "vm-spec": (None, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    }
    form = prof.get("/courses/tz2/settings").get_data(as_text=True)
    for typed in ("2026-03-01T12:00", "2026-03-10T12:00", "2026-11-01T01:30"):
        assert f'value="{typed}"' in form

    # A form without the zone (an older page, a script) keeps the course's zone.
    del data["time_zone"]
    assert prof.post("/courses/tz2/settings", data=data).status_code == 302
    assert _zone(site, "tz2") == NEW_YORK
    assert _times(site, "tz2")["io-path"][1] == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_lateness_is_counted_in_utc_across_a_change_of_clocks(site: Flask) -> None:
    due = datetime(2026, 3, 8, 4, 59, tzinfo=UTC)  # 2026-03-07 23:59 in New York (UTC−5)
    hosted_course(
        site,
        "tz3",
        "tz3-prof@x.org",
        {"io-path": (None, due)},
        students=("tz3-a@x.org", "tz3-b@x.org"),
        penalty=10,
    )
    _set_zone(site, "tz3", NEW_YORK)
    good = solution(site, "io-path")
    # 00:30 on the 9th by New York's clocks is 24 h 31 min after the due time on them, but the
    # clocks went forward on the 8th: only 23 h 31 min passed, 1 day late. 24 h 01 min: 2 days.
    graded(site, "tz3", "tz3-a@x.org", "io-path", good, datetime(2026, 3, 9, 4, 30, tzinfo=UTC))
    graded(site, "tz3", "tz3-b@x.org", "io-path", good, datetime(2026, 3, 9, 5, 0, tzinfo=UTC))
    prof = signed_in(site, "tz3-prof@x.org")
    book = prof.get("/courses/tz3/gradebook").get_data(as_text=True)
    cells = dict(
        re.findall(r'data-email="([^"]+)">.*?data-best="([^"]*)" data-late="\d+"', book, flags=re.S)
    )
    lates = dict(re.findall(r'data-email="([^"]+)">.*?data-late="(\d+)"', book, flags=re.S))
    assert cells == {"tz3-a@x.org": "90", "tz3-b@x.org": "80"}
    assert lates == {"tz3-a@x.org": "1", "tz3-b@x.org": "2"}
    user = re.search(r'href="/courses/tz3/students/(\d+)">tz3-a<', book)
    assert user
    detail = page_text(prof.get(f"/courses/tz3/students/{user[1]}").get_data(as_text=True))
    assert "2026-03-07 23:59 America/New_York" in detail  # due, winter time
    assert "2026-03-09 00:30 America/New_York" in detail  # last try, summer time
    assert "1 day" in detail


def test_refusals_name_the_courses_zone(site: Flask) -> None:
    due, opens = NOW - timedelta(hours=1), NOW + timedelta(days=1)
    hosted_course(
        site,
        "tz4",
        "tz4-prof@x.org",
        {"io-path": (None, due), "vm-spec": (opens, None)},
        students=("tz4-s@x.org",),
        late_policy="refuse",
    )
    _set_zone(site, "tz4", "Asia/Shanghai")
    shanghai = timedelta(hours=8)  # no daylight saving time there
    student = signed_in(site, "tz4-s@x.org")
    late = student.post("/api/exercises/io-path/grade", json={"code": solution(site, "io-path")})
    when = (due + shanghai).strftime("%Y-%m-%d %H:%M")
    assert late.status_code == 403
    assert f"was due for Course tz4 on {when} Asia/Shanghai" in late.get_json()["error"]
    early = student.post("/api/exercises/vm-spec/grade", json={"code": "x = 1"})
    when = (opens + shanghai).strftime("%Y-%m-%d %H:%M")
    assert early.status_code == 403
    assert f"opens for Course tz4 on {when} Asia/Shanghai" in early.get_json()["error"]
    student.get("/lang/zh")
    early_zh = student.post("/exercises/vm-spec/submit", data={"code": "x = 1"})
    assert f"这个练习在 {when} Asia/Shanghai 才对“Course tz4”开放" in early_zh.get_data(
        as_text=True
    )


def test_the_zone_travels_with_the_command_line_course_files_and_backups(
    site: Flask, tmp_path: Path
) -> None:
    runner = site.test_cli_runner()
    site.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert runner.invoke(args=["tutor", "create-user", "tz5@x.org"]).exit_code == 0
    made = runner.invoke(
        args=["tutor", "create-course", "tz5", "--title", "T", "--instructor", "tz5@x.org",
              "--time-zone", "europe/berlin"]
    )  # fmt: skip
    assert made.exit_code == 0 and "deadlines in Europe/Berlin" in made.output
    assert _zone(site, "tz5") == "Europe/Berlin"
    wrong = runner.invoke(
        args=["tutor", "create-course", "tz5b", "--title", "T", "--instructor", "tz5@x.org",
              "--time-zone", "Berlin"]
    )  # fmt: skip
    assert wrong.exit_code != 0 and "'Berlin' is not a time zone" in wrong.output
    assert course_by_slug_outside(site, "tz5b") is False

    exported = tmp_path / "tz5.json"
    assert runner.invoke(args=["tutor", "export-course", "tz5", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["settings"]["time_zone"] == "Europe/Berlin"
    imported = runner.invoke(args=["tutor", "import-course", str(exported), "--slug", "tz5-copy"])
    assert imported.exit_code == 0, imported.output
    assert _zone(site, "tz5-copy") == "Europe/Berlin"
    document["settings"]["time_zone"] = "Nowhere/Land"
    exported.write_text(json.dumps(document), encoding="utf-8")
    refused = runner.invoke(args=["tutor", "import-course", str(exported), "--slug", "tz5-bad"])
    assert refused.exit_code != 0
    assert "the time zone 'Nowhere/Land' is not an IANA name" in refused.output
    assert course_by_slug_outside(site, "tz5-bad") is False

    saved = tmp_path / "backup.json.gz"
    backup.backup(site, saved)
    _set_zone(site, "tz5", "UTC")
    backup.restore(site, saved, replace=True)
    assert _zone(site, "tz5") == "Europe/Berlin"


def course_by_slug_outside(app: Flask, slug: str) -> bool:
    with app.app_context():
        return course_by_slug(slug) is not None


def test_the_migration_gives_existing_courses_utc(tmp_path: Path) -> None:
    """c018 on a database with a course made before it: the course keeps its row and shows UTC,
    as it did; downgrading takes the column away again."""
    app = Flask("migration")
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'm.db'}"
    app.config["AUTO_MIGRATE"] = False
    db.init_app(app)
    schema.init_app(app)
    schema.upgrade(app, "c017_lti_roster")
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO course (id, slug, title) VALUES (1, 'old', 'O')"))
        connection.execute(
            sa.text(
                "INSERT INTO course_settings (course_id, join_code, late_policy, "
                "penalty_per_day, ta_can_edit) VALUES (1, 'ABCDEFGH', 'accept', 10, 0)"
            )
        )
    schema.upgrade(app)
    assert schema.current_revision(app) == schema.head_revision()
    with app.app_context():
        settings = db.session.get(CourseSettings, 1)
        assert settings is not None
        assert (settings.join_code, settings.time_zone) == ("ABCDEFGH", "UTC")
        course = db.session.get(Course, 1)
        assert course is not None and course.slug == "old"
        db.session.remove()
    schema.downgrade(app, "c017_lti_roster")
    with app.app_context(), db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("course_settings")}
        assert "time_zone" not in columns and "join_code" in columns
        db.engine.dispose()


def test_the_dashboards_days_are_the_courses_days(site: Flask) -> None:
    """Pass rate over time counts per day as the course lives it: 01:00 in Shanghai is the next
    day there, though still the day before in UTC."""
    hosted_course(
        site, "tz6", "tz6-prof@x.org", {"io-path": (None, None)}, students=("tz6-a@x.org",)
    )
    _set_zone(site, "tz6", "Asia/Shanghai")
    good = solution(site, "io-path")
    graded(site, "tz6", "tz6-a@x.org", "io-path", good, datetime(2026, 5, 1, 10, 0, tzinfo=UTC))
    graded(site, "tz6", "tz6-a@x.org", "io-path", good, datetime(2026, 5, 1, 17, 0, tzinfo=UTC))
    page = signed_in(site, "tz6-prof@x.org").get("/courses/tz6/dashboard?exercise=io-path")
    found = re.search(r'id="dashboard-data">(.*?)</script>', page.get_data(as_text=True), re.S)
    assert found
    days = [row["day"] for row in json.loads(found[1])["passRate"]]
    assert days == ["2026-05-01", "2026-05-02"]


@pytest.mark.parametrize(
    ("after_due", "late"),
    [
        (timedelta(milliseconds=23), 0),  # "due 11:24", submitted 11:24:00.023: on time
        (timedelta(seconds=59, milliseconds=999), 0),  # 11:24:59.999: still the due minute
        (timedelta(minutes=1), 1),  # 11:25:00: late
        (timedelta(minutes=1, hours=23, seconds=59), 1),
        (timedelta(minutes=1, hours=24), 2),
    ],
)
def test_a_due_time_runs_to_the_end_of_its_minute(after_due: timedelta, late: int) -> None:
    """Pages show times to the minute: "submitted 11:24, due 11:24" must not be a day late, and
    "due 23:59" takes 23:59:30 as an LMS does."""
    due = datetime(2026, 12, 5, 16, 24, tzinfo=UTC)
    assert days_late(due + after_due, due) == late


def test_a_time_the_clocks_show_twice_says_which_by_its_offset(site: Flask) -> None:
    """The night clocks go back, 01:30 happens twice in New York: a due time and a try at the
    two 01:30s must read as different times, or "due 01:30, last try 01:30, 1 day late"."""
    due = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT, UTC−4)
    hosted_course(
        site, "tz-fold", "fold-prof@x.org", {"io-path": (None, due)}, students=("fold@x.org",)
    )
    _set_zone(site, "tz-fold", NEW_YORK)
    try_at = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # the second 01:30 (EST, UTC−5)
    graded(site, "tz-fold", "fold@x.org", "io-path", solution(site, "io-path"), try_at)
    prof = signed_in(site, "fold-prof@x.org")
    book = prof.get("/courses/tz-fold/gradebook").get_data(as_text=True)
    user = re.search(r'href="/courses/tz-fold/students/(\d+)"', book)
    assert user
    detail = page_text(prof.get(f"/courses/tz-fold/students/{user[1]}").get_data(as_text=True))
    assert "2026-11-01 01:30 America/New_York (UTC−04:00)" in detail  # due
    assert "2026-11-01 01:30 America/New_York (UTC−05:00)" in detail  # the try, an hour later
    # Any other time says no offset.
    assert zoned_stamp(datetime(2026, 11, 1, 8, 0, tzinfo=UTC), NEW_YORK) == (
        "2026-11-01 03:00 America/New_York"
    )


def test_saving_settings_keeps_a_due_time_at_the_second_of_two_equal_clock_times(
    site: Flask,
) -> None:
    """The form shows 01:30 for both 01:30s of the night clocks go back, and reads a typed
    01:30 as the first: saving only the title moved a due time at the second an hour earlier.
    A time the form shows unchanged is kept as stored."""
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, the second one
    hosted_course(site, "tz-keep", "keep-prof@x.org", {"io-path": (None, second)})
    _set_zone(site, "tz-keep", NEW_YORK)
    prof = signed_in(site, "keep-prof@x.org")
    data = _settings_form(prof, "tz-keep", **{"io-path": ("", "2026-11-01T01:30")})
    data["time_zone"] = NEW_YORK
    data["title"] = "Renamed"
    assert prof.post("/courses/tz-keep/settings", data=data).status_code == 302
    assert _times(site, "tz-keep")["io-path"] == (None, second)
    # Typed anew, a time means what it says (the first 01:30).
    data = _settings_form(prof, "tz-keep", **{"io-path": ("", "2026-11-01T01:31")})
    data["time_zone"] = NEW_YORK
    assert prof.post("/courses/tz-keep/settings", data=data).status_code == 302
    assert _times(site, "tz-keep")["io-path"] == (None, datetime(2026, 11, 1, 5, 31, tzinfo=UTC))


def test_a_due_time_saved_in_the_past_is_pointed_out_once(site: Flask) -> None:
    """A year typed wrong ("1999") or a deadline copied from last term saves, since late work
    may be meant; but the instructor is told that every Submit from now counts late."""
    hosted_course(site, "tzpast", "tzpast-prof@x.org", {}, students=())
    prof = signed_in(site, "tzpast-prof@x.org")
    data = _settings_form(
        prof,
        "tzpast",
        **{"io-path": ("", "1999-12-05T23:59"), "vcpu-run-loop": ("", "2099-01-01T08:00")},
    )
    saved = prof.post("/courses/tzpast/settings", data=data, follow_redirects=True)
    notice = page_text(saved.get_data(as_text=True))
    assert "Settings saved." in notice and "Already past:" in notice
    assert "1999-12-05 23:59" in notice and "counts as late" in notice
    # Work already in counts late at once (it said "from now on", and scores changed at once).
    assert "already submitted after it counts as late now" in notice
    assert "2099" not in notice.split("Already past:")[1].split("counts as late")[0]
    assert _times(site, "tzpast")["io-path"][1] == datetime(1999, 12, 5, 23, 59, tzinfo=UTC)
    # Saved again with the same times: nothing new to point out.
    rows = {"io-path": ("", "1999-12-05T23:59"), "vcpu-run-loop": ("", "2099-01-01T08:00")}
    again = prof.post("/courses/tzpast/settings", data=_settings_form(prof, "tzpast", **rows))
    assert again.status_code == 302
    assert _times(site, "tzpast")["io-path"][1] == datetime(1999, 12, 5, 23, 59, tzinfo=UTC)
    shown = page_text(prof.get("/courses/tzpast/settings").get_data(as_text=True))
    assert "Already past:" not in shown
