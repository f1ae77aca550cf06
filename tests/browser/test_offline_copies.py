"""Two static copies of the course at two paths of one origin (#14): a school's GitHub Pages site
gives all its projects one origin, so last year's copy and this year's sit side by side. Each
copy's service worker keeps its own offline course: visiting one never deletes the other's, so
both still open with the network gone. Caches of before caches were named by copy are deleted
by the copy whose pages they hold, and only by it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tutor.web import create_app

from .test_static_copy import static_server, wait_for_python

COPIES = ("courses/a", "courses/b")
LESSON = "en/lessons/hypervisors/"
# A cache of the kind every copy used to share, holding one page of `path`: made by the page.
OLD_CACHE = """async ([name, url]) => {
  const cache = await caches.open(name);
  await cache.put(url, new Response("an old copy of this page"));
}"""
# This page's copy controls it once its worker has filled its cache and activated.
CONTROLLED_BY = """path => navigator.serviceWorker.controller !== null
  && new URL(navigator.serviceWorker.controller.scriptURL).pathname.startsWith(path)"""


@pytest.fixture(scope="module")
def host_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export at /courses/a/, and the same at /courses/b/ as another year's copy: its
    worker names another version."""
    root = tmp_path_factory.mktemp("two-copies")
    runner = create_app({"SECRET_KEY": "export-test"}).test_cli_runner()
    result = runner.invoke(args=["tutor", "export-static", str(root / COPIES[0])])
    assert result.exit_code == 0, result.output
    shutil.copytree(root / COPIES[0], root / COPIES[1])
    worker = root / COPIES[1] / "sw.js"
    text, count = re.subn(
        r'"version": "\w+"', '"version": "another-year"', worker.read_text(), count=1
    )
    assert count == 1
    worker.write_text(text)
    return root


@pytest.fixture
def host(host_root: Path) -> Iterator[tuple[str, subprocess.Popen]]:  # type: ignore[type-arg]
    with static_server(host_root) as served:
        yield served


def visit_until_offline_ready(page: Page, base: str, copy: str) -> None:
    page.goto(f"{base}{copy}/{LESSON}")
    wait_for_python(page)  # the worker is registered once Python is ready
    page.wait_for_function(CONTROLLED_BY, arg=f"/{copy}/", timeout=120_000)
    expect(page.locator(".offline-status")).to_have_attribute("data-state", "offlineReady")


def test_two_copies_on_one_origin_both_stay_offline(
    browser: Browser,
    host: tuple[str, subprocess.Popen],  # type: ignore[type-arg]
) -> None:
    base, server = host
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}{COPIES[0]}/")
        # Left by the earlier kind of worker: one cache held copy a's pages, one another copy's.
        page.evaluate(OLD_CACHE, ["virttutor-offline-0000", f"{base}{COPIES[0]}/{LESSON}"])
        page.evaluate(OLD_CACHE, ["virttutor-offline-1111", f"{base}courses/c/{LESSON}"])

        visit_until_offline_ready(page, base, COPIES[0])
        visit_until_offline_ready(page, base, COPIES[1])
        names = page.evaluate("caches.keys()")
        for copy in COPIES:
            assert any(name.startswith(f"virttutor-offline {base}{copy}/ ") for name in names), (
                copy,
                names,
            )
        assert "virttutor-offline-0000" not in names  # copy a's, moved to its own caches
        assert "virttutor-offline-1111" in names  # another copy's, which is not a's to delete

        server.terminate()
        server.wait(timeout=10)
        context.set_offline(True)
        for copy in COPIES:
            page.goto(f"{base}{copy}/{LESSON}")
            expect(page.locator("article.lesson")).to_be_attached()
            page.locator("a[rel=next]").click()
            expect(page).to_have_url(f"{base}{copy}/en/lessons/why-virtual-machines/")
    finally:
        context.close()
