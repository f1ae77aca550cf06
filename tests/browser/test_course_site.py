"""The instructor's path through the course site (#13), in real Chromium: create a course with
deadlines, a student joins with the code and submits one exercise on time and one late, and
the instructor sees both in the gradebook, opens the dashboard and exports the CSV. The new
pages pass the same structural accessibility audit as the lessons, in both languages."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from ._learner import ROOT, block_cdn, hold_python, section, set_code

AUDIT = (Path(__file__).parent / "audit.js").read_text()
ON_TIME, LATE = "io-path", "vcpu-run-loop"
EXERCISES = ROOT / "lessons/05-hypervisors/exercises"


def _sign_up(page: Page, base: str, email: str, name: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password", exact=True).fill("a good password")
    page.get_by_label("Password again").fill("a good password")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def _audit(page: Page) -> None:
    audit = page.evaluate(AUDIT)
    assert audit["problems"] == [], (page.url, audit["problems"])


def test_instructor_course_student_late_and_on_time_gradebook_dashboard_csv(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    slug = f"virt-{stamp}"
    teacher = browser.new_context(service_workers="block", accept_downloads=True)
    student = browser.new_context(service_workers="block")
    try:
        prof = teacher.new_page()
        prof.set_default_timeout(60_000)
        _sign_up(prof, live_server, f"prof{stamp}@example.org", "Prof Ada")
        prof.goto(f"{live_server}/courses/new")
        _audit(prof)
        prof.get_by_label("Title").fill("Hypervisors, spring")
        prof.get_by_label("Short name").fill(slug)
        prof.get_by_role("button", name="Create the course").click()
        expect(prof).to_have_url(re.compile(f"/courses/{slug}/settings$"))
        _audit(prof)
        now = datetime.now(UTC)
        for exercise, due in (
            (ON_TIME, now + timedelta(days=7)),
            (LATE, now - timedelta(hours=12)),
        ):
            row = prof.locator(f'tr[data-exercise-id="{exercise}"]')
            row.locator('input[type="checkbox"]').check()
            row.locator('input[name$="-due"]').fill(due.strftime("%Y-%m-%dT%H:%M"))
        prof.get_by_label("Accept it, with a penalty per day late").check()
        prof.get_by_role("spinbutton", name="Penalty per day late").fill("25")
        prof.get_by_role("button", name="Save settings").click()
        expect(prof.locator(".flashes")).to_contain_text("Settings saved.")
        prof.goto(f"{live_server}/courses/{slug}")
        code = prof.locator(".join-code").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{8}", code)

        learner = student.new_page()
        learner.set_default_timeout(60_000)
        _sign_up(learner, live_server, f"stu{stamp}@example.org", "Stu Dent")
        learner.goto(f"{live_server}/courses")
        learner.get_by_label("Join code").fill(code)
        learner.get_by_role("button", name="Join").click()
        expect(learner).to_have_url(re.compile(f"/courses/{slug}$"))
        hold_python(learner)
        block_cdn(learner)
        learner.goto(f"{live_server}/lessons/hypervisors")
        for exercise in (ON_TIME, LATE):
            set_code(learner, (EXERCISES / exercise / "solution.py").read_text(), exercise)
            section(learner, exercise).locator("button.submit").click()
            expect(learner.locator(f"#result-{exercise} .report")).to_have_attribute(
                "data-verdict", "passed", timeout=120_000
            )
        learner.goto(f"{live_server}/courses/{slug}")
        expect(learner.locator(f'tr[data-exercise-id="{LATE}"]')).to_contain_text("1 day")
        expect(learner.locator(f'tr[data-exercise-id="{LATE}"] .score')).to_have_text("75")
        expect(learner.locator(f'tr[data-exercise-id="{ON_TIME}"] .score')).to_have_text("100")

        prof.goto(f"{live_server}/courses/{slug}/gradebook")
        _audit(prof)
        row = prof.locator(f'tr[data-email="stu{stamp}@example.org"]')
        expect(row.locator(f'td[data-exercise-id="{ON_TIME}"]')).to_have_attribute(
            "data-best", "100"
        )
        expect(row.locator(f'td[data-exercise-id="{LATE}"]')).to_have_attribute("data-best", "75")
        expect(row.locator(f'td[data-exercise-id="{LATE}"]')).to_contain_text("1 day late")
        prof.get_by_label("Show").select_option("late")
        expect(prof.locator("table.gradebook")).to_have_attribute("data-rows", "1")
        expect(prof).to_have_url(re.compile(r"show=late"))
        with prof.expect_download() as download:
            prof.get_by_role("link", name="Export CSV").click()
        target = tmp_path / "grades.csv"
        download.value.save_as(target)
        with target.open(encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
        assert len(rows) == 1 and rows[0]["SIS Login ID"] == f"stu{stamp}@example.org"
        late_column = next(c for c in rows[0] if c.endswith(f"({LATE})"))
        on_time_column = next(c for c in rows[0] if c.endswith(f"({ON_TIME})"))
        assert (rows[0][on_time_column], rows[0][late_column], rows[0]["Total"]) == (
            "100",
            "75",
            "87.5",
        )

        prof.goto(f"{live_server}/courses/{slug}/dashboard?exercise={LATE}")
        expect(prof.locator('.chart[data-chart="scores"] svg rect.bar')).to_have_count(11)
        _audit(prof)
        # WCAG 1.4.10 at 320 px: the exercise picker was as wide as its longest title.
        prof.set_viewport_size({"width": 320, "height": 640})
        for path in ("dashboard", "gradebook", "settings", "roster"):
            prof.goto(f"{live_server}/courses/{slug}/{path}")
            width = prof.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px ({width})"
        prof.set_viewport_size({"width": 1280, "height": 800})
        for path in ("roster", "settings", "dashboard", "gradebook", ""):
            prof.goto(f"{live_server}/courses/{slug}/{path}?lang=zh".replace("/?", "?"))
            assert prof.evaluate(AUDIT)["lang"] == "zh-CN"
            _audit(prof)
        for path in ("/login", "/signup"):
            anonymous = browser.new_page()
            anonymous.goto(f"{live_server}{path}")
            _audit(anonymous)
            anonymous.close()
    finally:
        teacher.close()
        student.close()
