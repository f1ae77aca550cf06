"""The Chinese pages as a Chinese reader found them: a name and what follows it are separated by
the full-width colon (a template once wrote ": " after a name in every language), and the UI
uses one word for an account and one for "this browser" (the sign-up page said 账户 and the
next page 账号; most strings said 这个浏览器, others 此浏览器 and 本浏览器)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask, render_template
from flask.testing import FlaskClient

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)
ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "tutor/web/templates"
CATALOGUE = ROOT / "tutor/web/translations/zh/LC_MESSAGES/messages.po"

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
STOPS_EARLY = "def path(layers, skip):\n    return layers[:1]\n"

REPORT = {
    "verdict": "failed",
    "scope": "hidden",
    "passed_count": 0,
    "total_count": 1,
    "problems": [{"cases": ["c1"], "message": {"en": "it stops early", "zh": "路径提前结束"}}],
    "cases": [{"name": "c1", "title": {"en": "Case one", "zh": "用例一"}, "passed": False}],
}


def page_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_reports_case_name_is_followed_by_the_colon_of_the_pages_language(app: Flask) -> None:
    for language, colon in (("zh", "："), ("en", ": ")):
        with app.test_request_context(f"/?lang={language}"):
            problems = render_template("_report.html", report=REPORT)
            failing = render_template(
                "_report.html",
                report={**REPORT, "problems": [], "failing_case": "c1", "message": "boom"},
            )
        name = "用例一" if language == "zh" else "Case one"
        said = "路径提前结束" if language == "zh" else "it stops early"
        assert f"<strong>{name}</strong>{colon}{said}" in problems, problems
        assert f"<strong>c1</strong>{colon}boom" in failing, failing
    with app.test_request_context("/?lang=zh"):
        # The name is the template's markup, what follows it the learner's text: still escaped.
        unsafe = {**REPORT, "problems": [{"cases": ["c1"], "message": "<b>x</b>"}]}
        assert "<strong>用例一</strong>：&lt;b&gt;x&lt;/b&gt;" in render_template(
            "_report.html", report=unsafe
        )


def test_the_outline_and_the_record_separate_a_name_with_the_chinese_colon(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/exercises/walk/submit", data={"code": STOPS_EARLY}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    outline = client.get("/?lang=zh").get_data(as_text=True)
    tried = re.search(r'<ul class="exercise-results">(.*?)</ul>', outline, re.S)
    assert tried, outline
    assert re.search(r"\S：最高", page_text(tried[1])), tried[1]
    assert ": " not in page_text(tried[1])
    record = client.get("/my-progress?lang=zh").get_data(as_text=True)
    assert '：<span class="record-result">' in record
    assert ': <span class="record-result">' not in record
    english = client.get("/my-progress?lang=en").get_data(as_text=True)
    assert ': <span class="record-result">' in english


# A colon a template writes itself between two things it fills in (a name, then what is said of
# it), outside any translatable string: Chinese needs "：" there, so it belongs to the catalogue.
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>")
HARD_CODED = re.compile(r"⟨⟩ ?: ?(?=⟨⟩|\w)")


def test_no_template_hard_codes_a_colon_after_a_name() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = STATEMENT.sub("", EXPRESSION.sub("⟨⟩", path.read_text(encoding="utf-8")))
        text = TAG.sub("", text)
        for line in text.splitlines():
            if HARD_CODED.search(line):
                found.append(f"{path.relative_to(TEMPLATES)}: {line.strip()[:80]}")
    assert not found, found


def chinese_ui_strings() -> list[str]:
    """Every Chinese string of the interface: the catalogue's, and the scripts' tables."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    strings: list[str] = []
    for message in catalogue:
        if message.id:
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            strings += [str(text) for text in texts if text]
    for script in sorted((ROOT / "static/js").rglob("*.js")):
        strings += re.findall(r'"([^"\n]*[\u4e00-\u9fff][^"\n]*)"', script.read_text("utf-8"))
    return strings


def test_one_word_for_an_account_and_one_for_this_browser() -> None:
    strings = chinese_ui_strings()
    assert sum("账户" in s for s in strings) > 10
    assert sum("这个浏览器" in s for s in strings) > 3
    other = [s for s in strings if re.search("账号|帐户|帐号|此浏览器|本浏览器|该浏览器|邮箱", s)]
    assert not other, other
