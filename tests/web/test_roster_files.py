"""Roster CSV files as spreadsheets really save them (#13): Excel for Mac's "CSV (Macintosh)"
ends lines with a lone CR; a stray CR in a CRLF file, or anything else the csv reader stops on,
is refused naming the line and the real reason (it was a 500, or "a value is too long" on the
wrong line); and the result says what of the file was not used."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import roster
from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Course
from tutor.web.roster import INSTRUCTOR, membership

from .course_site_helpers import course_site, hosted_course, page_text, signed_in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("roster-files"), "roster-files")


def _course(site: Flask, slug: str) -> FlaskClient:
    hosted_course(site, slug, f"{slug}-prof@x.org", {"io-path": (None, None)})
    return signed_in(site, f"{slug}-prof@x.org")


def _upload(client: FlaskClient, slug: str, data: bytes, lang: str = "") -> tuple[int, str]:
    response = client.post(
        f"/courses/{slug}/roster/import" + (f"?lang={lang}" if lang else ""),
        data={"roster": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )
    return response.status_code, page_text(response.get_data(as_text=True))


def find_user_in(site: Flask, email: str) -> object:
    with site.app_context():
        return find_user(email)


def _name(site: Flask, email: str) -> str | None:
    with site.app_context():
        user = find_user(email)
        return None if user is None else str(user.name)


def test_a_mac_csv_with_lone_carriage_returns_imports(site: Flask) -> None:
    prof = _course(site, "maccr")
    body = b'email,name\rmaccr@stu.example,Mac CR\rmac2@stu.example,"Two\rLines"\r'
    status, page = _upload(prof, "maccr", body)
    assert status == 200, page[:600]
    assert _name(site, "maccr@stu.example") == "Mac CR"
    assert _name(site, "mac2@stu.example") == "Two Lines"  # a cell's line break: a space


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (b"email,name\r\nok@stu.example,Ok\r\nstray@stu.example,Stray\rCR\r\n", 3),
        (b"email,na\rme\r\nhead@stu.example,Head\r\n", 1),  # in the header: it was a 500
    ],
    ids=["in-a-row", "in-the-header"],
)
def test_a_stray_carriage_return_is_refused_naming_its_line(
    site: Flask, body: bytes, line: int
) -> None:
    slug = f"stray-{line}"
    prof = _course(site, slug)
    status, page = _upload(prof, slug, body)
    assert status == 400
    assert f"Line {line}: a line break (a lone carriage return) stands inside a value" in page
    assert "too long" not in page
    assert _name(site, "ok@stu.example") is None and _name(site, "head@stu.example") is None
    status, page = _upload(prof, slug, body, lang="zh")
    assert status == 400 and f"第 {line} 行" in page and "回车" in page, page[:600]


def test_a_huge_value_is_named_by_the_line_it_starts_on(site: Flask) -> None:
    prof = _course(site, "huge")
    body = 'email,name\na@x.org,A\nb@x.org,"Open\n' + "".join(
        f"c{i}@x.org,Name {i}\n" for i in range(9000)
    )
    status, page = _upload(prof, "huge", body.encode())
    assert status == 400 and "Line 3: a value is too long" in page, page[:400]


def test_any_other_csv_reader_error_is_refused_not_a_500(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    prof = _course(site, "odd")
    real = csv.reader

    def stops_on_line_two(source: io.StringIO, *args: object, **options: object) -> object:
        rows = real(source, *args, **options)  # type: ignore[arg-type]

        class Reader:
            line_num = 0

            def __iter__(self) -> Reader:
                return self

            def __next__(self) -> list[str]:
                row = next(rows)
                self.line_num = rows.line_num
                if self.line_num == 2:
                    raise csv.Error("something the reader never said before")
                return row

        return Reader()

    monkeypatch.setattr(roster.csv, "reader", stops_on_line_two)
    status, page = _upload(prof, "odd", b"email\nodd@x.org\n")
    assert status == 400
    assert "Line 2 cannot be read as CSV (“something the reader never said before”)" in page
    assert find_user_in(site, "odd@x.org") is None


def test_the_result_names_what_of_the_file_was_not_used(site: Flask) -> None:
    """An LMS export's "First name, Last name" left every name empty, a "Matrikelnummer" column
    was dropped, and a row that would have made the instructor a student was passed over, all
    under "N people imported"."""
    prof = _course(site, "unused")
    body = (
        b"First name,Last name,Email address,Matrikelnummer\n"
        b"Anna,Berg,anna@stu.example,4711\n"
        b"Zhang,Wei,unused-prof@x.org,1\n"
    )
    status, page = _upload(prof, "unused", body)
    assert status == 200, page[:600]
    assert _name(site, "anna@stu.example") == "Anna Berg"  # given name first
    assert "Columns not read (only email, name, role and password are): Matrikelnummer" in page
    assert "First name" not in page.split("Columns not read")[1]
    # No role in the file: the instructor stays one without a word; "student" is said.
    student = b"email,role\nunused-prof@x.org,student\n"
    status, page = _upload(prof, "unused", student, lang="zh")
    assert status == 200 and "仍是教师" in page and "unused-prof@x.org" in page
    with site.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug="unused")).scalar_one()
        user = find_user("unused-prof@x.org")
        held = membership(course, user) if user is not None else None
        assert held is not None and held.role == INSTRUCTOR
