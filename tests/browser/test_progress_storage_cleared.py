"""The learner clears this site's data while a lesson is open (#14): the tab's connection to
the progress database is closed under it. Later answers are still kept (the connection is
opened again), and when the browser's storage refuses one anyway, the page says it was not
saved instead of dropping it without a word (it used to: every later write failed on the dead
connection, as an uncaught error nobody saw)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ._learner import LESSON, block_cdn, hold_python

# The stored answer of a concept check, read without creating the database when it is gone
# (an upgrade started here is aborted: the page's own first open must create its store).
STORED_CHECK = """key => new Promise((resolve) => {
  const request = indexedDB.open("virttutor", 1);
  request.onupgradeneeded = () => request.transaction.abort();
  request.onerror = () => resolve(null);
  request.onsuccess = () => {
    const db = request.result;
    const get = db.transaction("progress").objectStore("progress").get(key);
    get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
    get.onerror = () => { db.close(); resolve(null); };
  };
})"""


def answer(page: Page, index: int) -> None:
    fieldset = page.locator(".concept-check fieldset.check").nth(index)
    fieldset.locator(f"input[value='{fieldset.get_attribute('data-answer')}']").check()
    fieldset.locator("button.check-answer").click()


def stored(page: Page, key: str, timeout_ms: int = 10_000) -> object:
    """The record under ``key`` once the page has written it (polled: it is written after the
    click, in the background), or None."""
    for _ in range(timeout_ms // 100):
        found = page.evaluate(STORED_CHECK, key)
        if found is not None:
            return found
        page.wait_for_timeout(100)
    return None


def clear_site_data(page: Page, origin: str) -> None:
    """What the browser's "clear site data" does, from outside the page, with the tab open."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    cdp.detach()


def test_answers_after_the_sites_data_is_cleared_are_kept_or_said_lost(
    page: Page, live_server: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    hold_python(page)  # Python is not what this is about
    block_cdn(page)
    page.goto(live_server + LESSON)
    page.wait_for_function("window.virttutor && window.virttutor.progressShown")
    page.evaluate("window.virttutor.progressShown")
    lesson = page.locator("article.lesson").get_attribute("data-lesson-id")
    assert page.locator(".concept-check fieldset.check").count() >= 3

    answer(page, 0)
    assert stored(page, f"check:{lesson}:0") is not None

    clear_site_data(page, live_server)
    assert page.evaluate(STORED_CHECK, f"check:{lesson}:0") is None
    answer(page, 1)
    # Kept: the page opened the database again instead of failing on the closed connection.
    assert stored(page, f"check:{lesson}:1") is not None
    expect(page.locator(".progress-not-saved")).to_have_count(0)

    # Cleared again, and now the browser will not open the database at all.
    clear_site_data(page, live_server)
    page.evaluate(
        "() => { IDBFactory.prototype.open = () => { throw new DOMException('refused', "
        "'UnknownError'); }; }"
    )
    answer(page, 2)
    note = page.locator(".concept-check fieldset.check").nth(2).locator(".progress-not-saved")
    expect(note).to_contain_text("could not be saved")
    assert errors == []
