"""Takes the README's screenshot of the lesson page with the browser-test tooling.

Run with ``make screenshot``: a live server on a free port with a throw-away database, Debian's
Chromium driven by Playwright with the same flags as the browser tests, Python loaded, the
reference answer of one exercise run, and the animation stepped to a component lighting up.
The step is chosen from the scene's own events (a component acting in the privileged partition's
back-end driver), and the script refuses to save a picture whose lit chip and sentence disagree.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tutor.web import create_app  # noqa: E402
from tutor.web.scenes import layer_stacks  # noqa: E402

SOLUTION = ROOT / "lessons/05-hypervisors/exercises/vcpu-run-loop/solution.py"
# The moment shown: the I/O stack acting in a privileged partition's back-end driver, after the
# monolithic design's run has finished beside it.
SHOWN = {"kind": "component.act", "layer": "backend_driver", "component": "io_stack"}


def steps_to_shown() -> int:
    data = layer_stacks()
    events = next(scene for scene in data["scenes"] if scene["id"] == data["default"])["events"]
    index = next(i for i, e in enumerate(events) if all(e.get(k) == v for k, v in SHOWN.items()))
    return index + 1


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SECRET_KEY": "screenshot", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/s.db"}
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/lessons/hypervisors"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1150})
            page.goto(url)
            page.wait_for_selector("#exercise-vcpu-run-loop .run:not([disabled])", timeout=60_000)
            page.evaluate(
                "code => document.querySelector('#exercise-vcpu-run-loop .CodeMirror')"
                ".CodeMirror.setValue(code)",
                SOLUTION.read_text(),
            )
            page.click("#exercise-vcpu-run-loop .run")
            page.wait_for_selector("#exercise-vcpu-run-loop .result .report")
            step = page.get_by_role("button", name="Step forward")
            for _ in range(steps_to_shown()):
                step.click()
            lit = page.eval_on_selector_all(
                ".chip.is-acting", "els => els.map(c => c.dataset.component)"
            )
            sentence = page.inner_text(".viz-live")
            if lit != [SHOWN["component"]] or "I/O stack" not in sentence:
                raise SystemExit(f"the lit chip {lit} and the sentence {sentence!r} disagree")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ROOT / "docs/screenshot-lesson.png"), full_page=False)
            exercise = page.locator("#exercise-vcpu-run-loop")
            exercise.screenshot(path=str(ROOT / "docs/screenshot-exercise.png"))
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
