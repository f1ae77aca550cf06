"""A return visit restores Python from the memory snapshot the first visit saved (#14), and the
restored Python grades like a cold one: a solution passes, and a wrong answer gets the feedback
its driver reads from the explanations catalogue, which finds its topics by listing the bundle's
folder — files a memory snapshot does not hold and the worker must have put back.

Started by python-start.js from the page's <head>, the worker is the one the page then uses.
A snapshot that is damaged (here: Pyodide's build id in it overwritten, as a snapshot of another
Pyodide build would have) is not restored: Python starts cold, works, and saves a new one. Nor is
one of another bundle (after a deploy), though its restore starts before the lock file names the
bundle, nor one made with another file of the standard library (the Flask site sends its core
with the members stored, the static copy with them deflated: the same modules at other places
in the file, where the snapshot's memory would look for them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import BrowserContext, Page, expect
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tutor.web import create_app
from tutor.web.local_server import served

from ._learner import ROOT, block_cdn, result, run_button, set_code, wait_for_python_ready
from .conftest import close_every_response

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

LESSON = "/lessons/hypervisors"
EXERCISE = "io-path"
FOLDER = ROOT / "lessons/05-hypervisors/exercises" / EXERCISE
# A cold start on a machine shared by many test runs can take far longer than a restore.
COLD_MS = 240_000
# The snapshot folder of the one copy of the course these tests open, as `folder` (each copy on
# an origin keeps its snapshot in a folder of its own, inside the shared one).
THE_COPYS_FOLDER = """const root = await navigator.storage.getDirectory();
  const top = await root.getDirectoryHandle("virttutor-python-snapshot");
  const folders = [];
  for await (const handle of top.values()) if (handle.kind === "directory") folders.push(handle);
  if (folders.length !== 1) throw new Error(`${folders.length} copies' snapshot folders`);
  const folder = folders[0];"""
# Overwrites bytes 16-47 of the saved snapshot (where Pyodide keeps its build id) in the origin
# private file system, where python-worker.js keeps it; answers how many files it damaged.
DAMAGE_SNAPSHOT = """async () => {
  /* THE_COPYS_FOLDER */
  let damaged = 0;
  for await (const handle of folder.values()) {
    const writable = await handle.createWritable({ keepExistingData: true });
    await writable.write({ type: "write", position: 16, data: new Uint8Array(32) });
    await writable.close();
    damaged += 1;
  }
  return damaged;
}""".replace("/* THE_COPYS_FOLDER */", THE_COPYS_FOLDER)
SNAPSHOT_SAVED = "() => window.virttutor.python.snapshot"
# Gives the saved snapshot the name a snapshot of another bundle has (another sha256), as after a
# deploy of new simulation code: the worker restores before the lock names the bundle, so it must
# throw that one away. Answers the new names.
AS_ANOTHER_BUNDLE = """async () => {
  /* THE_COPYS_FOLDER */
  const handles = [];
  for await (const handle of folder.values()) handles.push(handle);
  const names = [];
  for (const handle of handles) {
    const other = handle.name.replace(/-[0-9a-f]{64}[.]bin$/, "-" + "0".repeat(64) + ".bin");
    const bytes = await (await handle.getFile()).arrayBuffer();
    const writable = await (await folder.getFileHandle(other, { create: true })).createWritable();
    await writable.write(bytes);
    await writable.close();
    await folder.removeEntry(handle.name);
    names.push(other);
  }
  return names;
}""".replace("/* THE_COPYS_FOLDER */", THE_COPYS_FOLDER)
SNAPSHOT_NAMES = """async () => {
  /* THE_COPYS_FOLDER */
  const names = [];
  for await (const name of folder.keys()) names.push(name);
  return names;
}""".replace("/* THE_COPYS_FOLDER */", THE_COPYS_FOLDER)


def open_lesson(context: BrowserContext, base: str) -> Page:
    page = context.new_page()
    block_cdn(page)
    page.goto(base + LESSON)
    expect(page.locator("#python-status")).to_have_attribute(
        "data-state", re.compile("^(ready|error)$"), timeout=COLD_MS
    )
    wait_for_python_ready(page)
    return page


def test_return_visit_restores_python_and_grades_like_a_cold_one(
    context: BrowserContext, live_server: str
) -> None:
    first = open_lesson(context, live_server)
    assert first.evaluate("window.virttutor.python.warm") is False
    # The worker says once the snapshot is in the browser's cache (a page closed before that
    # would end the worker mid-write).
    first.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
    assert first.evaluate("window.virttutor.python.snapshot") == {"saved": True, "message": None}
    first.close()

    again = open_lesson(context, live_server)
    python = again.evaluate(
        "({warm: window.virttutor.python.warm, restarts: window.virttutor.python.restarts})"
    )
    assert python == {"warm": True, "restarts": 0}
    expect(again.locator("#python-status")).to_contain_text("Python is ready")

    wrong = (FOLDER / "wrong/no_trap.py").read_text()
    expected = wrong.splitlines()[0].removeprefix("# expect:").strip()
    set_code(again, wrong, EXERCISE)
    run_button(again, EXERCISE).click()
    report = result(again, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=20_000)
    expect(report).to_contain_text(expected)

    set_code(again, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(again, EXERCISE).click()
    expect(report).to_have_attribute("data-verdict", "passed", timeout=20_000)
    expect(report.locator("li.case.fail")).to_have_count(0)

    # A damaged snapshot: Python starts cold instead, is ready, and keeps a sound one again.
    assert again.evaluate(DAMAGE_SNAPSHOT) == 1
    again.close()
    damaged = open_lesson(context, live_server)
    assert damaged.evaluate("window.virttutor.python.warm") is False
    expect(damaged.locator("#python-status")).to_contain_text("Python is ready")
    damaged.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
    assert damaged.evaluate("window.virttutor.python.snapshot") == {"saved": True, "message": None}

    # A snapshot of another bundle: thrown away, Python starts cold and saves this bundle's.
    [stale] = damaged.evaluate(AS_ANOTHER_BUNDLE)
    damaged.close()
    after_deploy = open_lesson(context, live_server)
    assert after_deploy.evaluate("window.virttutor.python.warm") is False
    expect(after_deploy.locator("#python-status")).to_contain_text("Python is ready")
    after_deploy.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
    names = after_deploy.evaluate(SNAPSHOT_NAMES)
    assert len(names) == 1 and names[0] != stale


def test_a_snapshot_made_with_another_standard_library_is_not_restored(
    context: BrowserContext, tmp_path: Path
) -> None:
    app = create_app(
        {
            "SECRET_KEY": "stdlib-snapshot",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'stdlib.db'}",
            "QUEUE_URL": "immediate",
        }
    )
    solution = (FOLDER / "solution.py").read_text()

    def passes(page: Page) -> None:
        set_code(page, solution, EXERCISE)
        run_button(page, EXERCISE).click()
        report = result(page, EXERCISE).locator(".report")
        expect(report).to_have_attribute("data-verdict", "passed", timeout=20_000)

    with served(close_every_response(app), quiet=True) as base:
        stored = open_lesson(context, base)  # the Flask site's stored copy
        stored.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
        stored.close()

        app.config["STORED_STDLIB"] = False  # now its members deflated, as in a static copy
        deflated = open_lesson(context, base)
        assert deflated.evaluate("window.virttutor.python.warm") is False
        passes(deflated)
        deflated.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
        assert deflated.evaluate(SNAPSHOT_SAVED) == {"saved": True, "message": None}
        deflated.close()

        again = open_lesson(context, base)  # the same file: the snapshot made with it is used
        assert again.evaluate("window.virttutor.python.warm") is True
        passes(again)


# Every file under the snapshot folder of the origin private file system, at any depth, as
# "folder/…/name" (none when the folder is not there).
SNAPSHOT_FILES = """async () => {
  const root = await navigator.storage.getDirectory();
  let top;
  try {
    top = await root.getDirectoryHandle("virttutor-python-snapshot");
  } catch {
    return [];
  }
  const found = [];
  const walk = async (folder, path) => {
    for await (const handle of folder.values()) {
      if (handle.kind === "file") found.push(path + handle.name);
      else await walk(handle, path + handle.name + "/");
    }
  };
  await walk(top, "");
  return found;
}"""


def test_a_snapshot_the_storage_quota_cuts_short_is_not_kept(
    context: BrowserContext, live_server: str
) -> None:
    """A browser with little room for this site: the snapshot does not fit, so the worker says
    it was not saved and leaves no part of it behind (a file cut short was reported as saved,
    and every later visit started cold and wrote it again)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    # Room for the page's own progress and code, far too little for Python's memory.
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live_server, "quotaSize": 4_000_000})
    block_cdn(page)
    page.goto(live_server + LESSON)
    wait_for_python_ready(page, EXERCISE)
    assert page.evaluate("window.virttutor.python.warm") is False
    page.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
    told = page.evaluate(SNAPSHOT_SAVED)
    assert told["saved"] is False, told
    assert page.evaluate(SNAPSHOT_FILES) == []
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live_server})


