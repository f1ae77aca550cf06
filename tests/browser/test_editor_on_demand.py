"""An exercise's editor is made when the learner needs it (#15): CodeMirror's scripts are not in
the page, and until they arrive the exercise is a plain text box that already shows the saved
code and keeps whatever is typed into it."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from ._learner import LESSON, block_cdn, hold_python, section, stored_code

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
