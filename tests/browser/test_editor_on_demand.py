"""An exercise's editor is made when the learner needs it (#15): CodeMirror's scripts are not in
the page, and until they arrive the exercise is a plain text box that already shows the saved
code and keeps whatever is typed into it."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from ._learner import (
    EXERCISE,
    LESSON,
    PYTHON_READY_MS,
    SOLUTION,
    block_cdn,
    expect_all_cases_pass,
    hold_python,
    run_button,
    section,
    stored_code,
)

LAST = "faster-io"  # the lesson's last exercise: far below the first screen
IN_EDITOR = "() => !!document.activeElement.closest('.CodeMirror')"


def test_text_typed_before_the_editor_exists_is_kept_and_saved(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    block_cdn(page)
    page.goto(live_server + LESSON)
    page.evaluate(
        "id => localStorage.setItem(`virttutor:code:${id}`, 'saved = 1\\n')",
        LAST,
    )
    held: list[Route] = []
    page.route("**/codemirror-*/**/*.min.js*", lambda route: held.append(route))
    page.reload()
    box = section(page, LAST).locator("textarea[name=code]")
    # CodeMirror is held back: the plain text box is what the learner has, with their code.
    expect(box).to_have_value("saved = 1\n")
    assert page.evaluate("() => typeof window.CodeMirror") == "undefined"
    box.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("mine = 2")
    assert section(page, LAST).locator(".CodeMirror").count() == 0
    for route in held:
        route.continue_()
    page.unroute("**/codemirror-*/**/*.min.js*")
    editor = section(page, LAST).locator(".CodeMirror")
    expect(editor).to_be_attached(timeout=30_000)
    assert editor.evaluate("cm => cm.CodeMirror.getValue()") == "saved = 1\nmine = 2"
    # The learner stays where they were typing, in the editor that replaced the box.
    assert page.evaluate(IN_EDITOR)
    page.keyboard.type("!")
    assert editor.evaluate("cm => cm.CodeMirror.getValue()") == "saved = 1\nmine = 2!"
    assert stored_code(page, LAST) == "saved = 1\nmine = 2!"


def test_a_far_exercise_gets_its_editor_when_scrolled_near(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    block_cdn(page)
    page.goto(live_server + LESSON)
    editor = section(page, LAST).locator(".CodeMirror")
    section(page, LAST).scroll_into_view_if_needed()
    # Scrolling is the learner's first act too: this one's editor comes first, at once.
    expect(editor).to_be_attached(timeout=2_500)
    expect(editor).to_be_visible()


def test_far_editors_wait_for_the_learners_first_act(page: Page, live_server: str) -> None:
    """No editor for an exercise nobody has come near while the page starts (they were a
    phone's longest start-up tasks); the learner's first key, scroll or touch brings them all,
    the far ones too."""
    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    block_cdn(page)
    page.goto(live_server + LESSON)
    far = section(page, LAST).locator(".CodeMirror")
    page.wait_for_timeout(4_000)  # longer than the start-up timer that used to make them
    assert far.count() == 0
    page.keyboard.press("Shift")  # a key that neither scrolls nor types
    expect(far).to_be_attached(timeout=30_000)
    exercises = page.locator("section.exercise")
    expect(exercises.locator(".CodeMirror")).to_have_count(exercises.count())
    assert page.evaluate("() => window.scrollY") == 0  # nothing moved the reader


CODEMIRROR = "**/codemirror-*/**/*.min.js*"
NO_EDITOR_NOTE = "The code editor could not load"


def test_without_the_editor_the_plain_box_runs_and_the_editor_comes_back_online(
    page: Page, live_server: str
) -> None:
    """The network goes during a first visit, after the page and Python but before CodeMirror's
    scripts (they load when an exercise nears the screen): the learner still runs their code,
    from the plain text box, told why there is no editor; back online, the editor comes, with
    what they typed. (Run used to stay disabled under "Python is ready", for good.)"""
    page.set_viewport_size({"width": 1280, "height": 720})
    block_cdn(page)
    page.route(CODEMIRROR, lambda route: route.abort())
    page.goto(live_server + LESSON)
    status = page.locator("#python-status")
    expect(status).to_have_attribute("data-state", "ready", timeout=PYTHON_READY_MS)
    exercise = section(page, EXERCISE)
    exercise.scroll_into_view_if_needed()
    expect(exercise.locator(".storage-note")).to_contain_text(NO_EDITOR_NOTE)
    expect(run_button(page, EXERCISE)).to_be_enabled()
    assert exercise.locator(".CodeMirror").count() == 0

    box = exercise.locator("textarea[name=code]")
    box.fill(SOLUTION)
    run_button(page, EXERCISE).click()
    expect_all_cases_pass(page, EXERCISE)
    assert stored_code(page, EXERCISE) == SOLUTION

    page.unroute(CODEMIRROR)
    page.context.set_offline(True)
    page.context.set_offline(False)  # the browser's "online": every plain box gets its editor
    editor = exercise.locator(".CodeMirror")
    expect(editor).to_be_attached(timeout=30_000)
    assert editor.evaluate("cm => cm.CodeMirror.getValue()") == SOLUTION
    expect(exercise.locator(".storage-note")).to_have_count(0)
    expect(section(page, LAST).locator(".CodeMirror")).to_be_attached()


def open_without_codemirror(page: Page, live_server: str) -> None:
    """The lesson with CodeMirror's scripts failing and the learner at its last exercise (the
    first act: every exercise is wired, each falls back to its plain box)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    block_cdn(page)
    page.route(CODEMIRROR, lambda route: route.abort())
    page.goto(live_server + LESSON)
    section(page, LAST).scroll_into_view_if_needed()
    # Every exercise has been asked for and is in its plain box: nothing still on its way could
    # bring CodeMirror in (and replace a box) before the test's own step does.
    notes = page.locator("section.exercise .storage-note")
    expect(notes).to_have_count(page.locator("section.exercise").count())
    for exercise in (LAST, EXERCISE):
        expect(section(page, exercise).locator(".storage-note")).to_contain_text(NO_EDITOR_NOTE)


