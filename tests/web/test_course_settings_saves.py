"""What a Settings save does to what is already saved, and what it says (#13): unticking an
exercise kept no dates (ticking it again brought empty ones, late work counting on time) and
said nothing of the submissions that stop counting; a save refused by one row's error said
nothing at the top of a 36-row page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web.roster import course_by_slug
from tutor.web.schedule import assignments

from .course_site_helpers import course_site, graded, hosted_course, page_text, signed_in, solution


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from course_site(tmp_path_factory.mktemp("settings-saves"), "settings-saves")


class _Form(HTMLParser):
    """The settings form as a browser sends it: every field's value, checkboxes when ticked."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag != "input" or not name:
            return
        if found.get("type") in ("checkbox", "radio") and "checked" not in found:
            return
        self.data[name] = found.get("value") or ("y" if found.get("type") == "checkbox" else "")


def _as_sent(client: FlaskClient, slug: str) -> tuple[dict[str, str], dict[str, int]]:
    """The form's data, and each exercise's row number."""
    form = _Form()
    form.feed(client.get(f"/courses/{slug}/settings").get_data(as_text=True))
    rows = {
        value: int(name.split("-")[1])
        for name, value in form.data.items()
        if name.endswith("-exercise_id")
    }
    return form.data, rows


def _times(site: Flask, slug: str) -> dict[str, tuple[datetime | None, datetime | None]]:
    with site.app_context():
        course = course_by_slug(slug)
        assert course is not None
        return {a.exercise_id: (a.opens_at, a.due_at) for a in assignments(course)}


def test_an_unticked_exercise_keeps_its_times_and_says_what_stops_counting(site: Flask) -> None:
    opens = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    due = datetime(2026, 1, 12, 23, 59, tzinfo=UTC)
    hosted_course(
        site,
        "untick",
        "untick@x.org",
        {"io-path": (opens, due), "vm-spec": (None, None)},
        students=("untick-s@x.org",),
    )
    graded(
        site,
        "untick",
        "untick-s@x.org",
        "io-path",
        solution(site, "io-path"),
        due + timedelta(days=2),
    )
    prof = signed_in(site, "untick@x.org")
    data, rows = _as_sent(prof, "untick")
    del data[f"exercises-{rows['io-path']}-included"]
    saved = prof.post("/courses/untick/settings", data=data, follow_redirects=True)
    assert saved.status_code == 200
    text = page_text(saved.get_data(as_text=True))
    assert "Taken out of the course:" in text and "Its 1 submission no longer counts" in text
    assert "io-path" not in _times(site, "untick")
    # Shown, unticked, with the times it had; ticked again, back with them to the second.
    data, rows = _as_sent(prof, "untick")
    row = rows["io-path"]
    assert f"exercises-{row}-included" not in data
    assert data[f"exercises-{row}-opens"] == "2026-01-05T09:00"
    assert data[f"exercises-{row}-due"] == "2026-01-12T23:59"
    data[f"exercises-{row}-included"] = "y"
    assert prof.post("/courses/untick/settings", data=data).status_code == 302
    assert _times(site, "untick")["io-path"] == (opens, due)
    data, rows = _as_sent(prof, "untick")  # and nothing left behind to come back twice
    del data[f"exercises-{rows['vm-spec']}-included"]
    quiet = prof.post("/courses/untick/settings", data=data, follow_redirects=True)
    assert "(no submissions yet)" in page_text(quiet.get_data(as_text=True))
    assert set(_times(site, "untick")) == {"io-path"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_save_refused_by_a_row_says_so_at_the_top_and_links_the_first_problem(
    site: Flask, lang: str
) -> None:
    slug = f"refused-{lang}"
    hosted_course(site, slug, f"{slug}@x.org", {"io-path": (None, None)})
    prof = signed_in(site, f"{slug}@x.org")
    data, rows = _as_sent(prof, slug)
    late = max(rows.values())  # the last row of the table, far below the fold
    data |= {
        f"exercises-{late}-included": "y",
        f"exercises-{late}-opens": "2030-02-01T00:00",
        f"exercises-{late}-due": "2030-01-01T00:00",
        "penalty_per_day": "x",
    }
    refused = prof.post(f"/courses/{slug}/settings?lang={lang}", data=data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    top = html.split('id="settings-problems"')[1].split("</div>")[0]
    words = "Not saved: 2 problems below." if lang == "en" else "没有保存：下面有 2 处问题。"
    assert words in page_text(top)
    assert 'href="#penalty_per_day"' in top and 'id="penalty_per_day"' in html
    assert html.index('id="settings-problems"') < html.index('class="stacked-form settings-form"')
    assert set(_times(site, slug)) == {"io-path"}  # nothing saved
    del data["penalty_per_day"]
    data["penalty_per_day"] = "10"
    only_row = prof.post(f"/courses/{slug}/settings", data=data).get_data(as_text=True)
    assert f'href="#exercises-{late}-due"' in only_row and "1 problem below" in only_row
