"""The editor and the page around it, without waiting for Python: keyboard access, autosave and
reset, private mode, concept checks, Submit errors and the d3 fallback."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, Route, expect

from ._learner import (
    EXERCISE,
    LESSON,
    STARTER,
    block_cdn,
    editor_code,
    focus_editor,
    hold_python,
    open_lesson,
    reach_editor,
    result,
    section,
    set_code,
    stored_code,
    watch_console,
)

IN_EDITOR = "() => !!document.activeElement.closest('.CodeMirror')"


def test_tab_indents_and_escape_then_tab_leaves_the_editor(page: Page, live_server: str) -> None:
    console = watch_console(page)
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    editor = reach_editor(page)
    expect(section(page).locator(".editor-help")).to_contain_text("Esc")
    # The contenteditable input is named by the existing <label> and described by the help line.
    field = editor.get_by_role("textbox", name="Your code")
    expect(field).to_have_attribute("aria-describedby", re.compile("editor-help-"))

    set_code(page, "x = 1")
    focus_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(IN_EDITOR), "Tab alone must indent, not leave"
    page.keyboard.type("y")
    assert editor_code(page) == "x = 1\n    y"
    page.keyboard.press("Shift+Tab")
    assert editor_code(page) == "x = 1\ny"

    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not page.evaluate(IN_EDITOR)
    focused = page.evaluate("document.activeElement.className")
    assert focused in {"run", "submit"}  # Run is skipped while it is still disabled
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus must be visible"
    # WCAG 1.4.11: the ring against every background it is drawn on (the amber was 1.9:1).
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    for background in ("#ffffff", "#fbfbf8", "#f3f4f6", "#fcecea", "#e8f5ec", "#eaf1fb"):
        assert contrast(ring, background) >= 3, (ring, background)
    assert editor_code(page) == "x = 1\ny", "leaving must not type a tab"

    page.keyboard.press("Shift+Tab")
    if not page.evaluate(IN_EDITOR):  # from Submit, Shift+Tab first lands on an enabled Run
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(IN_EDITOR)
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate(IN_EDITOR)
    assert console.errors == []


def test_autosave_and_reset_keep_the_learners_code(page: Page, live_server: str) -> None:
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    assert editor_code(page) == STARTER
    mine = "def run_vm(vcpu, devices):\n    return 42\n"
    set_code(page, mine)
    assert stored_code(page) == mine
    reset = section(page).locator("button.reset")

    page.once("dialog", lambda dialog: dialog.dismiss())
    reset.click()
    assert editor_code(page) == mine

    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    assert editor_code(page) == STARTER
    assert stored_code(page) == STARTER
    assert stored_code(page, suffix=":previous") == mine
    # The editor's own history brings the replaced code back.
    focus_editor(page)
    page.keyboard.press("Control+z")
    assert editor_code(page) == mine

    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    result(page).get_by_role("button", name="Undo reset").click()
    assert editor_code(page) == mine
    page.reload()
    expect(section(page).locator(".CodeMirror")).to_be_visible()
    assert editor_code(page) == mine


def test_without_local_storage_the_editor_still_works(page: Page, live_server: str) -> None:
    console = watch_console(page)
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('denied', 'SecurityError'); }});"
    )
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    reach_editor(page)  # the note comes with the editor, when the learner gets there
    expect(section(page).locator(".storage-note")).to_contain_text("will not be kept")
    set_code(page, "print('hi')\n")
    focus_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.type("# ok")
    assert editor_code(page) == "print('hi')\n# ok"
    assert console.errors == []


def test_concept_check_answers_only_on_check(page: Page, live_server: str) -> None:
    """Arrow keys move through a radio group by selecting each option: that must not answer."""
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    check = page.locator(".concept-check fieldset.check").first
    answer = check.get_attribute("data-answer")
    explain = check.locator(".check-feedback").get_attribute("data-explain") or ""
    feedback = check.locator(".check-feedback")
    button = check.get_by_role("button", name="Check")
    radios = check.locator("input[type=radio]")
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    wrong = next(i for i, value in enumerate(values) if value != answer)

    button.click()
    expect(feedback).to_contain_text("Choose an answer first")

    radios.first.focus()
    page.keyboard.press("Space")
    for _ in range(2 * len(values)):  # round the group twice: every option gets selected
        page.keyboard.press("ArrowDown")
        expect(feedback).to_be_hidden()
        expect(check).not_to_have_class(re.compile(r"answered-"))

    radios.nth(wrong).check()
    button.focus()
    page.keyboard.press("Enter")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_class(re.compile(r"\bwrong\b"))
    expect(feedback).to_contain_text("Not quite")
    expect(feedback).to_contain_text(explain)

    check.locator(f"input[value='{answer}']").check()
    expect(feedback).to_be_hidden()  # the verdict was about the other option
    button.click()
    expect(feedback).to_have_class(re.compile(r"\bright\b"))
    expect(feedback).to_contain_text("Right")
    expect(feedback).to_contain_text(explain)


def test_submit_errors_are_explained_and_code_is_kept(page: Page, live_server: str) -> None:
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    mine = "def run_vm(vcpu, devices):\n    pass  # mine\n"
    set_code(page, mine)
    submit = section(page).locator("button.submit")

    def busy(route: Route) -> None:
        route.fulfill(status=503, headers={"Retry-After": "30"}, body="busy")

    page.route("**/exercises/*/submit", busy)
    submit.click()
    expect(result(page)).to_contain_text("The server is busy; try Submit again in 30 s.")
    page.unroute("**/exercises/*/submit")

    # The server's own refusal says why (here: the learner's last submission is still being
    # graded), not the page's generic "busy".
    still_grading = (
        '<div class="report verdict-busy" data-verdict="busy" role="alert">'
        '<p class="verdict">The grader is busy.</p><p class="message">your previous submission '
        "is still being graded: wait for its verdict</p></div>"
    )
    page.route(
        "**/exercises/*/submit",
        lambda route: route.fulfill(
            status=429, headers={"Retry-After": "3"}, body=still_grading, content_type="text/html"
        ),
    )
    submit.click()
    expect(result(page)).to_contain_text("is still being graded")
    expect(result(page)).not_to_contain_text("The server is busy")
    page.unroute("**/exercises/*/submit")

    page.route("**/exercises/*/submit", lambda route: route.fulfill(status=413, body="big"))
    submit.click()
    expect(result(page)).to_contain_text("too large to submit")
    page.unroute("**/exercises/*/submit")

    page.route("**/exercises/*/submit", lambda route: route.abort())
    submit.click()
    expect(result(page)).to_contain_text("could not be reached")
    assert editor_code(page) == mine
    assert stored_code(page) == mine


def test_d3_falls_back_to_the_local_copy(page: Page, live_server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)  # the CDN request is aborted
    assert page.locator("script#d3-cdn").count() == 1, "the page must try the CDN first"
    assert page.evaluate(
        "window.d3Ready.then(d3 => [typeof d3.select, typeof d3.select('body').transition])"
    ) == ["function", "function"]
    assert any(url.startswith("https://cdn.jsdelivr.net/npm/d3-") for url in requested)
    local = [url.split("?")[0] for url in requested if "/static/vendor/d3-" in url]
    assert any(url.endswith("/d3-selection.min.js") for url in local), requested
    assert any(url.endswith("/d3-transition.min.js") for url in local), requested


def test_two_tabs_of_one_exercise_never_write_over_each_others_code(
    context: BrowserContext, live_server: str
) -> None:
    """Tab B, opened earlier, held older code: one keystroke there saved it over what the
    learner had written in tab A since, and A's work was gone after a reload."""
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        hold_python(tab)
        block_cdn(tab)
        tab.goto(f"{live_server}{LESSON}")
        reach_editor(tab, EXERCISE)
    written = "def run_vm(vcpu, devices):\n    return 'written in tab A'\n"
    set_code(first, written, EXERCISE)
    assert stored_code(first, EXERCISE) == written
    # Tab B shows A's code (and says why) before the learner types there.
    expect(second.locator(f"#exercise-{EXERCISE} .other-tab-note")).to_be_visible()
    assert editor_code(second, EXERCISE) == written
    set_code(second, editor_code(second, EXERCISE) + "# and more in tab B", EXERCISE)
    assert stored_code(second, EXERCISE) == written + "# and more in tab B"
    first.reload()
    assert editor_code(first, EXERCISE).startswith(written)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` or ``rgb(r, g, b)``."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(x)) for x in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
