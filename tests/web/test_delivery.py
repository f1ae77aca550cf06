"""How pages and files travel (#15): compressed bodies that decompress to the same bytes, static
URLs named by content and cached for a year (old and plain URLs still served), HTML that
revalidates with a 304, and a lesson page whose shared part is rendered once while each
learner still sees their own progress."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import brotli
import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.test import TestResponse

from tests.conftest import FIXTURE_LESSONS, ROOT
from tutor import bundle
from tutor.assets import MINIFIED_JS, minified_js_name, pinned
from tutor.stdlib_core import REST_INDEX
from tutor.web import scenes

from .lesson_pages import data_url, lesson_data
from .service_worker import precache_manifest

LESSONS_DIR = FIXTURE_LESSONS
LESSON = "/lessons/fixture-lesson"
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
STATIC_URL = re.compile(r'(?:src|href|data-local)="(/static/[^"?]+)\?v=([0-9a-f]+)"')


def fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """A GET whose file, if it streamed one, is closed before the test goes on."""
    response = client.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response.get_data()
    response.close()
    return response


def static_urls(page: str) -> dict[str, str]:
    return dict(STATIC_URL.findall(page))


def served_bytes(path: str) -> bytes:
    """What ``/static/...`` sends: one of the site's scripts as set-up minified it (named by the
    sha256 of its source), any other file as it is."""
    source = ROOT / path.removeprefix("/")
    copy = MINIFIED_JS / minified_js_name(hashlib.sha256(source.read_bytes()).hexdigest())
    return (copy if path.startswith("/static/js/") and copy.is_file() else source).read_bytes()


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize(
    "path",
    [
        LESSON,  # HTML
        f"{LESSON}/data.json",  # the lesson's scenes, drivers and expected traces
        "/api/submissions/1",  # JSON: a graded report
        "/static/css/site.css",
        "/static/js/exercise.js",
        "/static/vendor/codemirror-5.65.21/lib/codemirror.js",
        "/static/vendor/pyodide-0.29.5/pyodide-lock.json",  # the bundle's lock file
    ],
)
def test_bodies_are_compressed_and_decompress_to_the_same_bytes(
    client: FlaskClient, path: str, encoding: str
) -> None:
    graded = client.post("/api/exercises/walk/grade", json={"code": SOLUTION})
    assert graded.get_json()["submission"] == 1
    plain = fetch(client, path)
    packed = fetch(client, path, Accept_Encoding=encoding)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    body = DECODE[encoding](packed.data)
    if path == LESSON:  # the same page, but with a fresh signed CSRF token in each response
        token = re.compile(
            rb'name="csrf-token" content="[^"]+"|"X-CSRFToken": "[^"]+"|'
            rb'name="csrf_token" value="[^"]+"'
        )
        body, expected = token.sub(b"", body), token.sub(b"", plain.data)
    else:
        expected = plain.data
    assert body == expected


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_python_bundle_travels_compressed_and_arrives_as_its_lock_entry_says(
    client: FlaskClient, encoding: str
) -> None:
    """The wheel the browser's Python loads: compressed in transit, to less than the deflated
    wheel it was before (whose compressed copy saved too little to be sent), and decoded to the
    exact bytes whose sha256 the lock file gives (Pyodide refuses anything else)."""
    built = bundle.current()
    assert built is not None, "no bundle: run `make bundle`"
    url = f"/static/vendor/{built.wheel.parent.name}/{built.wheel.name}"
    packed = fetch(client, url, Accept_Encoding=encoding)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    body = DECODE[encoding](packed.data)
    entry = json.loads(built.lock.read_text())["packages"][bundle.PACKAGE]
    assert hashlib.sha256(body).hexdigest() == entry["sha256"] == built.sha256
    deflated = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(body)) as stored,
        zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        assert {info.compress_type for info in stored.infolist()} == {zipfile.ZIP_STORED}
        for info in stored.infolist():
            archive.writestr(info.filename, stored.read(info))
    assert len(packed.data) < 0.9 * len(deflated.getvalue())


def test_a_client_that_takes_no_compression_gets_none(client: FlaskClient) -> None:
    response = fetch(client, "/static/js/exercise.js", Accept_Encoding="identity")
    assert "Content-Encoding" not in response.headers
    assert response.data == served_bytes("/static/js/exercise.js")


# Pages, the lesson page, JSON (a graded report) and static files: each chooses its encoding
# its own way.
NEGOTIATED = ["/", LESSON, "/api/submissions/1", f"{LESSON}/data.json", "/static/css/site.css"]


def with_a_submission(client: FlaskClient) -> FlaskClient:
    assert client.post("/api/exercises/walk/grade", json={"code": SOLUTION}).status_code == 200
    return client


@pytest.mark.parametrize("path", NEGOTIATED)
@pytest.mark.parametrize(
    "refusal", ["gzip;q=0", "br;q=0, gzip;q=0", "*;q=0", "gzip;q=0.0, deflate", "identity"]
)
def test_an_encoding_the_client_refuses_is_never_sent(
    client: FlaskClient, path: str, refusal: str
) -> None:
    """A quality of 0 means "not acceptable" (RFC 9110): a client that cannot decode gzip says
    so, and must get the body it can read."""
    plain = fetch(with_a_submission(client), path)
    response = fetch(client, path, Accept_Encoding=refusal)
    assert response.status_code == plain.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    if path != LESSON:  # (the lesson page carries a fresh CSRF token in each response)
        # Other pages sign theirs per request too: the signature's timestamp changes each second
        # (in the meta tag, htmx's headers and any form).
        token = re.compile(
            rb'(name="csrf-token" content="|"X-CSRFToken": "|csrf_token" value=")[^"]*'
        )
        assert token.sub(rb"\1", response.data) == token.sub(rb"\1", plain.data)


@pytest.mark.parametrize("path", NEGOTIATED)
@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("gzip;q=0, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("*;q=0.5, br;q=0", "gzip"),
    ],
)
def test_the_encoding_sent_is_one_the_client_takes(
    client: FlaskClient, path: str, header: str, encoding: str
) -> None:
    response = fetch(with_a_submission(client), path, Accept_Encoding=header)
    assert response.headers.get("Content-Encoding") == encoding
    assert DECODE[encoding](response.data)


def test_the_lesson_names_its_files_by_content_and_they_are_cached_for_a_year(
    client: FlaskClient,
) -> None:
    urls = static_urls(client.get(LESSON).get_data(as_text=True))
    assert "/static/css/site.css" in urls and "/static/js/lesson.js" in urls
    for path, version in urls.items():
        assert version == hashlib.sha256(served_bytes(path)).hexdigest()[: len(version)]
        response = fetch(client, f"{path}?v={version}", Accept_Encoding="br, gzip")
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_plain_and_stale_static_urls_still_work_and_revalidate(client: FlaskClient) -> None:
    """A page rendered before a deploy names the old version: it gets the current file, not a
    404, and not cached for a year; a revalidation is a bodiless 304."""
    current = served_bytes("/static/js/lesson.js")
    for url in ("/static/js/lesson.js", "/static/js/lesson.js?v=0123456789ab"):
        response = fetch(client, url)
        assert response.status_code == 200 and response.data == current
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
        again = fetch(client, url, If_None_Match=etag)
        assert again.status_code == 304 and again.data == b""
    packed = fetch(client, "/static/js/lesson.js", Accept_Encoding="gzip")
    again = fetch(
        client, "/static/js/lesson.js", Accept_Encoding="gzip", If_None_Match=packed.headers["ETag"]
    )
    assert again.status_code == 304
    assert client.get("/static/js/no-such-file.js?v=0123456789ab").status_code == 404


def test_html_pages_revalidate_with_an_etag(app: Flask, client: FlaskClient) -> None:
    first = client.get(LESSON, headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get(LESSON, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    # Another learner's browser never reuses this one's page (its CSRF token, its progress).
    other = app.test_client()
    other.get("/api/session")
    assert other.get(LESSON, headers={"If-None-Match": etag}).status_code == 200
    # After a Submit this learner's page shows the new score: the old copy is no longer valid.
    client.post("/exercises/walk/submit", data={"code": SOLUTION})
    changed = client.get(LESSON, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Your best score: 100 of 100" in changed.get_data(as_text=True)


def test_the_lesson_page_runs_no_simulation_per_request(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    build = scenes.SCENES["layer-stacks"]

    def counted() -> object:
        calls.append("layer-stacks")
        return build()

    monkeypatch.setitem(scenes.SCENES, "layer-stacks", counted)
    english = [client.get(LESSON).get_data(as_text=True) for _ in range(3)]
    client.get("/lang/zh")
    chinese = client.get(LESSON).get_data(as_text=True)
    assert calls == ["layer-stacks"]  # once, for both languages and every request
    assert "Fixture: a request walks down a stack" in english[2]
    assert 'lang="en"' in english[2] and "Concept check" in english[2]
    assert "测试课：请求沿分层结构向下走" in chinese and 'lang="zh-CN"' in chinese
    assert "Fixture: a request walks down a stack</h1>" not in chinese
    assert data_url(chinese) == data_url(english[0])  # one file for both languages
    assert "world_switch" in json.dumps(lesson_data(client, chinese)["scenes"])
    assert calls == ["layer-stacks"]


def test_each_learner_sees_their_own_progress_on_the_cached_page(app: Flask) -> None:
    alice, bob = app.test_client(), app.test_client()
    for browser in (alice, bob):
        browser.get("/api/session")
    assert "Your best score" not in alice.get(LESSON).get_data(as_text=True)
    alice.post("/exercises/walk/submit", data={"code": SOLUTION})
    wrong = alice.post("/lessons/fixture-lesson/checks/0", json={"choice": 1})
    assert wrong.get_json() == {"correct": False}
    alice_page = alice.get(LESSON).get_data(as_text=True)
    bob_page = bob.get(LESSON).get_data(as_text=True)
    assert "Your best score: 100 of 100 · 1 submitted" in alice_page
    assert "Your last answer was wrong: try again." in alice_page
    assert "Your best score" not in bob_page and "Your last answer" not in bob_page
    # Each page carries its own session's CSRF token in every form.
    for browser, page in ((alice, alice_page), (bob, bob_page)):
        with browser.session_transaction() as session:
            raw = session["csrf_token"]
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
        assert len(tokens) == 1
        signed = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
        assert signed.loads(tokens.pop()) == raw


def test_compress_static_fills_the_shared_cache(app: Flask, tmp_path: Path) -> None:
    from tutor.web.static_delivery import CompressedCopies

    copies = CompressedCopies(tmp_path / "copies")
    source = ROOT / "static/js/exercise.js"
    first = copies.get(source, "br")
    assert first is not None and brotli.decompress(first) == source.read_bytes()
    # Another process (a new object) reads the stored copy instead of compressing again.
    stored = list((tmp_path / "copies").iterdir())
    assert [p.suffix for p in stored] == [".br11"]
    assert CompressedCopies(tmp_path / "copies").get(source, "br") == first


def test_a_folder_that_cannot_be_written_still_serves_compressed_copies(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only instance folder made every stylesheet and script a browser asked for
    compressed a 500 (the copy could not be stored): lessons unstyled, Python never loaded."""
    from tutor.web.static_delivery import CompressedCopies

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the copies' folder should be")  # mkdir fails, as read-only
    copies = CompressedCopies(blocked / "copies")
    for source in (ROOT / "static/js/exercise.js", ROOT / "static/css/site.css"):
        body = copies.get(source, "br")
        assert body is not None and brotli.decompress(body) == source.read_bytes()
    assert sum("kept in memory only" in r.getMessage() for r in caplog.records) == 1


