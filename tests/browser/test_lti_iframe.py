"""An LTI 1.3 launch inside an LMS's iframe (#12), in real Chromium: a course page of the
platform simulated in tests/web/lti_platform.py (on ``http://localhost``) frames VirtTutor (on
``https://127.0.0.1``, another site), and the OIDC login, the platform's auto-posted id_token and
the lesson all happen inside the iframe.

VirtTutor runs over HTTPS here, as in production, with a throw-away certificate the browser
context accepts: only over HTTPS are its cookies ``SameSite=None; Secure`` — what a browser
needs to send them to a framed site of another origin. (Over plain ``http://127.0.0.1`` the
app keeps ``SameSite=Lax`` and pylti1p3 sets its state cookie without ``Secure``; Chromium
would then withhold both from the cross-site launch post, and the launch would be refused.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from werkzeug.serving import make_server

from tests.conftest import FIXTURE_LESSONS
from tests.web.lti_platform import Platform, running_platform
from tutor.web import create_app

from ._learner import hold_python


@pytest.fixture
def lms_and_tool(tmp_path: Path) -> Iterator[tuple[Platform, str]]:
    with running_platform() as platform:
        port = platform.base.rsplit(":", 1)[1]
        app = create_app(
            {
                "SECRET_KEY": "lti-iframe",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lti.db'}",
                "LESSONS_DIR": str(FIXTURE_LESSONS),
                "QUEUE_URL": "immediate",
                "LMS_ORIGINS": [f"http://localhost:{port}"],  # the LMS page that frames us
            }
        )
        result = app.test_cli_runner().invoke(args=platform.register_args())
        assert result.exit_code == 0, result.output
        server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context="adhoc")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        tool = f"https://127.0.0.1:{server.server_port}"
        platform.tool_jwks = app.test_client().get("/lti/jwks").get_json()
        try:
            yield platform, tool
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def test_a_launch_inside_the_lms_iframe_opens_the_lesson_signed_in(
    browser: Browser, lms_and_tool: tuple[Platform, str]
) -> None:
    platform, tool = lms_and_tool
    platform.browser_user = {
        "sub": "iframe-learner",
        "name": "Iris Frame",
        "custom": {"lesson": "fixture-lesson"},
    }
    context = browser.new_context(service_workers="block", ignore_https_errors=True)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        hold_python(page)
        lms = f"http://localhost:{platform.base.rsplit(':', 1)[1]}"
        page.goto(f"{lms}/course?tool={tool}")
        frame = page.frame_locator("#tool")
        # The lesson, in the iframe, for the account the launch signed in: the session cookie
        # came back on the request after the launch's redirect.
        expect(frame.locator("h1")).to_have_text("Fixture: a request walks down a stack")
        expect(frame.get_by_role("link", name="Iris Frame")).to_be_visible()
        framed = next(f for f in page.frames if f.url.startswith(tool))
        assert framed.url == f"{tool}/lessons/fixture-lesson"
        cookies = {c["name"]: c for c in context.cookies(tool)}
        assert cookies["session"]["sameSite"] == "None" and cookies["session"]["secure"]
        # A page opened later inside the iframe is still signed in.
        framed.goto(f"{tool}/me/submissions")
        expect(frame.get_by_role("link", name="Iris Frame")).to_be_visible()
    finally:
        context.close()
