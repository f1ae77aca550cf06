"""/sw.js (#14): lists every lesson page and the files Python needs, and its version follows the
lesson sources and the bundle, so a changed course reaches learners who are offline-ready."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from flask import Flask

from tutor.assets import pinned
from tutor.web import PROJECT_ROOT, create_app, offline

from .service_worker import precache_manifest


def manifest(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    return precache_manifest(response.get_data(as_text=True))


def make_app(lessons: Path, tmp_path: Path) -> Flask:
    return create_app(
        {
            "SECRET_KEY": "sw-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'sw.db'}",
            "LESSONS_DIR": str(lessons),
        }
    )


def test_worker_caches_every_lesson_and_python(tmp_path: Path) -> None:
    app = make_app(PROJECT_ROOT / "lessons", tmp_path)
    entries = manifest(app)["precache"]
    assert isinstance(entries, list)
    # Static files are listed by their content-versioned URL (?v=...); pages by their path.
    paths = {path.split("?v=")[0]: sha for path, sha in entries}
    for lesson in app.extensions["catalog"].lessons:
        for code in ("en", "zh"):  # each page in both languages, always fetched fresh
            assert paths[f"lessons/{lesson.id}?lang={code}"] is None
    wheel = next(p for p in paths if p.endswith(".whl"))
    assert paths[wheel] and len(str(paths[wheel])) == 64
    for needed in ("pyodide.asm.wasm", "python_stdlib.zip", "virttutor-lock.json", "js/lesson.js"):
        assert any(p.endswith(needed) for p in paths), needed


def test_version_follows_the_lessons(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("__pycache__"))
    before = manifest(make_app(lessons, tmp_path))["version"]
    assert manifest(make_app(lessons, tmp_path))["version"] == before  # stable
    prompt = next(lessons.glob("*/exercises/*/prompt.en.md"))
    prompt.write_text(prompt.read_text() + "\nOne more sentence.\n")
    assert manifest(make_app(lessons, tmp_path))["version"] != before


def test_version_follows_what_the_running_process_renders(tmp_path: Path) -> None:
    """A lesson edited on disk before a restart changes nothing the process serves: the worker
    keeps its version (a new one then would cache old pages under it for good); a template or
    translation the next process renders with changes it."""
    lessons = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("__pycache__"))
    app = make_app(lessons, tmp_path)
    before = manifest(app)["version"]
    prompt = next(lessons.glob("*/exercises/*/prompt.en.md"))
    prompt.write_text(prompt.read_text() + "\nOne more sentence.\n")
    assert manifest(app)["version"] == before  # until the restart
    assert manifest(make_app(lessons, tmp_path))["version"] != before  # after it

    package = tmp_path / "package"
    for folder in ("templates", "translations"):
        shutil.copytree(Path(offline.__file__).parent / folder, package / folder)
    offline.remember_site(app, package)
    same = manifest(app)["version"]
    for changed in ("templates/base.html", "translations/zh/LC_MESSAGES/messages.mo"):
        (package / changed).write_bytes((package / changed).read_bytes() + b"\n")
        offline.remember_site(app, package)
        now = manifest(app)["version"]
        assert now != same, changed
        same = now


def test_worker_caches_what_the_pages_load_and_nothing_they_never_do(tmp_path: Path) -> None:
    """A phone pays for every byte the worker fetches: each file a lesson names (CodeMirror's
    minified scripts included) is listed, the readable sources of the scripts set-up minified
    and Pyodide's own lock file (the build's, not the browser's) are not."""
    app = make_app(PROJECT_ROOT / "lessons", tmp_path)
    listed = {path.split("?v=")[0] for path, _ in manifest(app)["precache"]}
    page = app.test_client().get("/lessons/hypervisors").get_data(as_text=True)
    named = set(re.findall(r"/(static/[^\"'?\s]+)\?v=", page))
    assert any(name.endswith("codemirror.min.js") for name in named)
    assert named <= listed, named - listed
    for asset in pinned().values():
        for source in asset.minify:
            assert f"static/vendor/{asset.folder.name}/{source}" not in listed
            minified = Path(source).with_suffix(".min.js").as_posix()
            assert f"static/vendor/{asset.folder.name}/{minified}" in listed
    assert not any(path.endswith("/pyodide-lock.json") for path in listed)
    assert any(path.endswith("/virttutor-lock.json") for path in listed)
