"""The gradebook, its CSV, a student's detail and the dashboards (#13): the numbers staff see,
and that nobody else sees them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, session

from tutor.web import create_app
from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Course, Submission
from tutor.web.progress import exercise_progress

from ..conftest import ROOT
from .course_site_helpers import graded, hosted_course, page_text, signed_in, solution, wrong

NOW = datetime.now(UTC)
DUE = NOW - timedelta(days=2)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Course "os": ann passed io-path on time after a wrong try; bob passed it a day late;
    cat only failed it; dan never tried. vm-spec: ann failed it. A second course "db" has its
    own TA and student. Made once for the module: the tests only read it."""
    folder = tmp_path_factory.mktemp("gradebook")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "gradebook",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'gradebook.db'}",
            "WTF_CSRF_ENABLED": False,
            "SIGNIN_RATE_LIMIT": "1000 per minute",  # every test signs in from one address
        }
    )
    hosted_course(
        app,
        "os",
        "prof@example.org",
        {"io-path": (None, DUE), "vm-spec": (None, NOW + timedelta(days=5))},
        students=("ann@example.org", "bob@example.org", "cat@example.org", "dan@example.org"),
        tas=("ta@example.org",),
        penalty=20,
    )
    hosted_course(
        app,
        "db",
        "prof2@example.org",
        {"io-path": (None, None)},
        students=("eve@example.org",),
        tas=("ta2@example.org",),
    )
    good = solution(app, "io-path")
    graded(
        app, "os", "ann@example.org", "io-path", wrong(app, "io-path", 0), DUE - timedelta(days=1)
    )
    graded(app, "os", "ann@example.org", "io-path", good, DUE - timedelta(hours=5))
    graded(app, "os", "bob@example.org", "io-path", good, DUE + timedelta(hours=3))
    graded(
        app, "os", "cat@example.org", "io-path", wrong(app, "io-path", 0), DUE - timedelta(hours=2)
    )
    graded(
        app, "os", "cat@example.org", "io-path", wrong(app, "io-path", 1), DUE - timedelta(hours=1)
    )
    graded(app, "os", "ann@example.org", "vm-spec", wrong(app, "vm-spec", 0), NOW)
    graded(app, "db", "eve@example.org", "io-path", good, NOW)
    yield app
    with app.app_context():
        db.session.remove()


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_gradebook_shows_best_counted_scores_attempts_and_lateness(course: Flask) -> None:
    page = page_text(
        signed_in(course, "ta@example.org").get("/courses/os/gradebook").get_data(as_text=True)
    )
    assert "ann ann@example.org 100 / 2 tries" in page
    assert "bob bob@example.org 80 / 1 try 1 day late" in page
    assert "dan@example.org — —" in page
    assert "eve@example.org" not in page  # another course's student