def test_a_large_file_goes_quickly_compressed_until_compress_static_makes_the_best(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No request waits for the best compression of a large file (brotli 11 takes 20 s over
    Pyodide's WebAssembly): it gets a quick copy, which ``compress-static`` replaces with the
    best one for every process."""
    from tutor.web import static_delivery
    from tutor.web.static_delivery import CompressedCopies

    source = ROOT / "static/vendor/pyodide-0.29.5/pyodide.mjs"
    monkeypatch.setattr(static_delivery, "LARGE", source.stat().st_size // 2)
    copies = CompressedCopies(tmp_path / "copies")
    quick = copies.get(source, "br")
    assert quick is not None and brotli.decompress(quick) == source.read_bytes()
    best = copies.get(source, "br", best=True)
    assert best is not None and brotli.decompress(best) == source.read_bytes()
    assert len(best) < len(quick)
    assert copies.get(source, "br") == best
    assert CompressedCopies(tmp_path / "copies").get(source, "br") == best
    assert [p.suffix for p in (tmp_path / "copies").iterdir()] == [".br11"]  # the quick one gone


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pythons_standard_library_travels_with_its_members_stored_and_compressed(
    app: Flask, client: FlaskClient, encoding: str
) -> None:
    """Pyodide's standard library is a deflated ZIP, which compression in transit cannot shrink:
    the site sends the same modules in ZIPs whose members are stored, compressed as a whole, in
    fewer bytes than Pyodide's file. Python starts with the first (the core, at Pyodide's URL),
    which names the modules of the second (the rest, fetched by the worker when a program first
    imports one). Together they hold every member, unchanged. Their URLs' versions and the
    sha256 the service worker checks are those of the bytes sent."""
    folder = pinned()["pyodide"].folder
    own = folder / "python_stdlib.zip"
    manifest = precache_manifest(fetch(client, "/sw.js").get_data(as_text=True))
    members: dict[str, bytes] = {}
    sizes = 0
    for name in ("python_stdlib.zip", "python_stdlib_rest.zip"):
        url = f"/static/vendor/{folder.name}/{name}"
        packed = fetch(client, url, Accept_Encoding=encoding)
        assert packed.status_code == 200 and packed.headers["Content-Encoding"] == encoding
        sizes += len(packed.data)
        body = DECODE[encoding](packed.data)
        with zipfile.ZipFile(io.BytesIO(body)) as sent:
            assert {info.compress_type for info in sent.infolist()} == {zipfile.ZIP_STORED}
            assert not members.keys() & set(sent.namelist())
            members.update((member, sent.read(member)) for member in sent.namelist())
        digest = hashlib.sha256(body).hexdigest()
        with app.test_request_context():
            versioned = url_for("static", filename=url.removeprefix("/static/"))
        assert versioned == f"{url}?v={digest[:12]}"
        [listed] = [
            sha for path, sha in manifest["precache"] if path.split("?")[0].endswith(f"/{name}")
        ]
        assert listed == digest
    later = set(json.loads(members.pop(REST_INDEX))["modules"])
    assert {"argparse", "unittest", "xml"} <= later and not later & {"encodings", "json", "re"}
    with zipfile.ZipFile(own) as pyodides:
        assert members == {name: pyodides.read(name) for name in pyodides.namelist()}
    assert sizes < 0.95 * own.stat().st_size


def test_the_static_copy_setting_sends_the_standard_library_with_deflated_members(
    app: Flask, client: FlaskClient
) -> None:
    """``STORED_STDLIB = False`` (the static copy: a host may compress nothing): the same core
    and rest, their members deflated, so Python's start waits for less than Pyodide's whole
    file even uncompressed in transit; together, every member of Pyodide's file."""
    folder = pinned()["pyodide"].folder
    app.config["STORED_STDLIB"] = False
    members: dict[str, bytes] = {}
    core = b""
    for name in ("python_stdlib.zip", "python_stdlib_rest.zip"):
        sent = fetch(client, f"/static/vendor/{folder.name}/{name}")
        assert sent.status_code == 200 and "Content-Encoding" not in sent.headers
        core = core or sent.data
        with zipfile.ZipFile(io.BytesIO(sent.data)) as archive:
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
            members.update((member, archive.read(member)) for member in archive.namelist())
    members.pop(REST_INDEX)
    own = folder / "python_stdlib.zip"
    with zipfile.ZipFile(own) as pyodides:
        assert members == {name: pyodides.read(name) for name in pyodides.namelist()}
    assert len(core) < 0.7 * own.stat().st_size
    manifest = precache_manifest(fetch(client, "/sw.js").get_data(as_text=True))
    assert [path for path, _ in manifest["precache"] if "python_stdlib_rest" in path]


WRONG = "def path(layers, skip):\n    return [x for x in layers[::-1] if x not in skip]\n"


def test_a_learners_own_hidden_cases_carry_no_traces_even_asked(client: FlaskClient) -> None:
    """Traces are sent only where a page replays them, and never of a learner's own hidden
    cases (each could hold the model's answer: tests/web/test_hidden_case_detail.py)."""
    lean = client.post("/api/exercises/walk/grade", json={"code": WRONG})
    assert lean.get_json()["verdict"] == "failed"
    assert b'"trace"' not in lean.data
    asked = client.post("/api/exercises/walk/grade?traces=1", json={"code": WRONG})
    assert b'"trace"' not in asked.data and b'"output"' not in asked.data


def test_the_report_fragment_of_a_submit_carries_no_replays_and_the_page_none(
    client: FlaskClient,
) -> None:
    fragment = client.post(
        "/exercises/walk/submit", data={"code": WRONG}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    data = re.search(r'class="report-data">(.*?)</script>', fragment, re.S)
    assert data is not None
    assert json.loads(data.group(1)) == {"cases": []}
    assert fragment.count('<li class="case ') > 1  # every case's verdict, none replayable
    # The page of its own (no animation on it) gets the verdict and no traces at all.
    submission = re.search(r"Submission #(\d+)", fragment)
    assert submission is not None
    page = client.get(f"/submissions/{submission.group(1)}").get_data(as_text=True)
    assert "Not yet:" in page and "report-data" not in page
    assert "Replay its cases" not in page


def test_the_lesson_data_file_is_named_by_content_and_an_old_name_still_works(
    client: FlaskClient,
) -> None:
    """The scenes and expected traces are a file the page names by content (#15): kept for a
    year under that name; any other name (a page from before a deploy) gets the current file,
    revalidated; the same file for both languages; an unknown lesson has none."""
    url = data_url(client.get(LESSON).get_data(as_text=True))
    assert re.fullmatch(rf"{LESSON}/data\.json\?v=[0-9a-f]{{12}}", url)
    current = fetch(client, url)
    assert current.status_code == 200 and current.mimetype == "application/json"
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert set(json.loads(current.data)) == {"scenes", "drivers", "traces"}
    for other in (f"{LESSON}/data.json?v=000000000000", f"{LESSON}/data.json"):
        old = fetch(client, other)
        assert old.status_code == 200 and old.data == current.data
        assert old.headers["Cache-Control"] == "no-cache"
    assert fetch(client, url, If_None_Match=current.headers["ETag"]).status_code == 304
    client.get("/lang/zh")
    assert data_url(client.get(LESSON).get_data(as_text=True)) == url
    assert fetch(client, "/lessons/no-such-lesson/data.json").status_code == 404