def test_two_copies_on_one_origin_keep_their_own_snapshots(
    context: BrowserContext, tmp_path: Path
) -> None:
    """Two copies of the course at two paths of one origin (last year's and this year's on a
    school's GitHub Pages site; the Flask site and a static copy on one host), with snapshots
    that cannot stand in for each other (here: the standard library sent stored, and deflated
    as a static copy sends it). Each keeps its own: a learner going back and forth restores
    Python in both, where each copy's save used to delete the other's, so neither ever did."""

    def copy(name: str, **config: object) -> WSGIApplication:
        app = create_app(
            {
                "SECRET_KEY": f"copy-{name}",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}.db",
                "QUEUE_URL": "immediate",
                **config,
            }
        )
        return close_every_response(app)

    both = DispatcherMiddleware(NotFound(), {"/a": copy("a"), "/b": copy("b", STORED_STDLIB=False)})
    with served(both, quiet=True) as base:
        for path in ("/a", "/b"):
            first = open_lesson(context, base + path)
            assert first.evaluate("window.virttutor.python.warm") is False
            first.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
            assert first.evaluate(SNAPSHOT_SAVED) == {"saved": True, "message": None}
            first.close()
        for path in ("/a", "/b"):
            again = open_lesson(context, base + path)
            assert again.evaluate("window.virttutor.python.warm") is True, path
            files = again.evaluate(SNAPSHOT_FILES)
            again.close()
        assert len(files) == 2 and len({name.split("/")[0] for name in files}) == 2, files
