"""Adding someone who has an account of their own invites them (#13): a course cannot enrol a
person at will — it could put its own deadlines on their work (refusing it), have their
submissions counted in it instead of their real course, and read them. Until they accept on
their Courses page the course sees nothing of them; accounts the course made itself, the join
code and LMS launches need no invitation."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import create_app
from tutor.web.accounts import find_user
from tutor.web.extensions import db
from tutor.web.models import Course, Submission
from tutor.web.roster import course_by_slug, membership

from .course_site_helpers import account, hosted_course, page_text, signed_in, user_id

EXERCISE = "layer-overhead"
LONG_AGO = datetime(1970, 1, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("invitations")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "invitations",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'course-site.db'}",
            "WTF_CSRF_ENABLED": False,
            "SIGNIN_RATE_LIMIT": "1000 per minute",
            "QUEUE_URL": "immediate",  # a Submit graded in the request: where it counts shows
            "GRADER": "process",
        }
    )
    yield app
    with app.app_context():
        db.session.remove()


def _solution(site: Flask) -> str:
    return str(site.extensions["catalog"].exercise(EXERCISE).solution)


def _member(site: Flask, slug: str, email: str) -> tuple[bool, str | None]:
    """(in the course as a member, the role of an invitation waiting)."""
    with site.app_context():
        course, user = course_by_slug(slug), find_user(email)
        assert course is not None and user is not None
        place = membership(course, user)
        if place is None:
            return False, None
        return place.left_at is None, place.role if place.invited_at is not None else None


def _refuse_late(client: FlaskClient, slug: str) -> None:
    """Staff make the exercise due long ago, late work refused."""
    page = client.get(f"/courses/{slug}/settings").get_data(as_text=True)
    rows = re.findall(r'name="(exercises-\d+)-exercise_id"[^>]*value="([^"]+)"', page)
    data = {"title": f"Course {slug}", "late_policy": "refuse", "penalty_per_day": "10"}
    for prefix, exercise_id in rows:
        data[f"{prefix}-exercise_id"] = exercise_id
        if exercise_id == EXERCISE:
            data |= {f"{prefix}-included": "y", f"{prefix}-due": "1970-01-02T00:00"}
    assert client.post(f"/courses/{slug}/settings", data=data).status_code in (200, 302)


def test_a_course_that_adds_someone_s_own_account_only_invites_it(site: Flask) -> None:
    due = datetime.now(UTC) + timedelta(days=7)
    hosted_course(site, "real-a", "teacher-a@x.org", {EXERCISE: (None, due)})
    account(site, "ann@x.org", "Ann Private")
    signed_in(site, "teacher-a@x.org")
    ann = signed_in(site, "ann@x.org")
    code = hosted_course(site, "real-a-join", "teacher-a@x.org", {})
    assert ann.post("/join", data={"code": code}).status_code == 302  # consent by join code
    with site.app_context():
        course, user = course_by_slug("real-a"), find_user("ann@x.org")
        assert course is not None and user is not None
        from tutor.web.roster import enrol

        enrol(course, user, "student")  # Ann's real course
        db.session.commit()

    account(site, "mallory@x.org")
    mallory = signed_in(site, "mallory@x.org")
    assert mallory.post("/courses/new", data={"title": "Trap", "slug": "trap"}).status_code == 302
    added = mallory.post("/courses/trap/roster/add", data={"email": "ann@x.org", "role": "student"})
    assert added.status_code == 302
    assert _member(site, "trap", "ann@x.org") == (False, "student")
    roster = page_text(mallory.get("/courses/trap/roster").get_data(as_text=True))
    assert "ann@x.org" in roster and "Ann Private" not in roster and "Invited" in roster
    _refuse_late(mallory, "trap")

    # Ann's work still goes to her real course, whatever the trap's deadline says.
    submitted = ann.post(f"/api/exercises/{EXERCISE}/grade", json={"code": _solution(site)})
    assert submitted.status_code == 200, submitted.get_json()
    with site.app_context():
        latest = db.session.execute(
            db.select(Submission).order_by(Submission.id.desc()).limit(1)
        ).scalar_one()
        assert db.session.get(Course, latest.course_id).slug == "real-a"  # type: ignore[union-attr]
        ann_id = find_user("ann@x.org").id  # type: ignore[union-attr]
    assert mallory.get(f"/courses/trap/students/{ann_id}").status_code == 404
    assert mallory.get("/courses/trap/gradebook").get_data(as_text=True).count("ann@x.org") == 0

    # Ann sees the invitation, in her language, and declines it.
    mine = ann.get("/courses?lang=zh").get_data(as_text=True)
    assert "邀请" in mine and "Course trap" in mine and "接受" in mine
    declined = ann.post("/courses/trap/invitation", data={"answer": "decline"})
    assert declined.status_code == 302
    assert _member(site, "trap", "ann@x.org") == (False, None)
    assert ann.post("/courses/trap/invitation", data={"answer": "accept"}).status_code == 404


def test_an_accepted_invitation_makes_a_member_in_the_role_offered(site: Flask) -> None:
    hosted_course(site, "welcome", "teacher-w@x.org", {})
    account(site, "bob@x.org")
    teacher = signed_in(site, "teacher-w@x.org")
    teacher.post("/courses/welcome/roster/add", data={"email": "bob@x.org", "role": "ta"})
    bob = signed_in(site, "bob@x.org")
    assert bob.get("/courses/welcome").status_code == 404  # not in it before accepting
    assert "Course welcome" in bob.get("/courses").get_data(as_text=True)  # the invitation
    accepted = bob.post("/courses/welcome/invitation", data={"answer": "accept"})
    assert accepted.status_code == 302
    assert _member(site, "welcome", "bob@x.org") == (True, None)
    assert bob.get("/courses/welcome/roster").status_code == 200  # a TA now


def test_a_roster_file_invites_own_accounts_and_enrols_the_ones_it_makes(site: Flask) -> None:
    hosted_course(site, "csv-invites", "teacher-c@x.org", {})
    account(site, "carol@x.org")
    teacher = signed_in(site, "teacher-c@x.org")
    data = b"email,name\ncarol@x.org,Carol\nnewcomer@x.org,New\n"
    response = teacher.post(
        "/courses/csv-invites/roster/import",
        data={"roster": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    assert "1 person imported" in text and "invited" in text
    assert _member(site, "csv-invites", "carol@x.org") == (False, "student")
    assert _member(site, "csv-invites", "newcomer@x.org") == (True, None)


def test_an_account_another_course_made_and_let_go_passes_to_the_next_course(site: Flask) -> None:
    """Squatting: a course makes an account for someone's address (keeping its password) and
    removes it; when the person's real course adds the address, it takes the account over with
    a new password — an invitation would let the squatter accept it."""
    hosted_course(site, "squat", "squatter@x.org", {})
    hosted_course(site, "genuine", "genuine-prof@x.org", {})
    squatter = signed_in(site, "squatter@x.org")
    made = squatter.post(
        "/courses/squat/roster/add", data={"email": "dora@x.org", "role": "student"}
    )
    kept = re.search(r"<code class=\"new-password\">([^<]+)</code>", made.get_data(as_text=True))
    assert made.status_code == 200 and kept
    with site.app_context():
        dora = find_user("dora@x.org")
        assert dora is not None
        dora_id = dora.id
    assert squatter.post(f"/courses/squat/members/{dora_id}/remove").status_code == 302
    prof = signed_in(site, "genuine-prof@x.org")
    taken = prof.post(
        "/courses/genuine/roster/add", data={"email": "dora@x.org", "role": "student"}
    )
    fresh = re.search(r"<code class=\"new-password\">([^<]+)</code>", taken.get_data(as_text=True))
    assert taken.status_code == 200 and fresh and fresh.group(1) != kept.group(1)
    assert _member(site, "genuine", "dora@x.org") == (True, None)
    stale = site.test_client().post(
        "/login", data={"email": "dora@x.org", "password": kept.group(1)}
    )
    assert stale.status_code == 401  # the squatter's password no longer opens it
    signed_in(site, "dora@x.org", fresh.group(1))


@pytest.mark.parametrize("by", ["add", "roster"])
def test_an_account_its_owner_chose_a_password_for_is_never_taken_over(
    site: Flask, by: str
) -> None:
    """A course made the account, its owner chose their own password, the course let it go: the
    account is the owner's now. Another course adding the address (anyone can make a course)
    only invites it — it never gets a new password, by "Add one person" or a roster file that
    names one — and the owner stays signed in with their own password and keeps their work."""
    email, maker, other = f"erin-{by}@x.org", f"maker-{by}", f"other-{by}"
    hosted_course(site, maker, f"teacher-{by}@x.org", {})
    hosted_course(site, other, f"stranger-{by}@x.org", {})
    made = signed_in(site, f"teacher-{by}@x.org").post(
        f"/courses/{maker}/roster/add", data={"email": email, "role": "student"}
    )
    first = re.search(r"<code class=\"new-password\">([^<]+)</code>", made.get_data(as_text=True))
    assert made.status_code == 200 and first
    owner = signed_in(site, email, first.group(1))
    changed = owner.post(
        "/account",
        data={"current": first.group(1), "password": "Erin's own 1", "confirm": "Erin's own 1"},
    )
    assert changed.status_code == 302
    erin = user_id(site, email)
    teacher = signed_in(site, f"teacher-{by}@x.org")
    assert teacher.post(f"/courses/{maker}/members/{erin}/remove").status_code == 302

    stranger = signed_in(site, f"stranger-{by}@x.org")
    if by == "add":
        response = stranger.post(
            f"/courses/{other}/roster/add",
            data={"email": email, "role": "student"},
            follow_redirects=True,
        )
    else:
        response = stranger.post(
            f"/courses/{other}/roster/import",
            data={
                "roster": (
                    io.BytesIO(f"email,name,password\n{email},E,Chosen by 1\n".encode()),
                    "r.csv",
                )
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 200
    assert "new-password" not in response.get_data(as_text=True)
    assert _member(site, other, email) == (False, "student")  # invited, nothing more
    assert owner.get("/courses").status_code == 200  # still signed in
    signed_in(site, email, "Erin's own 1")
    assert (
        site.test_client()
        .post("/login", data={"email": email, "password": "Chosen by 1"})
        .status_code
        == 401
    )


def test_the_join_code_takes_an_invited_or_removed_person_in(site: Flask) -> None:
    """ "You joined" then a 404: the join code did nothing for someone with an invitation
    waiting (or removed earlier), though it is the consent an invitation waits for."""
    code = hosted_course(site, "codes", "teacher-c@x.org", {}, students=("gone@x.org",))
    account(site, "yuki@x.org")
    teacher = signed_in(site, "teacher-c@x.org")
    teacher.post("/courses/codes/roster/add", data={"email": "yuki@x.org", "role": "student"})
    assert _member(site, "codes", "yuki@x.org") == (False, "student")
    with site.app_context():
        gone = find_user("gone@x.org")
        assert gone is not None
        gone_id = gone.id
    removed = teacher.post(f"/courses/codes/members/{gone_id}/remove")
    assert removed.status_code in (200, 302)
    assert _member(site, "codes", "gone@x.org") == (False, None)
    for email in ("yuki@x.org", "gone@x.org"):
        person = signed_in(site, email)
        joined = person.post("/join", data={"code": code})
        assert joined.status_code == 302
        assert person.get(joined.headers["Location"]).status_code == 200, email
        assert _member(site, "codes", email) == (True, None)