def test_each_exercise_asks_for_the_missing_editor_once_until_the_learner_comes_back(
    page: Page, live_server: str
) -> None:
    """An exercise asks for CodeMirror when the learner reaches it; after the learner's first act
    the others ask too, but not one already in its plain box (a second ask used to replace a box
    with its editor just as the learner reached for it)."""
    asked: list[str] = []

    def refuse(route: Route) -> None:
        if "/lib/codemirror.min.js" in route.request.url:
            asked.append(route.request.url)
        route.abort()

    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    block_cdn(page)
    page.route(CODEMIRROR, refuse)
    page.goto(live_server + LESSON)
    # Reached without scrolling (a scroll would be the first act): this one asks, alone.
    section(page, EXERCISE).locator("textarea[name=code]").evaluate(
        "box => box.focus({preventScroll: true})"
    )
    exercises = page.locator("section.exercise")
    notes = exercises.locator(".storage-note")
    expect(section(page, EXERCISE).locator(".storage-note")).to_contain_text(NO_EDITOR_NOTE)
    assert len(asked) == 1
    page.keyboard.press("Shift")  # the first act: the rest are asked for
    expect(notes).to_have_count(exercises.count(), timeout=30_000)
    page.wait_for_timeout(1_000)
    assert len(asked) == exercises.count()


def test_focusing_a_plain_box_asks_for_the_editor_again(page: Page, live_server: str) -> None:
    open_without_codemirror(page, live_server)
    page.unroute(CODEMIRROR)
    box = section(page, EXERCISE).locator("textarea[name=code]")
    box.focus()
    page.keyboard.press("Control+End")
    editor = section(page, EXERCISE).locator(".CodeMirror")
    expect(editor).to_be_attached(timeout=30_000)
    # The learner stays where they were typing, in the editor that replaced the box; the other
    # plain boxes get theirs too, now that CodeMirror is here.
    assert page.evaluate(IN_EDITOR)
    expect(section(page, LAST).locator(".CodeMirror")).to_be_attached()
    expect(page.locator(".exercise .storage-note")).to_have_count(0)


def test_coming_back_to_a_plain_box_asks_for_the_editor_again(page: Page, live_server: str) -> None:
    """The exercise is no longer watched once it has been near the screen: a failure used to
    leave it plain however often the learner scrolled back to it."""
    open_without_codemirror(page, live_server)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    page.unroute(CODEMIRROR)
    section(page, LAST).scroll_into_view_if_needed()
    expect(section(page, LAST).locator(".CodeMirror")).to_be_attached(timeout=30_000)
