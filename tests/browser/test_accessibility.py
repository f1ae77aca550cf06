"""axe-core (pinned from npm, static/assets.json) on every page of the site, in both languages.

A crawler starts from the outline as three people (a visitor, a student who has joined a course
and submitted, the course's instructor) and follows every link of the site it finds, so a new
page is checked without anyone listing it here; error pages and failed forms are visited on
purpose. The lesson page is also checked in each state a learner brings it to: after Play (with
Pause hovered), with every hint open, while a Run runs (Stop hovered), after Run (a case's Replay
hovered, the case replayed) and after Submit.

One test, one browser, one server: each person has a page per language, and every URL the crawl
finds is checked in both before it moves on. Each page is checked whole as loaded; a lesson
state is checked in the region it changed (the animation, the exercises, the report, the status
line), which is where any new violation can be: the rest of the page is the one already checked.
The two languages' lesson pages start Python before the crawl, so it loads while the crawl runs;
the running state ends with Stop, not by waiting for the time limit.

The older structural audit (audit.js: the page language, heading levels, live regions) still
runs on every page too: axe does not check that the animation's description is a live region.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tutor.assets import pinned

from ._learner import CDN, STARTER, result, run_button, section, set_code, wait_for_python_ready

AUDIT = (Path(__file__).parent / "audit.js").read_text()
AXE = pinned()["axe-core"]
LESSON = "/lessons/hypervisors"
EXERCISE = "vcpu-run-loop"
PASSWORD = "a good password"
# Not pages: downloads, actions, the service worker, files, the API and other sites.
NOT_A_PAGE = re.compile(r"/(static|api|lang|logout|sw\.js|lti/(jwks|login|launch))\b|\.csv$")
# One page per shape of URL (/submissions/12 and /submissions/13 are the same template); lessons,
# whose ids are words, are each visited.
NUMBER = re.compile(r"/\d+")
# Every rule axe has for WCAG 2.0-2.2 A and AA, plus its best practices.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANGUAGES = ("en", "zh")
# `include`: CSS selectors of the regions to check (every element each one matches), or the page.
# Started without waiting (axe injected first if the page has none), so the pages of both
# languages are checked at the same time; `window.axeChecked` is collected afterwards.
START_AXE = """([source, tags, include]) => {
  window.axeChecked = new Promise((ready) => setTimeout(ready, 0)).then(async () => {
    if (typeof window.axe === "undefined") (0, eval)(source);
    const result = await axe.run(include ? { include: include.map((s) => [s]) } : document,
      { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ` +
      v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " -> " + n.failureSummary
                                        .replace(/\\s+/g, " ").slice(0, 200)).join(" | "));
  });
}"""


def _axe_source() -> str:
    path = AXE.folder / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"axe-core {AXE.version} is not installed: run `make assets` ({path})")
    return path.read_text()


class Checker:
    """Runs axe (and, on a whole page, the structural audit) on whatever a page shows, collecting
    violations with the page, language and state they were found in, so one run reports every
    problem at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[str] = []
        self.checked: list[str] = []

    def check(
        self, page: Page, language: str, state: str, include: list[str] | None = None
    ) -> None:
        self.check_each({language: page}, state, include)

    def check_each(
        self, pages: dict[str, Page], state: str, include: list[str] | None = None
    ) -> None:
        """Checks every language's page at once: axe starts in all, then each is collected."""
        for page in pages.values():
            for selector in include or ():  # a region that is not there would be checked as nothing
                expect(page.locator(selector).first).to_be_attached()
            page.evaluate(START_AXE, [self.source, RULES, include])
        for language, page in pages.items():
            self._collect(page, language, state, include)

    def _collect(self, page: Page, language: str, state: str, include: list[str] | None) -> None:
        where = f"{urlsplit(page.url).path} [{language}, {state}]"
        self.checked.append(where)
        for violation in page.evaluate("() => window.axeChecked"):
            self.found.append(f"{where}: {violation}")
        if include is None:
            audit = page.evaluate(AUDIT)
            self.found.extend(f"{where}: {problem}" for problem in audit["problems"])
            expected = "zh-CN" if language == "zh" else "en"
            if audit["lang"] != expected:
                self.found.append(f"{where}: <html lang={audit['lang']}>, not {expected}")


def _context(
    browser: Browser, base: str, language: str, *, cookies: Sequence[Any] = (), hold: bool = True
) -> Page:
    """A page in its own context, reading ``language``; Python held back unless ``hold`` is off."""
    # Injecting axe is an inline script: the site's Content-Security-Policy rightly refuses it.
    context = browser.new_context(service_workers="block", bypass_csp=True)
    context.add_cookies([*cookies, {"name": "lang", "value": language, "url": base}])
    context.route(f"{CDN}**", lambda route: route.abort())
    if hold:
        _hold_python(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _settle(page: Page) -> None:
    """Waits for what scripts draw: the animation, every exercise's editor."""
    if page.locator(".viz").count():
        page.wait_for_selector(".viz[data-viz-mounted='true']")
    if page.locator("section.exercise textarea[name=code]").count():
        # As a reader does: each exercise brought near the screen gets its editor (the ones
        # nobody came near wait for the learner's first act); then back to the top, where the
        # audit starts.
        page.evaluate(
            """async () => {
              const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
              for (const s of document.querySelectorAll('section.exercise')) {
                s.scrollIntoView({ block: 'center' });
                await frame();
                await frame();
              }
              window.scrollTo(0, 0);
            }"""
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('section.exercise')].every((s) =>"
            " !s.querySelector('textarea[name=code]') || s.querySelector('.CodeMirror'))"
        )


def _hold_python(context: BrowserContext) -> None:
    context.route(
        "**/pyodide.mjs",
        lambda route: route.fulfill(
            content_type="text/javascript",
            body="export function loadPyodide() { return new Promise(() => {}); }",
        ),
    )


def _sign_up(page: Page, base: str, email: str, name: str) -> None:
    page.goto(f"{base}/signup")
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile("/signup$"))


def _open(pages: dict[str, Page], url: str) -> None:
    """Opens ``url`` in every language's page at once and waits until each has settled."""
    with ExitStack() as loading:
        for page in pages.values():
            loading.enter_context(page.expect_navigation(wait_until="load"))
            page.evaluate("url => setTimeout(() => location.assign(url), 0)", url)
    for page in pages.values():
        _settle(page)


def _crawl(
    pages: dict[str, Page], base: str, seeds: list[str], seen: set[str], checker: Checker
) -> None:
    """Visits every page reachable from ``seeds`` by the site's own links, one per URL shape,
    in each language's page."""
    queue = list(seeds)
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        shape = NUMBER.sub("/N", path)
        if shape in seen:
            continue
        seen.add(shape)
        _open(pages, url)
        checker.check_each(pages, "as loaded")
        links: list[str] = []
        for page in pages.values():
            links += page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in dict.fromkeys(links):
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if target.startswith(base) and not NOT_A_PAGE.search(parts.path):
                queue.append(f"{base}{parts.path}")


@pytest.fixture(scope="module")
def people(browser: Browser, live_server: str) -> Iterator[dict[str, Any]]:
    """An instructor with a course and a student who joined it and submitted once."""
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    slug = f"axe-{stamp}"
    teacher = browser.new_context(service_workers="block")
    student = browser.new_context(service_workers="block")
    try:
        prof = teacher.new_page()
        prof.set_default_timeout(60_000)
        _sign_up(prof, live_server, f"axeprof{stamp}@example.org", "Prof Axe")
        prof.goto(f"{live_server}/courses/new")
        prof.fill("input[name=title]", "Accessible hypervisors")
        prof.fill("input[name=slug]", slug)
        prof.locator("main form button[type=submit]").last.click()
        prof.wait_for_url(re.compile(f"/courses/{slug}/settings$"))
        prof.locator(f'tr[data-exercise-id="{EXERCISE}"] input[type="checkbox"]').check()
        prof.locator("main form button[type=submit]").last.click()
        prof.goto(f"{live_server}/courses/{slug}")
        code = prof.locator(".join-code").inner_text().strip()
        learner = student.new_page()
        learner.set_default_timeout(60_000)
        _sign_up(learner, live_server, f"axestu{stamp}@example.org", "Stu Axe")
        learner.goto(f"{live_server}/courses")
        learner.fill("input[name=code]", code)
        learner.locator("form[action$='/join'] button").click()
        learner.wait_for_url(re.compile(f"/courses/{slug}$"))
        # Submitted once, so their submissions and the gradebook have a row to show.
        _hold_python(student)
        learner.goto(f"{live_server}{LESSON}")
        _settle(learner)
        section(learner).locator("button.submit").click()
        expect(result(learner).locator(".report")).to_be_visible(timeout=60_000)
        yield {"teacher": teacher, "student": student, "slug": slug}
    finally:
        teacher.close()
        student.close()


def _lesson_states(page: Page, language: str, checker: Checker) -> None:
    """The lesson (opened before, Python loading) after Play, with hints open, while and after
    Run (a case replayed) and after Submit; each checked in the region it changed."""
    exercise = f"#exercise-{EXERCISE}"
    _settle(page)
    viz = page.locator(".viz")
    viz.locator(".viz-speed").select_option("1")
    viz.locator("button.viz-play").click()
    viz.locator("button.viz-play").hover()  # now Pause, hovered: its colours while playing
    checker.check(page, language, "playing, Pause hovered", include=[".viz"])
    viz.locator("button.viz-play").click()
    for details in page.locator("details.hints").all():
        details.locator("summary").click()
    checker.check(page, language, "hints open", include=["section.exercise"])

    wait_for_python_ready(page)
    # A run that loops until stopped: the running state is there to check every time, not
    # only when a quick run happens to be caught in flight.
    set_code(page, "while True: pass\n")
    run_button(page).click()
    stop = section(page).locator("button.stop")
    stop.hover()
    checker.check(page, language, "running, Stop hovered", include=[exercise, "#python-status"])
    stop.click()
    expect(result(page).locator(".report")).to_have_attribute("data-verdict", "stopped")
    set_code(page, STARTER)
    run_button(page).click()
    report = result(page).locator(".report")
    expect(report).to_have_attribute("data-verdict", re.compile("passed|failed"))
    checker.check(page, language, "after Run", include=[exercise, "#python-status"])
    replay = report.locator("button.replay").first
    if replay.count():
        replay.hover()
        checker.check(page, language, "after Run, Replay hovered", include=[f"#result-{EXERCISE}"])
        replay.click()
        expect(viz.locator(".viz-verdict")).to_be_visible()
        checker.check(page, language, "a case replayed", include=[".viz"])

    result(page).evaluate("element => element.replaceChildren()")  # the Run's report goes
    section(page).locator("button.submit").click()
    expect(result(page).locator(".report")).to_have_attribute(
        "data-verdict", re.compile("passed|failed"), timeout=60_000
    )
    checker.check(page, language, "after Submit", include=[exercise])


def test_every_page_and_lesson_state_passes_axe(
    browser: Browser, live_server: str, people: dict[str, Any]
) -> None:
    checker = Checker(_axe_source())
    seen: set[str] = set()
    slug = people["slug"]
    student = people["student"].cookies()
    opened: list[Page] = []

    def pages(**options: Any) -> dict[str, Page]:
        made = {lang: _context(browser, live_server, lang, **options) for lang in LANGUAGES}
        opened.extend(made.values())
        return made

    try:
        # Python starts loading in these now, while the crawl runs.
        states = pages(cookies=student, hold=False)
        for page in states.values():
            page.goto(f"{live_server}{LESSON}")

        visitor = pages()
        _crawl(visitor, live_server, [f"{live_server}/", f"{live_server}/login"], seen, checker)
        for language, page in visitor.items():  # failed forms and error pages
            page.goto(f"{live_server}/login")
            page.fill("input[name=email]", "nobody@example.org")
            page.fill("input[name=password]", "wrong password")
            # A click waits for the answer to start loading, not for its stylesheet: checked
            # before that, the page's header links were unstyled text too small to tap.
            with page.expect_navigation(wait_until="load"):
                page.locator("main form button[type=submit]").click()
            checker.check(page, language, "wrong password")
            page.goto(f"{live_server}/signup")
            with page.expect_navigation(wait_until="load"):
                page.locator("main form button[type=submit]").click()
            checker.check(page, language, "empty form sent")
            for missing in ("/lessons/no-such-lesson", "/no/such/page", "/submissions/999999"):
                page.goto(f"{live_server}{missing}")
                checker.check(page, language, "error page")

        for who in ("student", "teacher"):
            # The axe script is injected inline, which the site's CSP refuses: the people's own
            # contexts (made before) cannot bypass it, so their pages are opened with its cookies.
            own = pages(cookies=people[who].cookies())
            if who == "student":
                for language, page in own.items():
                    page.goto(f"{live_server}/courses/{slug}/gradebook")  # not theirs: refused
                    checker.check(page, language, "refused")
            seeds = ["/", "/courses", "/me/submissions", "/account", "/my-progress"]
            if who == "teacher":
                seeds += [f"/courses/{slug}/{p}" for p in ("gradebook", "dashboard", "roster")]
            _crawl(own, live_server, [f"{live_server}{s}" for s in seeds], seen, checker)

        for language, page in states.items():
            _lesson_states(page, language, checker)
    finally:
        for page in opened:
            page.context.close()
    for language in LANGUAGES:
        assert any("/lessons/" in w and f"[{language}," in w for w in checker.checked)
        assert any("/gradebook" in w and f"[{language}," in w for w in checker.checked)
    assert checker.found == [], "\n".join(checker.found)


def test_axe_finds_what_it_is_asked_to_find(browser: Browser, live_server: str) -> None:
    """The check can fail: an unnamed button, an image without text and grey-on-grey text on the
    outline are each reported (and the structural audit still catches a missing lang); a check of
    regions reports what is wrong in any of them, and only there."""
    page = _context(browser, live_server, "en")
    try:
        page.goto(f"{live_server}/")
        page.evaluate(
            """() => {
            document.querySelector("main").append(document.createElement("button"));
            const img = document.createElement("img"); img.src = "/static/favicon.svg";
            document.querySelector("main").append(img);
            const faint = document.createElement("p"); faint.textContent = "faint";
            faint.style.color = "#bbb"; faint.style.background = "#ccc";
            document.querySelector("main").append(faint);
            document.documentElement.removeAttribute("lang");
        }"""
        )
        checker = Checker(_axe_source())
        checker.check(page, "en", "broken on purpose")
        found = "\n".join(checker.found)
        for rule in ("button-name", "image-alt", "color-contrast", "html-has-lang"):
            assert rule in found, found

        regions = Checker(_axe_source())
        regions.check(page, "en", "a region", include=["header", "main"])
        assert "button-name" in "\n".join(regions.found), regions.found
        elsewhere = Checker(_axe_source())
        elsewhere.check(page, "en", "another region", include=["header"])
        assert not any("button-name" in v or "image-alt" in v for v in elsewhere.found)
    finally:
        page.context.close()
