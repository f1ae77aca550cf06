"""`flask tutor export-static` (#14): every page in both languages, links that work wherever the
copy is served from, nothing that needs the server, and a folder of the user's never emptied."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tutor.assets import pinned
from tutor.stdlib_core import REST_INDEX
from tutor.web import create_app

from .service_worker import precache_manifest

ATTRIBUTES = {"href", "src", "action", "data-pyodide-index", "data-local", "data-service-worker"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                # data-local lists the d3 modules' local copies, space-separated, in load order.
                self.urls += value.split() if name == "data-local" else [value]


def export(dest: Path) -> tuple[int, str]:
    runner = create_app({"SECRET_KEY": "export-test"}).test_cli_runner()
    result = runner.invoke(args=["tutor", "export-static", str(dest)])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("copy") / "site"
    code, output = export(dest)
    assert code == 0, output
    assert "note:" not in output  # set-up made the split library and the minified scripts
    return dest


@pytest.fixture(scope="module")
def lesson_ids() -> list[str]:
    app = create_app({"SECRET_KEY": "export-test"})
    return [lesson.id for lesson in app.extensions["catalog"].lessons]


def pages(copy: Path) -> list[Path]:
    return sorted(copy.rglob("index.html"))


def test_every_lesson_in_both_languages(copy: Path, lesson_ids: list[str]) -> None:
    for lang, marker in (("en", 'lang="en"'), ("zh", 'lang="zh-CN"')):
        for lesson in lesson_ids:
            page = (copy / lang / "lessons" / lesson / "index.html").read_text()
            assert marker in page and f'data-lesson-id="{lesson}"' in page
        assert (copy / lang / "glossary/index.html").is_file()
        assert (copy / lang / "my-progress/index.html").is_file()
    assert 'class="outline"' in (copy / "index.html").read_text()


def test_every_link_resolves_inside_the_copy_from_any_sub_path(copy: Path) -> None:
    """Relative links only: served at https://host/any/path/ they land on the copy's files."""
    base = "https://host/course/virt/"
    for page in pages(copy):
        parser = Links()
        parser.feed(page.read_text())
        page_url = urljoin(base, page.relative_to(copy).as_posix())
        for url in parser.urls:
            if url.startswith("#"):
                continue
            assert not url.startswith("/") and "//" not in url, f"{page}: {url}"
            target = urlsplit(urljoin(page_url, url)).path
            assert target.startswith("/course/virt/"), f"{page}: {url} leaves the copy"
            local = copy / target.removeprefix("/course/virt/")
            found = [local, local / "index.html", local / "pyodide.mjs"]  # a page, Pyodide's folder
            assert any(path.is_file() for path in found), f"{page}: {url} is missing"


def test_nothing_needs_the_server(copy: Path) -> None:
    for page in pages(copy):
        html = page.read_text()
        assert 'class="submit"' not in html and "hx-post" not in html, page
        assert "Grading on the server" not in html and "在服务器上评测" not in html, page
        assert "account-nav" not in html and ">Sign in<" not in html, page
        assert 'data-self-study="only"' in html, page


def test_service_worker_caches_files_that_exist(copy: Path, lesson_ids: list[str]) -> None:
    manifest = precache_manifest((copy / "sw.js").read_text())
    paths = [path for path, _ in manifest["precache"]]
    for lang in ("en", "zh"):
        for lesson in lesson_ids:
            assert f"{lang}/lessons/{lesson}/" in paths
    assert any(p.endswith("pyodide.asm.wasm") for p in paths)
    assert any(re.search(r"virttutor_core-.*\.whl$", p) for p in paths)
    for path in paths:
        local = copy / path
        assert local.is_file() or (local / "index.html").is_file(), path
    marker = json.loads((copy / "virttutor-static.json").read_text())
    assert marker["version"] == manifest["version"]


