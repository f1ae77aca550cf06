"""Courses (#13): create one, choose exercises and deadlines, join with a code, import a roster,
the late policy at submission and in the score, and who may do what."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user

from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Course, Submission
from tutor.web.roster import members
from tutor.web.schedule import Assignment, submission_course_id

from .course_site_helpers import (
    PASSWORD,
    account,
    graded,
    hosted_course,
    page_text,
    signed_in,
    solution,
)
from .sql_log import sql_statements

NOW = datetime.now(UTC)


def _slug(course_id: int) -> str:
    course = db.session.get(Course, course_id)
    assert course is not None
    return course.slug


def _assignments(app: Flask, slug: str) -> dict[str, Assignment]:
    with app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        rows = db.session.execute(db.select(Assignment).filter_by(course_id=course.id)).scalars()
        return {a.exercise_id: a for a in rows}


def test_an_instructor_creates_a_course_and_chooses_exercises_and_deadlines(app: Flask) -> None:
    account(app, "prof@example.org")
    prof = signed_in(app, "prof@example.org")
    taken = prof.post("/courses/new", data={"title": "OS", "slug": "Bad Slug!"})
    assert taken.status_code == 400 and "lower-case letters" in taken.get_data(as_text=True)
    created = prof.post("/courses/new", data={"title": "Operating systems", "slug": "os-101"})
    assert created.location == "/courses/os-101/settings"
    again = prof.post("/courses/new", data={"title": "Again", "slug": "os-101"})
    assert again.status_code == 400 and "exists already" in again.get_data(as_text=True)
    form = prof.get("/courses/os-101/settings").get_data(as_text=True)
    rows = re.findall(r'name="(exercises-(\d+)-exercise_id)"[^>]*value="([^"]+)"', form)
    assert len(rows) == len(app.extensions["catalog"].exercises())
    index = {exercise: number for _, number, exercise in rows}
    data = {"title": "Operating systems", "late_policy": "refuse", "penalty_per_day": "0"}
    for _, number, exercise in rows:
        data[f"exercises-{number}-exercise_id"] = exercise
    n = index["io-path"]
    data |= {
        f"exercises-{n}-included": "y",
        f"exercises-{n}-opens": "2026-01-05T09:00",
        f"exercises-{n}-due": "2026-01-12T23:59",
    }
    m = index["vm-spec"]
    data |= {
        f"exercises-{m}-included": "y",
        f"exercises-{m}-opens": "2026-02-01T00:00",
        f"exercises-{m}-due": "2026-01-01T00:00",
    }
    backwards = prof.post("/courses/os-101/settings", data=data)
    assert backwards.status_code == 400
    assert "must come after the opening time" in backwards.get_data(as_text=True)
    assert _assignments(app, "os-101") == {}  # nothing saved from a form with an error
    data[f"exercises-{m}-due"] = "2026-02-08T00:00"
    assert prof.post("/courses/os-101/settings", data=data).status_code == 302
    saved = _assignments(app, "os-101")
    assert set(saved) == {"io-path", "vm-spec"}
    assert saved["io-path"].due_at == datetime(2026, 1, 12, 23, 59, tzinfo=UTC)
    page = page_text(prof.get("/courses/os-101").get_data(as_text=True))
    assert "Late work is refused after the due time." in page
    assert "2026-01-12 23:59" in page


def test_students_join_with_the_code_and_see_only_their_courses(app: Flask) -> None:
    code = hosted_course(
        app, "alpha", "t@example.org", {"io-path": (None, NOW + timedelta(days=3))}
    )
    hosted_course(app, "beta", "t2@example.org", {"vm-spec": (None, None)})
    account(app, "stu@example.org")
    student = signed_in(app, "stu@example.org")
    wrong = student.post("/join", data={"code": "NOPE1234"})
    assert wrong.status_code == 400 and "No course has that join code" in wrong.get_data(
        as_text=True
    )
    assert student.get("/courses/alpha").status_code == 404  # not before joining
    joined = student.post("/join", data={"code": code.lower()})
    assert joined.location == "/courses/alpha"
    mine = student.get("/courses").get_data(as_text=True)
    assert "Course alpha" in mine and "Course beta" not in mine
    assert student.get("/courses/beta").status_code == 404
    deadline = page_text(student.get("/courses/alpha").get_data(as_text=True))
    assert (NOW + timedelta(days=3)).strftime("%Y-%m-%d %H:%M") in deadline
    lesson = page_text(student.get("/lessons/hypervisors").get_data(as_text=True))
    due = (NOW + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    assert f"For Course alpha: due {due} UTC." in lesson
    assert lesson.count("For Course alpha") == 1  # only the course's exercise says so


def test_a_roster_csv_enrols_everyone_or_says_which_lines_are_wrong(app: Flask) -> None:
    hosted_course(app, "gamma", "t@example.org", {"io-path": (None, None)})
    account(app, "known@example.org")
    prof = signed_in(app, "t@example.org")
    bad = (
        "Email,Name,Role\n"
        "ok@example.org,Ok,student\n"
        "not-an-email,Bad,student\n"
        "ok@example.org,Twice,student\n"
        "ta@example.org,T,professor\n"
    )
    response = prof.post(
        "/courses/gamma/roster/import",
        data={"roster": (__import__("io").BytesIO(bad.encode()), "roster.csv")},
        content_type="multipart/form-data",
    )
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Line 3: “not-an-email” is not an email address." in text
    assert "Line 4: ok@example.org is already on line 2." in text
    assert "Line 5: the role “professor” must be student or ta." in text
    assert (
        "ok@example.org"
        not in page_text(prof.get("/courses/gamma/roster").get_data(as_text=True)).split(
            "People in the course"
        )[1]
    )
    no_header = prof.post(
        "/courses/gamma/roster/import",
        data={"roster": (__import__("io").BytesIO(b"a@example.org,A\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert "at least “email”" in no_header.get_data(as_text=True)
    good = "email,name,role,password\nnew@example.org,New,student,\nknown@example.org,,ta,\n"
    done = prof.post(
        "/courses/gamma/roster/import",
        data={"roster": (__import__("io").BytesIO(good.encode()), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = done.get_data(as_text=True)
    assert done.status_code == 200
    password = re.search(r"<td>new@example.org</td><td><code>([^<]+)</code>", page)
    assert password, page
    signed_in(app, "new@example.org", password.group(1))
    roster = page_text(prof.get("/courses/gamma/roster").get_data(as_text=True))
    # known@ has an account of their own: invited as a TA, in once they accept.
    assert "known@example.org (Teaching assistant)" in roster.split("Invited, not yet joined")[1]
    known = signed_in(app, "known@example.org")
    assert known.post("/courses/gamma/invitation", data={"answer": "accept"}).status_code == 302
    roster = page_text(prof.get("/courses/gamma/roster").get_data(as_text=True))
    assert "known@example.org Teaching assistant" in roster


def test_staff_reset_a_students_password_and_nobody_elses(app: Flask) -> None:
    hosted_course(
        app,
        "delta",
        "t@example.org",
        {"io-path": (None, None)},
        students=("s1@example.org",),
        tas=("ta@example.org",),
    )
    hosted_course(
        app, "other", "t9@example.org", {"io-path": (None, None)}, tas=("ta9@example.org",)
    )
    with app.app_context():
        from tutor.web.accounts import find_user

        student_id = find_user("s1@example.org").id  # type: ignore[union-attr]
        teacher_id = find_user("t@example.org").id  # type: ignore[union-attr]
    victim = signed_in(app, "s1@example.org")
    ta = signed_in(app, "t@example.org")  # the instructor (a TA only when allowed to edit)
    done = ta.post(
        f"/courses/delta/students/{student_id}/password", data={"password": "brand new pass"}
    )
    assert done.status_code == 200 and "brand new pass" in done.get_data(as_text=True)
    assert victim.get("/account").status_code == 302  # signed out everywhere
    signed_in(app, "s1@example.org", "brand new pass")
    stranger = signed_in(app, "ta9@example.org")
    assert (
        stranger.post(
            f"/courses/delta/students/{student_id}/password", data={"password": "hijacked!!"}
        ).status_code
        == 404
    )
    assert (
        stranger.post(
            f"/courses/other/students/{student_id}/password", data={"password": "hijacked!!"}
        ).status_code
        == 404
    )
    assert (
        ta.post(
            f"/courses/delta/students/{teacher_id}/password", data={"password": "hijacked!!"}
        ).status_code
        == 404
    )  # not a student
    student = signed_in(app, "s1@example.org", "brand new pass")
    assert (
        student.post(
            f"/courses/delta/students/{student_id}/password", data={"password": "x" * 10}
        ).status_code
        == 403
    )


def test_a_ta_changes_settings_only_when_the_instructor_allows_it(app: Flask) -> None:
    hosted_course(app, "eps", "t@example.org", {"io-path": (None, None)}, tas=("ta@example.org",))
    ta = signed_in(app, "ta@example.org")
    assert ta.get("/courses/eps/settings").status_code == 403
    assert ta.post("/courses/eps/settings", data={"title": "Mine"}).status_code == 403
    assert (
        ta.post(
            "/courses/eps/roster/add", data={"email": "x@example.org", "role": "student"}
        ).status_code
        == 403
    )
    with app.app_context():
        from tutor.web.schedule import CourseSettings

        course = db.session.execute(db.select(Course).filter_by(slug="eps")).scalar_one()
        db.session.get(CourseSettings, course.id).ta_can_edit = True  # type: ignore[union-attr]
        db.session.commit()
    assert ta.get("/courses/eps/settings").status_code == 200
    assert (
        ta.post(
            "/courses/eps/roster/add", data={"email": "x@example.org", "role": "student"}
        ).status_code
        == 200
    )
    assert (
        ta.post(
            "/courses/eps/roster/add", data={"email": "y@example.org", "role": "instructor"}
        ).status_code
        == 403
    )


def test_late_work_is_refused_before_it_is_stored_when_the_course_says_so(app: Flask) -> None:
    hosted_course(
        app,
        "zeta",
        "t@example.org",
        {
            "io-path": (None, NOW - timedelta(hours=1)),
            "vm-spec": (NOW + timedelta(days=1), NOW + timedelta(days=8)),
        },
        students=("s@example.org",),
        late_policy="refuse",
    )
    student = signed_in(app, "s@example.org")
    late = student.post(
        "/exercises/io-path/submit",
        data={"code": solution(app, "io-path")},
        headers={"HX-Request": "true"},
    )
    assert late.status_code == 403
    assert "does not take late work" in late.get_data(as_text=True)
    early = student.post("/api/exercises/vm-spec/grade", json={"code": "x = 1"})
    assert early.status_code == 403 and "opens for Course zeta" in early.get_json()["error"]
    with app.app_context():
        assert db.session.execute(db.select(Submission)).first() is None
    # Anonymous self-study of the same exercise is untouched by any course.
    anonymous = app.test_client()
    anonymous.get("/api/session")
    refused = anonymous.post("/exercises/io-path/submit", data={"code": solution(app, "io-path")})
    assert refused.status_code != 403


def test_late_work_is_accepted_with_the_penalty_per_day(app: Flask) -> None:
    due = NOW - timedelta(days=3)
    hosted_course(
        app,
        "eta",
        "t@example.org",
        {"io-path": (None, due)},
        students=("late@example.org", "ontime@example.org"),
        penalty=15,
    )
    late_id = graded(
        app,
        "eta",
        "late@example.org",
        "io-path",
        solution(app, "io-path"),
        due + timedelta(days=1, hours=2),
    )  # 2 days late (a started day counts)
    graded(
        app,
        "eta",
        "ontime@example.org",
        "io-path",
        solution(app, "io-path"),
        due - timedelta(hours=1),
    )
    late_student = signed_in(app, "late@example.org")
    late = page_text(late_student.get("/courses/eta").get_data(as_text=True))
    assert "Your best score" in late and " 70 " in late and "2 days" in late
    # The lesson page said only "Your best score: 100" for work the course counts as 70.
    lesson = page_text(late_student.get("/lessons/hypervisors").get_data(as_text=True))
    assert "Your best score: 100 of 100" in lesson
    assert "Course eta counts your best as 70 of 100 (its late policy applied)." in lesson
    # The verdict itself says so (it said only "Passed: all … cases are correct").
    verdict = page_text(late_student.get(f"/submissions/{late_id}").get_data(as_text=True))
    assert "Submitted 2 days late for Course eta: it counts 70 of 100." in verdict
    assert "graded on your hidden cases" in verdict
    staff = page_text(
        signed_in(app, "t@example.org").get(f"/submissions/{late_id}").get_data(as_text=True)
    )
    assert "graded on the student's hidden cases" in staff.replace("&#39;", "'")
    ontime = page_text(
        signed_in(app, "ontime@example.org").get("/courses/eta").get_data(as_text=True)
    )
    assert " 100 " in ontime
    # Solved on their own before joining: 100 beside the course's deadline, which counts nothing.
    hosted_course(app, "iota", "t@example.org", {"io-path": (None, due)}, students=("new@x.org",))
    with app.test_request_context():
        from tutor.web.course import demo_course

        self_study = demo_course().slug  # the course of self-study, made on first use
    graded(app, self_study, "new@x.org", "io-path", solution(app, "io-path"), due - timedelta(1))
    newcomer = page_text(signed_in(app, "new@x.org").get("/lessons/hypervisors").get_data(True))
    assert "Your best score: 100 of 100" in newcomer
    assert "Nothing you submitted counts for Course iota yet" in newcomer


@pytest.mark.parametrize("path", ["/api/exercises/io-path/grade", "/exercises/io-path/submit"])
def test_a_late_submit_says_what_it_counts_without_asking_for_its_course_again(
    app: Flask, path: str
) -> None:
    """#15: the reply to a student's Submit read the assignment, the course and its settings
    again for its late note, after the Submit had read them to store it (three queries of every
    student's Submit). The note is the same; the course's tables are read once."""
    due = NOW - timedelta(days=1, hours=2)  # 2 days late (a started day counts)
    hosted_course(app, "kappa", "t@example.org", {"io-path": (None, due)}, ("k@example.org",))
    hosted_course(app, "lam", "t@example.org", {"vm-spec": (None, due)}, ("k@example.org",))
    student = signed_in(app, "k@example.org")

    def on_the_course(statement: str) -> bool:
        # (The demo course's id, asked once per application by its slug, is not this.)
        return bool(re.search(r"\bFROM (assignment|course|course_settings)\b", statement)) and (
            not re.search(r"WHERE course\.slug = ", statement)
        )

    with sql_statements(app, on_the_course) as read:
        code = solution(app, "io-path")
        if path.startswith("/api/"):
            reply = student.post(path, json={"code": code})
            said = reply.get_json()["note"]["en"]
        else:
            reply = student.post(path, data={"code": code}, headers={"HX-Request": "true"})
            said = page_text(reply.get_data(as_text=True))
    assert reply.status_code == 200
    assert re.search(r"[Ss]ubmitted 2 days late for Course kappa: it counts 80 of 100", said)
    assert len(read) == 1, read


def test_a_students_submit_counts_for_their_course(app: Flask) -> None:
    hosted_course(
        app,
        "theta",
        "t@example.org",
        {"io-path": (None, NOW + timedelta(days=1))},
        students=("s@example.org",),
        tas=("ta@example.org",),
    )
    catalog = app.extensions["catalog"]
    for email, exercise_id, expected in (
        ("s@example.org", "io-path", "theta"),
        ("s@example.org", "vm-spec", "demo"),  # not in the course: self-study
        ("ta@example.org", "io-path", "demo"),  # staff practise outside the gradebook
    ):
        with app.test_request_context():
            user = find_user(email)
            assert user is not None
            login_user(user)
            assert _slug(submission_course_id(catalog.exercise(exercise_id))) == expected
    with app.test_request_context():
        assert _slug(submission_course_id(catalog.exercise("io-path"))) == "demo"  # anonymous


def test_learners_see_only_their_own_history(app: Flask) -> None:
    hosted_course(
        app,
        "iota",
        "t@example.org",
        {"io-path": (None, None)},
        students=("a@example.org", "b@example.org"),
    )
    mine = graded(app, "iota", "a@example.org", "io-path", solution(app, "io-path"), NOW)
    theirs = graded(
        app, "iota", "b@example.org", "io-path", "def path(k, o):\n    return []\n", NOW
    )
    a = signed_in(app, "a@example.org")
    history = a.get("/me/submissions").get_data(as_text=True)
    assert f"/submissions/{mine}" in history and f"/submissions/{theirs}" not in history
    assert a.get(f"/submissions/{theirs}").status_code == 404
    assert a.get(f"/submissions/{mine}").status_code == 200
    assert PASSWORD  # the helpers' password signs everyone in
    # Work outside any course is named as such, in the reader's language (it showed the demo
    # course's English title to a Chinese reader).
    self_study = a.post("/api/exercises/vm-spec/grade", json={"code": "x = 1"})
    assert self_study.status_code == 200
    for lang, words in (("en", "Self-study (no course)"), ("zh", "自学（不属于任何课程）")):
        page = page_text(a.get(f"/me/submissions?lang={lang}").get_data(as_text=True))
        assert words in page and "Course iota" in page
    # Late work names what the course counts of it, beside the score the code got.
    hosted_course(
        app, "kappa", "t2@example.org", {"io-path": (None, NOW - timedelta(days=3))},
        students=("late@example.org",), penalty=10,
    )  # fmt: skip
    graded(app, "kappa", "late@example.org", "io-path", solution(app, "io-path"), NOW)
    late = signed_in(app, "late@example.org")
    assert "(3 days late: counts 70)" in page_text(late.get("/me/submissions").get_data(True))
    assert "迟交 3 天：计 70 分" in page_text(late.get("/me/submissions?lang=zh").get_data(True))


def test_of_two_courses_a_submit_counts_for_the_one_that_takes_it_now(app: Flask) -> None:
    """A student of last term's course (past due, late work refused or accepted) and this
    term's (open): the Submit counts for this term's — it was refused, or stored as last term's
    late work, because the soonest due date won (#13). Then: an exercise not open yet in one
    course but open in the other counts for the open one."""
    last_term, this_term = NOW - timedelta(days=300), NOW + timedelta(days=20)
    catalog = app.extensions["catalog"]
    for policy in ("refuse", "accept"):
        student = f"retake-{policy}@example.org"
        hosted_course(
            app,
            f"old-{policy}",
            "t@example.org",
            {"io-path": (None, last_term), "vm-spec": (None, NOW + timedelta(days=2))},
            students=(student,),
            late_policy=policy,
        )
        hosted_course(
            app,
            f"new-{policy}",
            "t@example.org",
            {"io-path": (None, this_term), "vm-spec": (NOW + timedelta(days=1), None)},
            students=(student,),
        )
        for exercise_id, expected in (("io-path", f"new-{policy}"), ("vm-spec", f"old-{policy}")):
            with app.test_request_context():
                user = find_user(student)
                assert user is not None
                login_user(user)
                course_id = submission_course_id(catalog.exercise(exercise_id))
                assert _slug(course_id) == expected, (policy, exercise_id)
        answer = signed_in(app, student).post(
            "/api/exercises/io-path/grade", json={"code": solution(app, "io-path")}
        )
        assert answer.status_code == 200, answer.get_json()
        with app.app_context():
            stored = db.session.get(Submission, answer.get_json()["submission"])
            assert stored is not None
            course = db.session.get(Course, stored.course_id)
            assert course is not None and course.slug == f"new-{policy}"


def _upload(client: FlaskClient, slug: str, text: str) -> tuple[int, str]:
    response = client.post(
        f"/courses/{slug}/roster/import",
        data={"roster": (io.BytesIO(text.encode()), "roster.csv")},
        content_type="multipart/form-data",
    )
    return response.status_code, page_text(response.get_data(as_text=True))


def _roles(app: Flask, slug: str) -> dict[str, str]:
    with app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        return {user.email: role for user, role in members(course)}


def test_a_quote_left_open_refuses_the_file_naming_its_line(app: Flask) -> None:
    """It took every following line into one name: "2 people imported", the rest gone."""
    hosted_course(app, "quotes", "t@example.org", {})
    prof = signed_in(app, "t@example.org")
    text = (
        'email,name\nq1@example.org,Ann\nq2@example.org,"Bob Jones\n'
        "q3@example.org,Cy\nq4@example.org,Di\n"
    )
    status, page = _upload(prof, "quotes", text)
    assert status == 400 and "Line 3: a quote mark opens a value" in page
    assert set(_roles(app, "quotes")) == {"t@example.org"}  # nothing imported
    # A line break inside a closed quote (Alt+Enter in a spreadsheet cell) is a space.
    cell = 'email,name\r\nq5@example.org,"Li\r\nWei"\r\nq6@example.org,Mo\r\n'
    status, page = _upload(prof, "quotes", cell)
    assert status == 200, page
    with app.app_context():
        found = find_user("q5@example.org")
        assert found is not None and found.name == "Li Wei"
    assert {"q5@example.org", "q6@example.org"} <= set(_roles(app, "quotes"))


def test_a_file_without_roles_keeps_each_members_role(app: Flask) -> None:
    """A roster of names and emails demoted a TA to student, without a word."""
    hosted_course(
        app, "keeps", "t@example.org", {}, students=("s@example.org",), tas=("ta@example.org",)
    )
    prof = signed_in(app, "t@example.org")
    for text in (
        "email,name\nta@example.org,Carl\ns@example.org,Sam\nnew@example.org,New\n",
        "email,name,role\nta@example.org,Carl,\ns@example.org,Sam,\n",
    ):
        status, _page = _upload(prof, "keeps", text)
        assert status == 200
        roles = _roles(app, "keeps")
        assert roles["ta@example.org"] == "ta" and roles["s@example.org"] == "student"
        assert roles.get("new@example.org", "student") == "student"
    status, _page = _upload(prof, "keeps", "email,role\nta@example.org,student\n")
    assert status == 200 and _roles(app, "keeps")["ta@example.org"] == "student"  # said so


def test_new_accounts_are_hashed_before_the_database_is_locked(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SQLite the first INSERT holds the write lock until the commit: a password hashed
    per row inside that kept every Submit waiting (150 rows: 68 s, then a 503). Each hash here
    tries a write of its own on another connection, as a learner's Submit would."""
    from tutor.web import accounts, roster

    hosted_course(app, "locks", "t@example.org", {})
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocked: list[str] = []
    real_hash = accounts.generate_password_hash

    def hash_and_write(password: str, method: str = "scrypt") -> str:
        other = sqlite3.connect(database, timeout=0.2)
        try:
            other.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER)")
            other.execute("INSERT INTO probe VALUES (1)")
            other.commit()
        except sqlite3.OperationalError as exc:
            blocked.append(str(exc))
        finally:
            other.close()
        return real_hash(password, method=method)

    monkeypatch.setattr(accounts, "generate_password_hash", hash_and_write)
    prof = signed_in(app, "t@example.org")
    rows = "".join(f"n{n}@example.org,N{n}\n" for n in range(6))
    status, _page = _upload(prof, "locks", "email,name\n" + rows)
    assert status == 200 and not blocked, blocked
    monkeypatch.setattr(roster, "MAX_NEW_ACCOUNTS", 3)
    more = "".join(f"m{n}@example.org\n" for n in range(4))
    status, page = _upload(prof, "locks", "email\n" + more)
    assert status == 400 and "4 new accounts" in page and "at most 3" in page
