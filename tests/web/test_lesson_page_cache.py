"""The cached lesson page (#15): one rendering shared by every learner, each learner's own parts
spliced in per request; no progress queries for a learner with nothing stored; a gzip body
spliced from pieces compressed once; a changed asset or language renders it again."""

from __future__ import annotations

import gzip
import re
import time

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jinja2 import ChoiceLoader, DictLoader

from tests.conftest import FIXTURE_LESSONS
from tutor.web import lesson_page, static_delivery
from tutor.web.extensions import db
from tutor.web.models import Submission

from .course_site_helpers import account, signed_in
from .sql_log import sql_statements

LESSONS_DIR = FIXTURE_LESSONS
LESSON = "/lessons/fixture-lesson"
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
WRONG = "def path(layers, skip):\n    return []\n"


def browser(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/api/session")
    return client


def csrf_of(app: Flask, client: FlaskClient, page: str) -> set[str]:
    """The raw session tokens behind every signed CSRF token on ``page``."""
    signed = URLSafeTimedSerializer(str(app.secret_key), salt="wtf-csrf-token")
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    tokens += re.findall(r'<meta name="csrf-token" content="([^"]+)"', page)
    tokens += re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    return {signed.loads(token) for token in tokens}


def test_two_learners_get_their_own_parts_of_the_same_cached_page(app: Flask) -> None:
    alice, bob = browser(app), browser(app)
    alice.post("/exercises/walk/submit", data={"code": SOLUTION})
    bob.post("/exercises/walk/submit", data={"code": WRONG})
    bob.post("/exercises/walk/submit", data={"code": WRONG.replace("[]", "[0]")})
    assert alice.post("/lessons/fixture-lesson/checks/0", json={"choice": 1}).get_json() == {
        "correct": False
    }
    pages = {name: c.get(LESSON).get_data(as_text=True) for name, c in (("a", alice), ("b", bob))}
    assert "Your best score: 100 of 100 · 1 submitted" in pages["a"]
    assert "Your best score: 0 of 100 · 2 submitted" in pages["b"]
    assert "Your last answer was wrong" in pages["a"] and "Your last answer" not in pages["b"]
    assert "100 of 100" not in pages["b"]
    for client, page in ((alice, pages["a"]), (bob, pages["b"])):
        with client.session_transaction() as session:
            assert csrf_of(app, client, page) == {session["csrf_token"]}
    # The same again, in the other order and compressed: still nobody else's parts.
    mine_and_not = ((bob, "score: 0 of", "score: 100 of"), (alice, "score: 100", "score: 0"))
    for client, own, other in mine_and_not:
        packed = client.get(LESSON, headers={"Accept-Encoding": "br, gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        page = gzip.decompress(packed.data).decode()
        assert own in page and other not in page


def test_signed_in_learners_get_their_own_account_navigation(app: Flask) -> None:
    account(app, "ann@example.org", "Ann Example")
    account(app, "bo@example.org", "Bo Example")
    ann, bo, stranger = (
        signed_in(app, "ann@example.org"),
        signed_in(app, "bo@example.org"),
        browser(app),
    )
    ann_page = ann.get(LESSON).get_data(as_text=True)
    bo_page = bo.get(LESSON).get_data(as_text=True)
    stranger_page = stranger.get(LESSON).get_data(as_text=True)
    assert "Ann Example" in ann_page and "Bo Example" not in ann_page
    assert "Bo Example" in bo_page and "Ann Example" not in bo_page
    assert "Sign out" not in stranger_page and "Sign in" in stranger_page
    assert "Ann Example" not in stranger_page and "Bo Example" not in stranger_page
    ann_id = re.search(r'data-account="(\d+)"', ann_page)
    bo_id = re.search(r'data-account="(\d+)"', bo_page)
    assert ann_id and bo_id and ann_id.group(1) != bo_id.group(1)
    for client, page in ((ann, ann_page), (bo, bo_page)):
        with client.session_transaction() as session:
            assert csrf_of(app, client, page) == {session["csrf_token"]}


def test_the_gzip_body_is_the_page_and_the_etag_revalidates(app: Flask) -> None:
    client = browser(app)
    plain = client.get(LESSON)
    packed = client.get(LESSON, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    # As small as the whole page gzipped at once, give or take (gzip_splice: in context), and
    # the shared pieces' own block headers and code tables (~60 bytes a slot between them,
    # which a small page feels).
    slots = len(next(iter(app.extensions["lesson_pages"].values())).slots)
    assert len(packed.data) < 1.05 * len(gzip.compress(plain.data)) + 60 * slots
    unsigned = re.compile(r'(csrf_token" value="|csrf-token" content="|X-CSRFToken": ")[^"]+')
    assert unsigned.sub(r"\1", gzip.decompress(packed.data).decode()) == unsigned.sub(
        r"\1", plain.get_data(as_text=True)
    )
    assert packed.headers["ETag"] == plain.headers["ETag"]  # one page, two encodings
    again = client.get(LESSON, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert browser(app).get(LESSON, headers={"If-None-Match": plain.headers["ETag"]}).status_code
    # A flashed message is this request's part, and changes the validator.
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Saved for you only")]
    flashed = client.get(LESSON, headers={"If-None-Match": plain.headers["ETag"]})
    assert flashed.status_code == 200 and "Saved for you only" in flashed.get_data(as_text=True)
    assert "Saved for you only" not in client.get(LESSON).get_data(as_text=True)


def test_the_language_links_come_back_to_this_very_address(app: Flask) -> None:
    client = browser(app)
    client.get(LESSON)
    page = client.get(f"{LESSON}?from=outline").get_data(as_text=True)
    links = re.findall(r'href="(/lang/\w+\?next=[^"]+)"', page)
    assert len(links) == 2 and all("from%3Doutline" in link for link in links), links
    plain = client.get(LESSON).get_data(as_text=True)
    assert "from%3Doutline" not in plain


def test_a_changed_asset_renders_the_page_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = browser(app)
    first = client.get(LESSON).get_data(as_text=True)
    version = re.search(r"/static/css/site\.css\?v=([0-9a-f]{12})", first)
    assert version is not None
    known = static_delivery.static_version

    def edited(filename: str) -> str | None:
        return "0123456789ab" if filename == "css/site.css" else known(filename)

    monkeypatch.setattr(static_delivery, "static_version", edited)
    monkeypatch.setattr(lesson_page, "ASSET_CHECK_SECONDS", 0.0)  # not a second later: now
    page = client.get(LESSON).get_data(as_text=True)
    assert "/static/css/site.css?v=0123456789ab" in page
    assert f"css/site.css?v={version.group(1)}" not in page


def test_no_progress_queries_for_a_learner_with_nothing_stored(app: Flask) -> None:
    client = browser(app)
    client.get(LESSON)  # finds out once
    with sql_statements(app) as statements:
        page = client.get(LESSON).get_data(as_text=True)
    assert statements == [] and "Your best score" not in page
    client.post("/exercises/walk/submit", data={"code": SOLUTION})
    client.post("/lessons/fixture-lesson/checks/0", json={"choice": 0})
    page = client.get(LESSON).get_data(as_text=True)
    assert "Your best score: 100 of 100" in page and "Your last answer was right" in page


def test_a_learner_made_just_now_is_known_to_have_nothing_stored(app: Flask) -> None:
    """#15: a learner fresh from ``GET /api/session`` has stored nothing: even their first
    lesson page asks the database nothing and signs no new session cookie (every view of a
    client that keeps its first cookie, as ``wrk`` does, did both). Their first Submit still
    shows on the next page."""
    client = browser(app)
    with sql_statements(app) as statements:
        first = client.get(LESSON)
    assert first.status_code == 200
    assert statements == []
    assert "Set-Cookie" not in first.headers
    client.post("/exercises/walk/submit", data={"code": SOLUTION})
    page = client.get(LESSON).get_data(as_text=True)
    assert "Your best score: 100 of 100" in page


def test_progress_stored_elsewhere_still_shows(app: Flask) -> None:
    """Rows stored outside the learner's own request (an import, staff, the command line), an
    anonymous browser's work adopted at sign-in, and another device of the same account."""
    client = browser(app)
    assert "Your best score" not in client.get(LESSON).get_data(as_text=True)
    with client.session_transaction() as session:
        learner = session["learner"]
    with app.app_context():
        db.session.add(
            Submission(
                course_id=1,
                learner=learner,
                exercise_id="walk",
                code="x",
                status="graded",
                score=40.0,
            )
        )
        db.session.commit()
    assert "Your best score: 40 of 100" in client.get(LESSON).get_data(as_text=True)

    account(app, "di@example.org")
    anonymous = browser(app)
    anonymous.post("/exercises/walk/submit", data={"code": WRONG})
    assert "Your best score: 0 of 100" in anonymous.get(LESSON).get_data(as_text=True)
    other = signed_in(app, "di@example.org")
    assert "Your best score" not in other.get(LESSON).get_data(as_text=True)
    anonymous.post("/login", data={"email": "di@example.org", "password": "correct horse"})
    assert "Your best score: 0 of 100" in other.get(LESSON).get_data(as_text=True)

    # (after the anonymous Submit above: the first Submit of a database creates its demo course)
    account(app, "cy@example.org")
    laptop, phone = signed_in(app, "cy@example.org"), signed_in(app, "cy@example.org")
    assert "Your best score" not in phone.get(LESSON).get_data(as_text=True)
    laptop.post("/exercises/walk/submit", data={"code": SOLUTION})
    assert "Your best score: 100 of 100" in phone.get(LESSON).get_data(as_text=True)


def test_progress_stored_by_another_process_shows_within_minutes(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore or an import from the command line stores rows in another process, which no
    web process hears of: a learner's "nothing stored" is asked again after a while."""
    import tutor.web.progress as progress

    client = browser(app)
    assert "Your best score" not in client.get(LESSON).get_data(as_text=True)
    with client.session_transaction() as session:
        learner = session["learner"]
    with app.app_context():  # as another process would: no ORM flush in this one
        db.session.execute(
            sa.text(
                "INSERT INTO submission (course_id, learner, exercise_id, code, status, score, "
                "created_at) VALUES (1, :learner, 'walk', 'x', 'graded', 70.0, CURRENT_TIMESTAMP)"
            ),
            {"learner": learner},
        )
        db.session.commit()
    assert "Your best score" not in client.get(LESSON).get_data(as_text=True)  # not yet asked
    later = time.time() + progress.NOTHING_STORED_SECONDS + 1
    monkeypatch.setattr(progress.time, "time", lambda: later)
    assert "Your best score: 70 of 100" in client.get(LESSON).get_data(as_text=True)


def test_a_spliced_gzip_body_reads_back_as_the_plain_bytes() -> None:
    """Shared pieces deflated once, per-request pieces stored between them (one over the 64 KB
    of a stored block, empty ones, shared pieces side by side): any gzip reader gets exactly
    the plain bytes back, CRC-32 and length checked."""
    import random
    import zlib

    from tutor.web.gzip_splice import gzip_body, packed_piece

    rng = random.Random(15)
    shared = [b"<html>" * 5000, rng.randbytes(70_000), b"", "页面".encode() * 100, b"x"]
    mine = [b"token-1", b"", b"\x00\xff" * 40_000, b"<p>best 100</p>", rng.randbytes(3)]
    # (shared?, bytes) in page order
    orders = [
        [p for s, m in zip(shared, mine, strict=True) for p in ((True, s), (False, m))],
        [(False, mine[0]), *((True, s) for s in shared), (False, mine[3])],
        [(False, mine[1]), (False, mine[2]), (True, shared[4]), (True, shared[1])],
    ]
    for order in orders:
        plain = b"".join(data for _, data in order)
        body = gzip_body(packed_piece(data) if kept else data for kept, data in order)
        assert gzip.decompress(body) == plain
        assert zlib.decompress(body, wbits=31) == plain
        if order is orders[0]:  # the repetitive page is compressed, not only stored
            assert len(body) < len(plain)
    for _ in range(200):  # the CRC carried past a shared piece, from any start
        before, piece = rng.randbytes(rng.randrange(40)), rng.randbytes(rng.randrange(3000))
        after = packed_piece(piece).crc_after(zlib.crc32(before))
        assert after == zlib.crc32(before + piece)


def test_pieces_packed_in_context_read_back_whatever_the_slots_hold() -> None:
    """Shared pieces deflated with the page before them as context, for slots of assumed
    lengths: requests whose slots have those lengths (any bytes, even the shared text's own)
    or others (shorter, longer, over 32 KB) all read back as their plain bytes; as assumed,
    the body is about as small as the whole page gzipped at once."""
    import random

    from tutor.web.gzip_splice import gzip_body, pack, packed_piece

    rng = random.Random(1515)
    words = [rng.randbytes(rng.randrange(3, 9)).hex().encode() for _ in range(300)]
    shared = [b" ".join(rng.choices(words, k=rng.randrange(30, 900))) for _ in range(12)]
    assumed = [rng.choice((0, 0, 40, 91)) for _ in shared]
    packed = pack(item for pair in zip(assumed, shared, strict=True) for item in pair)
    alone = [packed_piece(piece) for piece in shared]
    for trial in range(40):
        fills = [shared[3][:n] if trial % 2 else rng.randbytes(n) for n in assumed]
        if trial >= 10:  # some slots of other lengths, up to one longer than the window
            for index in rng.sample(range(len(fills)), rng.randrange(1, 4)):
                fills[index] = rng.randbytes(rng.choice((1, 39, 92, 5000, 40_000)))
        plain = b"".join(fill + piece for fill, piece in zip(fills, shared, strict=True))
        body = gzip_body(
            part for fill, piece in zip(fills, packed[1::2], strict=True) for part in (fill, piece)
        )
        assert gzip.decompress(body) == plain
        if trial < 10:
            without_context = gzip_body(
                part for fill, piece in zip(fills, alone, strict=True) for part in (fill, piece)
            )
            assert len(body) < 0.8 * len(without_context)
            assert len(body) < 1.05 * len(gzip.compress(plain, 9)) + 5 * len(fills)


def test_pieces_side_by_side_joined_give_the_same_body() -> None:
    """Pieces with only empty slots between them, joined into one (``gzip_splice.joined``, so a
    request takes one step for them): as laid out, the very same bytes as the pieces one by one;
    after a slot of another length before them, still the plain bytes."""
    import random

    from tutor.web.gzip_splice import PackedPiece, gzip_body, joined, pack

    rng = random.Random(2315)
    words = [rng.randbytes(rng.randrange(3, 9)).hex().encode() for _ in range(200)]
    shared = [b" ".join(rng.choices(words, k=rng.randrange(20, 600))) for _ in range(10)]
    assumed = [0, 0, 0, 91, 40, 0, 0, 91, 0, 0]  # the slot before each shared piece
    packed = pack(item for pair in zip(assumed, shared, strict=True) for item in pair)
    pieces = [piece for piece in packed[1::2] if isinstance(piece, PackedPiece)]
    runs = [[0, 1, 2], [3], [4, 5, 6], [7, 8, 9]]  # the first piece has no context
    for trial in range(20):
        fills = [rng.randbytes(n) for n in assumed]
        if trial >= 10:
            fills[rng.choice((0, 3, 4, 7))] = rng.randbytes(rng.choice((1, 90, 5000, 40_000)))
        plain = b"".join(fill + piece for fill, piece in zip(fills, shared, strict=True))
        one_by_one = gzip_body(
            part for fill, piece in zip(fills, pieces, strict=True) for part in (fill, piece)
        )
        as_runs = gzip_body(
            part for run in runs for part in (fills[run[0]], joined([pieces[i] for i in run]))
        )
        assert gzip.decompress(as_runs) == plain
        if trial < 10:
            assert as_runs == one_by_one


def test_the_gzip_page_is_the_plain_page_for_every_kind_of_visitor(app: Flask) -> None:
    """A new learner, one with progress and either with a message: the gzip body (its usually
    empty parts empty or not: two layouts) reads back as the plain page of the same request."""
    new, tried = browser(app), browser(app)
    tried.post("/exercises/walk/submit", data={"code": WRONG})
    tried.post("/lessons/fixture-lesson/checks/0", json={"choice": 1})
    for client in (new, tried):
        for message in ("", "Saved for you only"):
            pages = []
            for encoding in ("identity", "gzip"):
                if message:
                    with client.session_transaction() as session:
                        session["_flashes"] = [("message", message)]
                response = client.get(LESSON, headers={"Accept-Encoding": encoding})
                assert response.headers.get("Content-Encoding", "identity") == encoding
                body = response.data
                pages.append(gzip.decompress(body) if encoding == "gzip" else body)
            assert pages[0] == pages[1]
            assert message in pages[0].decode()
            assert ("Your best score: 0 of 100" in pages[0].decode()) == (client is tried)


def test_the_signed_csrf_token_is_reused_and_still_accepted(app: Flask) -> None:
    """The lesson page signs a session's CSRF token once per process (tokens never expire
    here): the same session gets the same signed token again, which the server still takes;
    another session gets its own; a new raw token (a sign-in) gets a new signed one."""
    app.config["WTF_CSRF_ENABLED"] = True
    signed = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
    alice, bob = browser(app), browser(app)
    first = signed.search(alice.get(LESSON).get_data(as_text=True))
    time.sleep(1.05)  # a token signed now would carry another timestamp
    second = signed.search(alice.get(LESSON).get_data(as_text=True))
    other = signed.search(bob.get(LESSON).get_data(as_text=True))
    assert first and second and other
    assert first.group(1) == second.group(1) != other.group(1)
    answered = alice.post(
        "/lessons/fixture-lesson/checks/0",
        json={"choice": 1},
        headers={"X-CSRFToken": second.group(1)},
    )
    assert answered.status_code == 200 and answered.get_json() == {"correct": False}
    refused = alice.post(
        "/lessons/fixture-lesson/checks/0",
        json={"choice": 1},
        headers={"X-CSRFToken": other.group(1)},
    )
    assert refused.status_code == 400
    with alice.session_transaction() as session:
        session["csrf_token"] = "a-new-raw-token-after-sign-in"
    renewed = signed.search(alice.get(LESSON).get_data(as_text=True))
    assert renewed and renewed.group(1) != first.group(1)
    assert csrf_of(app, alice, renewed.group(0)) == {"a-new-raw-token-after-sign-in"}


def test_a_browser_that_refuses_gzip_gets_the_plain_page(app: Flask) -> None:
    client = browser(app)
    plain = client.get(LESSON)
    for refusing in ("identity", "", "deflate"):
        answer = client.get(LESSON, headers={"Accept-Encoding": refusing})
        assert answer.status_code == 200 and "Content-Encoding" not in answer.headers, refusing
        assert answer.data == plain.data or len(answer.data) == len(plain.data)  # (its token)
        assert answer.headers["ETag"] == plain.headers["ETag"]
    for taking in ("gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "GZIP"):
        answer = client.get(LESSON, headers={"Accept-Encoding": taking})
        assert answer.headers.get("Content-Encoding") == "gzip", taking
        assert len(gzip.decompress(answer.data)) == len(plain.data)


def test_a_failed_precondition_answers_412_and_a_match_304(app: Flask) -> None:
    client = browser(app)
    etag = client.get(LESSON).headers["ETag"]
    failed = client.get(LESSON, headers={"If-Match": '"another"', "Accept-Encoding": "gzip"})
    assert failed.status_code == 412
    matched = client.get(LESSON, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert matched.status_code == 304 and matched.data == b""
    assert "Content-Encoding" not in matched.headers


@pytest.mark.parametrize(
    "probe",
    [
        "{{ session.get('learner') }}",
        "{{ request.args.get('who') }}",
        "{% if g.user %}x{% endif %}",
        "{{ my_courses() }}",
        "{{ account_of_learner('x') }}",
        "{{ current_user.email }}",
        "{{ exercise_progress('walk') }}",
    ],
)
def test_a_template_that_reads_one_learner_in_the_shared_page_fails_loudly(
    app: Flask, probe: str
) -> None:
    """The lesson page is rendered once for every learner: a change to its templates that read
    the session, the request or an account would cache the first learner's for all of them
    (bob saw alice's learner id). It fails at once instead."""
    source = app.jinja_env.loader.get_source(app.jinja_env, "lesson.html")[0]  # type: ignore[union-attr]
    probed = source.replace("{% block main %}", "{% block main %}" + probe, 1)
    assert probed != source
    app.jinja_env.cache = {}
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"lesson.html": probed}), original])  # type: ignore[list-item]
    try:
        with pytest.raises(lesson_page.PerLearnerInSharedPart):
            app.test_client().get(LESSON + "?who=alice")
    finally:
        app.jinja_env.loader = original
        app.jinja_env.cache = {}