def test_the_copy_keeps_pythons_standard_library_deflated_and_split(copy: Path) -> None:
    """A static host may compress nothing: the copy holds the standard library's core and rest
    with their members deflated (1.4 MB before Python starts, where Pyodide's whole file is
    2.4 MB), not the stored ones the Flask site sends compressed (5.5 MB as they are), and every
    file the service worker checks has the sha256 it lists for it."""
    pyodides = pinned()["pyodide"].folder / "python_stdlib.zip"
    names: list[str] = []
    for name in ("python_stdlib.zip", "python_stdlib_rest.zip"):
        [part] = copy.rglob(name)
        with zipfile.ZipFile(part) as archive:
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
            names += archive.namelist()
        if name == "python_stdlib.zip":
            assert part.stat().st_size < 0.7 * pyodides.stat().st_size
    with zipfile.ZipFile(pyodides) as whole:
        assert sorted(names) == sorted([*whole.namelist(), REST_INDEX])
    manifest = precache_manifest((copy / "sw.js").read_text())
    checked = [(path, sha) for path, sha in manifest["precache"] if sha]
    for name in ("python_stdlib.zip", "python_stdlib_rest.zip"):
        assert any(path.split("?")[0].endswith(name) for path, _ in checked), name
    for path, sha in checked:
        assert hashlib.sha256((copy / path).read_bytes()).hexdigest() == sha, path


def test_a_folder_of_other_files_is_refused_and_kept(tmp_path: Path) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    code, output = export(tmp_path)
    assert code != 0 and "not empty" in output
    assert keep.read_text() == "mine"


def test_exporting_again_keeps_the_users_files_and_a_failed_export_keeps_the_old_copy(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-exporting deleted the whole folder first (a gh-pages branch's ``.git``, ``CNAME``,
    the operator's notes), and a full disk then left half a copy where the old one was."""
    site = tmp_path / "site"
    shutil.copytree(copy, site)
    mine = {
        ".git/HEAD": "ref: refs/heads/gh-pages\n",
        "CNAME": "virt.example.edu\n",
        "notes.txt": "mine",
    }
    for name, text in mine.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    gone = site / "lessons" / "a-lesson-since-removed" / "index.html"  # the earlier copy's own
    gone.parent.mkdir(parents=True)
    gone.write_text("old")
    marker = json.loads((site / "virttutor-static.json").read_text())
    marker["files"].append("lessons/a-lesson-since-removed/index.html")
    (site / "virttutor-static.json").write_text(json.dumps(marker))
    code, output = export(site)
    assert code == 0, output
    assert {name: (site / name).read_text() for name in mine} == mine
    assert not gone.parent.exists()
    # The same lessons make the same pages: each carried a new CSRF token (for a server the copy
    # does not have), so a gh-pages history showed all 50 pages changed on every publish.
    changed = [
        str(page.relative_to(copy))
        for page in pages(copy)
        if (site / page.relative_to(copy)).read_bytes() != page.read_bytes()
    ]
    assert changed == []
    assert (site / "index.html").is_file() and not (tmp_path / ".site.exporting").exists()
    # An export that fails half-way (a full disk) changes nothing of the copy there.
    before = (site / "index.html").read_bytes()
    from flask_frozen import Freezer

    def disk_full(self: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Freezer, "freeze", disk_full)
    code, output = export(site)
    assert code != 0 and "no static copy written" in output
    assert (site / "index.html").read_bytes() == before and (site / "CNAME").is_file()
    assert not (tmp_path / ".site.exporting").exists()


def test_an_export_says_what_set_up_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without set-up's split standard library and minified scripts the copy sent 2.4 MB
    before Python started, and readable scripts, under the same one line as a full copy."""
    from tutor.web import static_delivery

    monkeypatch.setattr(static_delivery, "STORED_STDLIB", tmp_path / "nothing")
    monkeypatch.setenv("TUTOR_MINIFIED_JS_DIR", str(tmp_path / "nothing"))
    code, output = export(tmp_path / "site")
    assert code == 0, output
    assert "standard library is not split" in output and "no minified copy" in output
    assert "python -m tutor.assets" in output