def test_sorting_and_filtering_answer_htmx_with_the_table_alone(course: Flask) -> None:
    ta = signed_in(course, "ta@example.org")
    fragment = ta.get("/courses/os/gradebook?sort=total&dir=desc", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "<table" in html
    order = [e for e in ("ann@", "bob@", "cat@", "dan@") if e in html]
    order.sort(key=html.index)
    assert order == ["ann@", "bob@", "cat@", "dan@"]
    up = ta.get("/courses/os/gradebook?sort=total&dir=asc", headers={"HX-Request": "true"})
    assert up.get_data(as_text=True).index("dan@") < up.get_data(as_text=True).index("ann@")
    late = ta.get("/courses/os/gradebook?show=late", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "bob@example.org" in late and "ann@example.org" not in late
    found = ta.get("/courses/os/gradebook?q=CAT", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "cat@example.org" in found and "bob@example.org" not in found
    missing = page_text(ta.get("/courses/os/gradebook?show=missing&q=zz").get_data(as_text=True))
    assert "No student matches." in missing


def test_the_csv_export_is_what_canvas_and_moodle_import(course: Flask) -> None:
    response = signed_in(course, "prof@example.org").get("/courses/os/gradebook.csv")
    assert response.mimetype == "text/csv"
    # Every student's grades and email: no cache keeps it (some CDNs cache `.csv` by name).
    assert response.headers["Cache-Control"] == "no-store"
    assert "os-grades.csv" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.get_data(as_text=True))
    header = list(rows[0])
    assert header[:6] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Email address",
    ]
    io_path = next(h for h in header if h.endswith("(io-path)"))
    vm_spec = next(h for h in header if h.endswith("(vm-spec)"))
    assert header[-1] == "Total"
    by_email = {r["Email address"]: r for r in rows}
    assert set(by_email) == {
        "ann@example.org",
        "bob@example.org",
        "cat@example.org",
        "dan@example.org",
    }
    assert by_email["bob@example.org"][io_path] == "80"
    assert by_email["dan@example.org"][io_path] == ""
    assert by_email["ann@example.org"]["Section"] == "os"
    assert by_email["ann@example.org"]["SIS Login ID"] == "ann@example.org"
    ann_vm = float(by_email["ann@example.org"][vm_spec])
    assert float(by_email["ann@example.org"]["Total"]) == pytest.approx(
        (100 + ann_vm) / 2, abs=0.01
    )
    assert 0 < float(by_email["cat@example.org"][io_path]) < 100


def test_a_spreadsheet_never_runs_a_students_name_or_email(app: Flask) -> None:
    hosted_course(
        app,
        "xx",
        "prof@example.org",
        {"io-path": (None, None)},
        students=("evil@example.org", "=1+2@example.org"),  # an email sign-up accepts
    )
    with app.app_context():
        from tutor.web.accounts import find_user
        from tutor.web.extensions import db

        find_user("evil@example.org").name = "=HYPERLINK(1)"  # type: ignore[union-attr]
        db.session.commit()
    rows = _csv_rows(
        signed_in(app, "prof@example.org").get("/courses/xx/gradebook.csv").get_data(as_text=True)
    )
    by_name = {row["Student"]: row for row in rows}
    assert "'=HYPERLINK(1)" in by_name
    formula = by_name["'=1+2"]  # (the helper names the account after its email)
    assert formula["Email address"] == formula["SIS Login ID"] == "'=1+2@example.org"


def test_a_students_detail_lists_their_submissions_and_answers(course: Flask) -> None:
    ta = signed_in(course, "ta@example.org")
    gradebook = ta.get("/courses/os/gradebook").get_data(as_text=True)
    link = gradebook.split('href="/courses/os/students/')[1].split('"')[0]
    detail = page_text(ta.get(f"/courses/os/students/{link}").get_data(as_text=True))
    assert "ann@example.org" in detail and "Submissions" in detail
    bob = signed_in(course, "bob@example.org")
    bob.post("/lessons/hypervisors/checks/0", json={"choice": 0})
    bob_row = re.search(
        r'data-email="bob@example.org">\s*<th scope="row"><a href="/courses/os/students/(\d+)"',
        gradebook,
    )
    assert bob_row
    bob_id = bob_row.group(1)
    detail = page_text(ta.get(f"/courses/os/students/{bob_id}").get_data(as_text=True))
    assert "80 (100 before the late penalty)" in detail
    assert "Concept checks" in detail and "No concept check answered yet." not in detail


def test_staff_open_a_students_submission_and_others_cannot(course: Flask) -> None:
    with course.app_context():
        ann = find_user("ann@example.org")
        assert ann is not None
        ann_wrong = db.session.execute(
            db.select(Submission.id).filter_by(learner=ann.learner, exercise_id="vm-spec")
        ).scalar_one()
    assert signed_in(course, "ta@example.org").get(f"/submissions/{ann_wrong}").status_code == 200
    assert signed_in(course, "prof@example.org").get(f"/submissions/{ann_wrong}").status_code == (
        200
    )
    page = signed_in(course, "ta@example.org").get(f"/submissions/{ann_wrong}")
    assert "The code ann submitted" in page_text(page.get_data(as_text=True))
    api = signed_in(course, "ta@example.org").get(f"/api/submissions/{ann_wrong}")
    assert api.status_code == 200
    assert (
        signed_in(course, "bob@example.org").get(f"/api/submissions/{ann_wrong}").status_code == 404
    )
    for outsider in ("bob@example.org", "ta2@example.org", "prof2@example.org"):
        assert signed_in(course, outsider).get(f"/submissions/{ann_wrong}").status_code == 404
    assert course.test_client().get(f"/submissions/{ann_wrong}").status_code == 404


def test_the_dashboard_counts_the_rules_students_break_with_an_example(course: Flask) -> None:
    ta = signed_in(course, "ta@example.org")
    page = ta.get("/courses/os/dashboard?exercise=io-path").get_data(as_text=True)
    text = page_text(page)
    assert "2 of 3 students who tried have passed; 5 graded submissions." in text
    assert "before any late penalty" in text  # the gradebook's counted scores may differ
    assert 'id="dashboard-data"' in page and "dashboard.js" in page
    rules = page.split('class="data-table rules"')[1].split("</table>")[0]
    assert rules.count("<tr data-rule=") >= 2  # two wrong programs, two different problems
    assert "/submissions/" in rules
    first_row = page_text(rules.split("<tr data-rule=")[1])
    assert " 2 2 " in f" {first_row} "  # most students first: ann and cat broke it once each
    # A wrong answer broke no rule of the model: its row says so in words (every row read
    # "answer"), and the chart labels its bar with what the grader said, not with "answer".
    assert first_row.startswith('"answer"> wrong answer ') and ">answer<" not in rules
    data = json.loads(page.split('id="dashboard-data">')[1].split("</script>")[0])
    assert {r["rule"] for r in data["rules"]} == {"answer"}
    assert all(r["modelRule"] == "" for r in data["rules"])
    zh = page_text(ta.get("/courses/os/dashboard?exercise=io-path&lang=zh").get_data(as_text=True))
    assert "答案不对" in zh
    scores = page_text(page.split('class="data-table scores"')[1].split("</table>")[0])
    assert "100 2" in scores  # ann and bob
    attempts = page_text(page.split('class="data-table attempts"')[1].split("</table>")[0])
    assert "1 1" in attempts and "2 1" in attempts  # bob first time, ann second
    assert ta.get("/courses/os/dashboard?exercise=faster-io").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/courses/os/gradebook",
        "/courses/os/gradebook.csv",
        "/courses/os/dashboard",
        "/courses/os/roster",
        "/courses/os/settings",
    ],
)
def test_staff_pages_are_closed_to_students_and_other_courses_staff(
    course: Flask, path: str
) -> None:
    assert signed_in(course, "ann@example.org").get(path).status_code == 403
    assert signed_in(course, "ta2@example.org").get(path).status_code == 404
    assert signed_in(course, "eve@example.org").get(path).status_code == 404
    anonymous = course.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_a_student_cannot_reach_another_students_detail(course: Flask) -> None:
    ann = signed_in(course, "ann@example.org")
    for user_id in range(1, 12):
        assert ann.get(f"/courses/os/students/{user_id}").status_code in (403, 404)


