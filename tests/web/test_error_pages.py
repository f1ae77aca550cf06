"""Unknown addresses, wrong methods and server faults get the site's own page, in the learner's
language, with a way back; the JSON API is left to answer in JSON."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)


def error_page(client: FlaskClient, url: str, status: int, **kwargs: object) -> str:
    response = client.open(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    # The site around the learner: its stylesheet, header, language switch and outline link.
    assert "/static/css/site.css" in html and 'class="site-header"' in html
    assert 'href="/"' in html and "/lang/" in html
    return html


@pytest.mark.parametrize(
    ("url", "method", "status", "en", "zh"),
    [
        ("/no/such/page", "GET", 404, "Page not found", "找不到这个页面"),
        ("/lessons/no-such-lesson", "GET", 404, "Page not found", "找不到这个页面"),
        ("/exercises/walk/submit", "GET", 405, "does not take that kind", "不接受这种请求"),
    ],
)
def test_error_pages_speak_the_learners_language(
    client: FlaskClient, url: str, method: str, status: int, en: str, zh: str
) -> None:
    english = error_page(client, url, status, method=method)
    assert '<html lang="en">' in english and en in english and zh not in english
    chinese = error_page(client, url + "?lang=zh", status, method=method)
    assert '<html lang="zh-CN">' in chinese and zh in chinese and en not in chinese
    assert "课程大纲" in chinese  # the way back, translated too
    client.set_cookie("lang", "zh")
    assert zh in error_page(client, url, status, method=method)


def test_method_not_allowed_still_says_which_methods_are(client: FlaskClient) -> None:
    response = client.get("/exercises/walk/submit")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_server_fault_gets_a_friendly_page_without_the_traceback(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    client = app.test_client()
    english = error_page(client, "/boom", 500)
    assert "Something went wrong on our side" in english
    assert "secret internals" not in english and "Traceback" not in english
    chinese = error_page(client, "/boom?lang=zh", 500)
    assert "服务器出了问题" in chinese and "Something went wrong" not in chinese


def test_api_errors_are_not_turned_into_html_pages(client: FlaskClient) -> None:
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert 'class="site-header"' not in response.get_data(as_text=True)


def test_a_file_too_large_says_so_and_what_to_do(app: Flask) -> None:
    """It said "This request could not be handled… reload the lesson page first" to an
    instructor whose roster file was 1.4 MB."""
    for lang, words in (("en", ("too large", "1 MB", "split")), ("zh", ("太大", "1 MB", "拆"))):
        # Raw bytes: a file field makes the test client spool its own temporary file, which it
        # leaves open when the server refuses the body (a ResourceWarning in a later test).
        page = app.test_client().post(
            f"/signup?lang={lang}",
            data=b"email=" + b"x" * 1_200_000,
            content_type="application/x-www-form-urlencoded",
        )
        text = page.get_data(as_text=True)
        assert page.status_code == 413 and all(w in text for w in words), text[:2000]


@pytest.mark.parametrize(("lang", "words"), [("en", "This form has expired"), ("zh", "表单已过期")])
def test_an_htmx_submit_with_an_expired_form_says_so_where_the_answer_goes(
    app: Flask, lang: str, words: str
) -> None:
    """Signed in in another tab, the lesson page's CSRF token is stale: its Submit (htmx) got a
    whole error page the client could not show, and read "The server could not grade this
    submission (HTTP 400)". The answer is now a report saying the form expired."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    client.get(f"/lessons/fixture-lesson?lang={lang}")
    response = client.post(
        f"/exercises/walk/submit?lang={lang}",
        data={"code": "print(1)", "csrf_token": "stale"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert body.startswith('<div class="report') and 'data-verdict="submit-error"' in body
    assert words in body and "<html" not in body
    # Without htmx, the whole page as before.
    page = client.post(f"/exercises/walk/submit?lang={lang}", data={"code": "x", "csrf_token": "x"})
    assert page.status_code == 400 and "<html" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "words", "joined"),
    [("en", "still in the editor", "too large: "), ("zh", "仍在编辑器中", "太大了：")],
)
def test_a_submit_too_large_speaks_to_the_learner(
    app: Flask, lang: str, words: str, joined: str
) -> None:
    """A learner's too-large Submit (htmx) was told to "split a long roster into several", and
    the Chinese joined the title and the advice with an English colon."""
    response = app.test_client().post(
        f"/exercises/walk/submit?lang={lang}",
        data=b"code=" + b"x" * 1_200_000,
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 413 and 'data-verdict="submit-error"' in body
    assert words in body and joined in body and "roster" not in body and "名单" not in body
