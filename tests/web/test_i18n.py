"""The UI speaks Chinese or English: ?lang=, the lang cookie, then Accept-Language decide.

These need the compiled catalogue (``make setup`` runs ``pybabel compile``).
"""

from __future__ import annotations

import re
import tomllib
from html import unescape

import pytest
from flask.testing import FlaskClient

from ..conftest import ROOT

LESSON = "/lessons/hypervisors"
ZH_TITLE = "虚拟机监控程序：类型 1 与类型 2"
EN_TITLE = "Hypervisors: type 1 vs type 2"


def page(client: FlaskClient, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_outline_in_chinese(client: FlaskClient) -> None:
    html = page(client, "/?lang=zh")
    assert '<html lang="zh-CN">' in html
    assert "课程大纲" in html
    assert "跳到正文" in html
    assert ZH_TITLE in html
    assert f"{EXERCISES} 个练习" in html  # ngettext with Chinese's single plural form
    assert "Course outline" not in html


def test_lesson_in_chinese(client: FlaskClient) -> None:
    html = page(client, f"{LESSON}?lang=zh")
    assert ZH_TITLE in html
    for text in (
        ">概念检测<",
        ">你的代码<",
        ">运行</button>",
        ">提交</button>",
        "<summary>提示</summary>",
    ):
        assert text in html, text
    assert "什么是虚拟机监控程序" in html  # the Chinese lesson body
    assert "Concept check" not in html


def test_english_by_default(client: FlaskClient) -> None:
    html = page(client, "/")
    assert '<html lang="en">' in html
    assert "Course outline" in html
    assert EN_TITLE in html
    assert f"{EXERCISES} exercises" in html
    assert "课程大纲" not in html


def test_lesson_in_english(client: FlaskClient) -> None:
    html = page(client, f"{LESSON}?lang=en")
    assert EN_TITLE in html
    assert "Concept check" in html
    assert "Your code" in html
    assert "What a hypervisor is" in html
    assert "概念检测" not in html


def test_accept_language_selects_chinese(client: FlaskClient) -> None:
    html = page(client, "/", **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "课程大纲" in html
    assert ZH_TITLE in html


def test_accept_language_prefers_english_when_asked(client: FlaskClient) -> None:
    html = page(client, "/", **{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert "Course outline" in html


def test_cookie_wins_over_accept_language(client: FlaskClient) -> None:
    client.set_cookie("lang", "en")
    html = page(client, LESSON, **{"Accept-Language": "zh-CN,zh;q=0.9"})
    assert EN_TITLE in html
    assert "Concept check" in html

    client.set_cookie("lang", "zh")
    html = page(client, LESSON, **{"Accept-Language": "en-US,en;q=0.9"})
    assert ZH_TITLE in html
    assert "概念检测" in html


def test_language_switch_sets_the_cookie(client: FlaskClient) -> None:
    response = client.get("/lang/zh?next=/")
    assert response.status_code == 302
    assert "lang=zh" in response.headers["Set-Cookie"]
    html = page(client, "/", **{"Accept-Language": "en"})
    assert "课程大纲" in html


@pytest.mark.parametrize(
    ("opened", "code", "back"),
    [
        ("/lessons/hypervisors?lang=zh", "en", "/lessons/hypervisors"),
        ("/?lang=en", "zh", "/"),
        ("/lessons/hypervisors?x=1&lang=zh", "en", "/lessons/hypervisors?x=1"),
    ],
)
def test_the_switch_works_on_a_page_opened_with_lang_in_its_address(
    client: FlaskClient, opened: str, code: str, back: str
) -> None:
    """A shared ``?lang=zh`` link: its own switch must lead to the other language, not back to
    the address whose ``lang`` outranks the cookie just set."""
    html = page(client, opened)
    link = re.search(rf'href="(/lang/{code}\?next=[^"]+)"', html)
    assert link is not None
    response = client.get(unescape(link[1]))
    assert response.status_code == 302 and response.headers["Location"] == back
    after = page(client, response.headers["Location"])
    assert ("课程大纲" in after or "虚拟机监控程序" in after) == (code == "zh")


EXERCISES = len(
    tomllib.loads((ROOT / "lessons/05-hypervisors/lesson.toml").read_text())["exercises"]
)
# Grading feedback in both languages: test_i18n_feedback.py, on the fixture lesson.


def test_each_request_gets_the_language_its_own_headers_ask_for(client: FlaskClient) -> None:
    """Accept-Language values are parsed once and kept: requests in any order still each get
    their own header's answer, and an explicit choice in the query wins wherever it stands."""
    asks = [
        ("zh-CN,zh;q=0.9,en;q=0.5", ZH_TITLE),
        ("en-US,en;q=0.9", EN_TITLE),
        ("zh-TW", ZH_TITLE),
        ("fr-FR,fr;q=0.9", EN_TITLE),  # neither: English
        ("de;q=0.9,zh;q=0.8,en;q=0.1", ZH_TITLE),
        ("*", EN_TITLE),
        ("zh;q=0, en;q=0.2", EN_TITLE),  # zh refused outright
    ]
    for _ in range(2):  # the second time from what was kept
        for header, title in asks:
            html = page(client, LESSON, **{"Accept-Language": header})
            assert title in html, header
    long_header = ",".join(f"x{i}-y;q=0.{i % 9 + 1}" for i in range(60)) + ",zh;q=0.95"
    assert ZH_TITLE in page(client, LESSON, **{"Accept-Language": long_header})
    assert ZH_TITLE in page(client, LESSON + "?step=2&lang=zh", **{"Accept-Language": "en"})
    assert EN_TITLE in page(client, LESSON + "?xlang=zh", **{"Accept-Language": "en"})