def test_the_course_pages_speak_chinese(course: Flask) -> None:
    prof = signed_in(course, "prof@example.org")
    prof.get("/lang/zh")
    for path, words in (
        ("/courses/os/gradebook", ["成绩册", "查找学生", "迟交 1 天", "导出 CSV"]),
        ("/courses/os/dashboard", ["学生最常违反的模型规则", "通过率随时间的变化"]),
        ("/courses/os/roster", ["课程成员", "导入名单 CSV"]),
        ("/courses/os/settings", ["迟交的作业", "截止时间（UTC）"]),
        ("/courses/os", ["学生的加入码", "练习和截止时间"]),
    ):
        page = prof.get(path).get_data(as_text=True)
        for word in words:
            assert word in page, (path, word)
    login = course.test_client().get("/login?lang=zh").get_data(as_text=True)
    assert "不用账户也能学习" in login and "电子邮件" in login


def test_a_submission_the_server_could_not_grade_is_not_an_attempt(course: Flask) -> None:
    """Issue #10's ``error`` status counts for nothing: neither in the gradebook's tries nor in
    the student's own record (their lesson page says "1 try", not 2)."""
    with course.app_context():
        db_course = db.session.execute(db.select(Course).filter_by(slug="db")).scalar_one()
        eve = find_user("eve@example.org")
        assert eve is not None
        learner = eve.learner
        db.session.add(
            Submission(
                course_id=db_course.id,
                learner=learner,
                exercise_id="io-path",
                code="print('lost')",
                status="error",
                created_at=NOW + timedelta(seconds=1),
            )
        )
        db.session.commit()
    book = page_text(
        signed_in(course, "prof2@example.org").get("/courses/db/gradebook").get_data(as_text=True)
    )
    assert "eve eve@example.org 100 / 1 try" in book
    with course.test_request_context():
        session["learner"] = learner
        assert exercise_progress()["io-path"].attempts == 1


def test_the_dashboard_counts_one_mistake_once_whatever_each_students_numbers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Each student's hidden cases have their own numbers ("memory_pages = 56 does not meet the
    workload…"): the same wrong program from three students counts three students per problem."""
    folder = tmp_path_factory.mktemp("same-mistake")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "same-mistake",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'same.db'}",
            "WTF_CSRF_ENABLED": False,
        }
    )
    people = ("kim@example.org", "lee@example.org", "max@example.org")
    hosted_course(app, "vm", "prof@example.org", {"vm-spec": (None, None)}, students=people)
    code = ROOT / "lessons/01-virtual-machines/exercises/vm-spec/wrong/forgets_guest_os.py"
    for person in people:
        graded(app, "vm", person, "vm-spec", code.read_text(), NOW)
    page = signed_in(app, "prof@example.org").get("/courses/vm/dashboard?exercise=vm-spec")
    rules = page.get_data(as_text=True).split('class="data-table rules"')[1].split("</table>")[0]
    rows = [page_text(row) for row in rules.split("<tr data-rule=")[1:]]
    assert rows and all(re.search(r" 3 3 #\d+$", row) for row in rows), rows  # 3 students each


def test_a_broken_rule_of_the_model_is_named_as_the_rule(course: Flask) -> None:
    """A rule of the model (a ``SimError``'s: capacity, isolation …) names its row and its bar;
    a mistake of another kind is said in words in the page's language."""
    from tutor.web.dashboard import BrokenRule

    with course.test_request_context("/?lang=zh"):
        capacity = BrokenRule("capacity", {"en": "the host has no room", "zh": "宿主机没有空间"})
        assert (capacity.label, capacity.model_rule) == ("capacity", "capacity")
        python = BrokenRule("python", {"en": "NameError", "zh": "NameError"})
        assert python.model_rule == "" and python.label == "Python 错误"
