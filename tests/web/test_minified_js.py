"""The site's own scripts go minified (#15): set-up minifies each ES module on its own with the
pinned esbuild, a URL of the source sends the copy made from the source's current bytes (same
import graph, versions and service-worker hashes of the bytes sent), and developers get the
readable source in debug mode or for a file edited since set-up."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import ROOT
from tutor.assets import minified_js_name, minify_site_js
from tutor.web import create_app

from .service_worker import precache_manifest

SOURCES = ROOT / "static" / "js"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def minified(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("minified-js")
    minify_site_js(SOURCES, folder)
    return folder


def fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """A GET whose streamed file is closed before the test goes on."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def make_app(tmp_path: Path, minified: Path, **config: object) -> Flask:
    return create_app(
        {
            "SECRET_KEY": "minify-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'min.db'}",
            "LESSONS_DIR": str(ROOT / "lessons"),
            "MINIFIED_JS_DIR": str(minified),
            **config,
        }
    )


def test_modules_keep_their_imports_and_a_changed_source_is_minified_again(
    tmp_path: Path,
) -> None:
    sources, out = tmp_path / "js", tmp_path / "out"
    (sources / "viz").mkdir(parents=True)
    main = sources / "main.js"
    main.write_text(
        "// A comment nobody downloads.\n"
        'import { draw } from "./viz/draw.js";\n'
        "export async function start(name) {\n"
        "  const worker = new URL('./worker.js', import.meta.url);\n"
        "  const module = await import(`./viz/${name}.js`);\n"
        "  return [draw(module), worker];\n"
        "}\n"
    )
    (sources / "viz" / "draw.js").write_text(
        "export function draw(thing) {\n"
        "  const longLocalName = thing;\n"
        "  return longLocalName;\n"
        "}\n"
    )
    assert minify_site_js(sources, out) == 2
    copy = (out / minified_js_name(sha256(main.read_bytes()))).read_text()
    assert len(copy) < len(main.read_text())
    assert "A comment" not in copy
    for kept in ('from"./viz/draw.js"', "import.meta.url", "./viz/${", "export"):
        assert kept in copy.replace(" ", ""), kept
    assert minify_site_js(sources, out) == 0  # nothing changed: nothing to do
    old = set(out.iterdir())
    main.write_text(main.read_text() + "export const added = 1;\n")
    assert minify_site_js(sources, out) == 1
    assert len(set(out.iterdir()) - old) == 1 and len(old - set(out.iterdir())) == 1  # replaced


def test_the_lesson_sends_minified_scripts_named_by_what_it_sends(
    tmp_path: Path, minified: Path
) -> None:
    client = make_app(tmp_path, minified).test_client()
    source = (SOURCES / "lesson.js").read_bytes()
    copy = (minified / minified_js_name(sha256(source))).read_bytes()
    page = client.get("/lessons/hypervisors").get_data(as_text=True)
    assert f'/static/js/lesson.js?v={sha256(copy)[:12]}"' in page
    for url in ("/static/js/lesson.js", f"/static/js/lesson.js?v={sha256(copy)[:12]}"):
        response = fetch(client, url)
        assert response.data == copy and len(copy) < len(source) * 0.8
        assert response.mimetype == "text/javascript"
        again = fetch(client, url, **{"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    # A module imported by relative path, and the Python worker, are minified too.
    for name in ("viz/layer-stacks.js", "python-worker.js"):
        body = fetch(client, f"/static/js/{name}").data
        assert (
            body
            == (minified / minified_js_name(sha256((SOURCES / name).read_bytes()))).read_bytes()
        )
    # The offline worker hashes the bytes it will be sent.
    entries = precache_manifest(client.get("/sw.js").get_data(as_text=True))
    listed = {path.split("?")[0]: digest for path, digest in entries["precache"]}
    assert listed["static/js/lesson.js"] == sha256(copy)


def test_developers_read_the_source_in_debug_mode_or_when_it_changed_since_set_up(
    tmp_path: Path, minified: Path
) -> None:
    source = (SOURCES / "lesson.js").read_bytes()
    readable = make_app(tmp_path, minified, MINIFIED_JS=False).test_client()
    assert fetch(readable, "/static/js/lesson.js").data == source
    stale = tmp_path / "stale"  # copies of other versions only: as after editing lesson.js
    stale.mkdir()
    (stale / minified_js_name(sha256(b"an older lesson.js"))).write_text("old();")
    edited = make_app(tmp_path, stale).test_client()
    assert fetch(edited, "/static/js/lesson.js").data == source
    page = edited.get("/lessons/hypervisors").get_data(as_text=True)
    assert f'/static/js/lesson.js?v={sha256(source)[:12]}"' in page
