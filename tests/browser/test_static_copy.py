"""The static copy (#14): exported with `flask tutor export-static`, served by a plain static web
server from a sub-path, graded in the browser, and still working once the network is gone."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tutor.web import create_app

from ..servers import free_port
from ._learner import PYTHON_READY_MS

ROOT = Path(__file__).resolve().parents[2]
SUB_PATH = "course/virt"


def solution(lesson_folder: str, exercise: str) -> str:
    return (ROOT / "lessons" / lesson_folder / "exercises" / exercise / "solution.py").read_text()


@contextmanager
def static_server(root: Path) -> Iterator[tuple[str, subprocess.Popen]]:  # type: ignore[type-arg]
    """``root`` served by ``python -m http.server`` (a static host: no compression, no headers
    of ours): its address once it answers, and its process (stopped to take the network away)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def host_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web host's root folder with the copy exported into <host root>/course/virt/."""
    root = tmp_path_factory.mktemp("static-host")
    runner = create_app({"SECRET_KEY": "export-test"}).test_cli_runner()
    result = runner.invoke(args=["tutor", "export-static", str(root / SUB_PATH)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def static_host(host_root: Path) -> Iterator[tuple[str, subprocess.Popen]]:  # type: ignore[type-arg]
    """The copy served by `python -m http.server`."""
    with static_server(host_root) as (root_url, server):
        yield f"{root_url}{SUB_PATH}/", server


def run_and_pass(page: Page, exercise: str, code: str) -> None:
    # Scrolled to first, as a learner does: the editor is made near the screen (#15).
    page.locator(f"#exercise-{exercise}").scroll_into_view_if_needed()
    expect(page.locator(f"#exercise-{exercise} .CodeMirror")).to_be_attached(timeout=30_000)
    page.evaluate(
        "([id, code]) => document.querySelector(`#exercise-${id} .CodeMirror`).CodeMirror"
        ".setValue(code)",
        [exercise, code],
    )
    page.locator(f"#exercise-{exercise} button.run").click()
    report = page.locator(f"#result-{exercise} .report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=10_000)
    expect(report).to_contain_text("Checked in your browser")


def wait_for_python(page: Page) -> None:
    status = page.locator("#python-status")
    expect(status).to_have_attribute("data-state", "ready", timeout=PYTHON_READY_MS * 2)


def test_static_copy_runs_from_a_sub_path_and_then_offline(
    browser: Browser,
    static_host: tuple[str, subprocess.Popen],  # type: ignore[type-arg]
) -> None:
    base, server = static_host
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base)
        # The copy's root is the outline; its lesson links stay under the sub-path.
        page.locator("ol.outline a[href*=hypervisors]").click()
        expect(page).to_have_url(f"{base}en/lessons/hypervisors/")
        expect(page.locator("button.submit")).to_have_count(0)
        wait_for_python(page)
        # argparse is in the standard library's rest, which Python fetches on this first import
        # from beside its core, under the sub-path.
        run_and_pass(
            page, "vcpu-run-loop", "import argparse\n" + solution("05-hypervisors", "vcpu-run-loop")
        )

        # Once the service worker has cached the course, the network can go.
        page.wait_for_function(
            "async () => { const r = await navigator.serviceWorker.ready;"
            " return r.active && navigator.serviceWorker.controller !== null; }",
            timeout=60_000,
        )
        server.terminate()
        server.wait(timeout=10)
        context.set_offline(True)
        page.reload()
        page.locator("a[rel=next]").click()
        expect(page).to_have_url(f"{base}en/lessons/why-virtual-machines/")
        # Its animation's scenes come from the lesson's data file, cached with the pages.
        expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true", timeout=30_000)
        wait_for_python(page)
        run_and_pass(  # the rest of the standard library from the cache too
            page,
            "emulate-or-virtualize",
            "import csv\n" + solution("06-why-virtual-machines", "emulate-or-virtualize"),
        )
        # The other language was cached too; the switch keeps the learner's place and Run
        # result, re-rendered in Chinese (the copy's /en/ and /zh/ pages are different paths).
        page.locator("#result-emulate-or-virtualize").scroll_into_view_if_needed()
        page.locator(".lang-switch a[lang=zh-CN]").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(page).to_have_url(f"{base}zh/lessons/why-virtual-machines/")
        report = page.locator("#result-emulate-or-virtualize .report")
        expect(report).to_have_attribute("data-verdict", "passed", timeout=30_000)
        expect(report).to_contain_text("全部通过")
        expect(page.locator("#exercise-emulate-or-virtualize")).to_be_in_viewport()
    finally:
        context.close()


@pytest.mark.parametrize(("language", "words"), [("en", "file://"), ("zh", "无法启动 Python")])
def test_a_copy_opened_from_disk_says_it_needs_a_web_server(
    browser: Browser, host_root: Path, language: str, words: str
) -> None:
    """Double-clicking a lesson of the copy opens it from file://, where browsers refuse module
    scripts and workers: the page says what to do instead of "Loading Python…" forever."""
    lesson = host_root / SUB_PATH / language / "lessons" / "hypervisors" / "index.html"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(lesson.as_uri())
        status = page.locator("#python-status")
        expect(status).to_have_attribute("data-state", "error", timeout=10_000)
        expect(status).to_contain_text(words)
        expect(status).to_contain_text("python -m http.server")
        expect(status.locator("progress")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize(("page", "words"), [("index.html", "file://"), ("zh/index.html", "磁盘")])
def test_the_copys_outline_opened_from_disk_says_it_needs_a_web_server(
    browser: Browser, host_root: Path, page: str, words: str
) -> None:
    """A double click opens the copy's index.html: its folder links would open directory
    listings and no script module runs. The page says what to do, at its top."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto((host_root / SUB_PATH / page).as_uri())
        note = tab.locator("main .file-note")
        expect(note).to_contain_text(words)
        expect(note).to_contain_text("python -m http.server")
    finally:
        context.close()
