"""The lesson page: rendered once per lesson build and mode, with each learner's parts spliced in.

Almost all of a lesson page is the same for everyone who reads it in one language: the page
shell (head, language links, navigation), the text and the exercises. So the *whole* page is
rendered once per (page path, language, lesson build, grader version, asset mode, self-study
mode, signed in or not) and kept as plain bytes. The animation's scenes, the drivers and the
practice cases' expected traces are not in it: the page names their file (``lesson_data``),
fetched once and kept. The lesson build and grader version (``tutor.content.build``) change
whenever a lesson file or the simulation code does; every ``/static/…?v=`` URL the page names,
and the pins file (``static/assets.json``: CDN URLs and SRI hashes), are checked against the
files at most once a second (``ASSET_CHECK_SECONDS``), so a changed asset renders the page
again.

What belongs to one learner or one request is never in the shared page: the templates ask for it
with ``learner_part(name, ...)``, which leaves a marker there, and each request fills the markers
(``FILLERS``: the CSRF token, the account navigation, flashed messages, the language links'
return address, best score and course deadline per exercise, the last concept-check answers).
While the shared page renders, the per-learner helpers refuse to run and ``current_user`` tells
only whether someone is signed in, so a template change that reached for a learner's data there
fails loudly instead of showing one learner's progress to everyone.

A request is then nearly a byte copy: the fills, a ``join``, an ETag from the cached page's
digest and the fills (no hash over the page), and for ``Accept-Encoding: gzip`` a body spliced
from the shared pieces compressed once (``gzip_splice``), never compressed per request.

``DEBUG`` renders everything on every request (templates change while developing).
"""

from __future__ import annotations

import hashlib
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    get_flashed_messages,
    get_template_attribute,
    request,
    session,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from tutor.assets import PINS
from tutor.content import Lesson

from . import animation_poster, static_delivery
from .accept_headers import best_encoding
from .extensions import db
from .gzip_splice import PackedPiece, gzip_body, joined, pack
from .lesson_data import data_url, needs_data, practice_in_page

if TYPE_CHECKING:
    from .schedule import Resolved  # (this module imports schedule where it is used)

MARK = "\x00"  # never in rendered HTML text: Jinja output of lesson content cannot hold NUL
SEP = "\x1f"
SHARING = "rendering_shared_lesson"
PER_LEARNER_HELPERS = (
    "exercise_progress",
    "concept_progress",
    "course_assignment",
    "solved_exercises",
    "get_flashed_messages",
    "my_courses",
    "account_of_learner",
    "late_standing",
    "ended_course",
    "own_submission",
    "may_change_settings",
)
# What a template could read one request's (one learner's) state from: refused too, so that a
# change to the page's templates that reads them fails loudly instead of caching one learner's
# session id or query for every other learner.
PER_REQUEST_OBJECTS = ("request", "session", "g")
# Every content-versioned static URL the page names (``static_delivery``): checked per request.
STATIC_URL = re.compile(r"/static/([^\"'?\s]+)\?v=([0-9a-f]{12})\b")
GZIP_MIN = 500
HTML = "text/html; charset=utf-8"
GZIP = ("gzip",)
ASSET_CHECK_SECONDS = 1.0

Marker = tuple[str, tuple[str, ...]]


class PerLearnerInSharedPart(RuntimeError):
    """A template used one learner's data where the page is shared by every learner."""


def learner_part(name: str, *args: object) -> Markup:
    """A per-learner part of a page: a marker while the shared lesson page renders, else the
    part itself (every other page renders it at once)."""
    values = tuple(str(arg) for arg in args)
    if g.get(SHARING):
        return Markup(f"{MARK}{name}{SEP}{SEP.join(values)}{MARK}")
    return _filled(name, values)


def _refuse(name: str) -> Callable[..., Any]:
    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise PerLearnerInSharedPart(
            f"lesson.html used {name}() in the page shared by every learner; "
            "use learner_part() (tutor/web/lesson_page.py)"
        )

    return refuse


class RefusedInSharedPart:
    """``request``, ``session`` or ``g`` while the shared page renders."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise PerLearnerInSharedPart(
            f"a template read {self._name} in the page shared by every learner; "
            "use learner_part() (tutor/web/lesson_page.py)"
        )

    __getattr__ = __getitem__ = __contains__ = __iter__ = __bool__ = __str__ = _refuse


class SharedVisitor:
    """``current_user`` while the shared page renders: whether someone is signed in (that is
    in the cache key), nothing about who."""

    def __init__(self, signed_in: bool) -> None:
        self.is_authenticated = signed_in
        self.is_anonymous = not signed_in

    def __getattr__(self, name: str) -> Any:
        raise PerLearnerInSharedPart(
            f"a template read current_user.{name} in the page shared by every learner; "
            "use learner_part() (tutor/web/lesson_page.py)"
        )


PosterSeen = tuple[Lesson, str, Path | None, bool]


@dataclass
class SharedPage:
    """The page as every learner gets it: plain bytes between the learners' markers."""

    pieces: list[bytes | Marker]
    digest: bytes
    assets: tuple[tuple[str, str], ...]
    pins: tuple[int, int]
    # The animation's poster (whose lesson, in which language, the file it was read from, and
    # whether that was there): drawing code changed since (another name) or a poster drawn or
    # removed since, by `flask tutor draw-posters`, makes the page stale.
    poster: PosterSeen
    packed: GzipLayout | None = field(default=None)
    same_for_the_page: dict[Marker, bytes] = field(default_factory=dict)
    checked_at: float = field(default_factory=time.monotonic)
    # Where the markers are, found once: a request fills these slots of a copy of ``pieces``.
    slots: list[tuple[int, Marker]] = field(init=False)
    length: int = field(init=False)  # of the shared bytes: the page is at least this long
    # The progress parts, empty, for a visitor who is not signed in and has nothing stored.
    no_progress: dict[Marker, bytes] = field(init=False)

    def __post_init__(self) -> None:
        self.slots = [
            (index, piece)
            for index, piece in enumerate(self.pieces)
            if not isinstance(piece, bytes)
        ]
        self.length = sum(len(piece) for piece in self.pieces if isinstance(piece, bytes))
        self.no_progress = {
            marker: b"" for _index, marker in self.slots if marker[0] in PROGRESS_PARTS
        }

    def fresh(self) -> bool:
        """Every static file the page names still has the version in its URL, and the pins
        file is the one it was rendered with (looked at most once per ``ASSET_CHECK_SECONDS``)."""
        now = time.monotonic()
        if now - self.checked_at < ASSET_CHECK_SECONDS:
            return True
        current = (
            _pins_stamp() == self.pins
            and _same_poster(self.poster)
            and all(
                static_delivery.static_version(name) == version for name, version in self.assets
            )
        )
        if current:
            self.checked_at = now
        return current

    def filled(self, layout: list[Any], fills: list[tuple[str, bytes]]) -> list[Any]:
        """A copy of ``layout`` (the page's pieces, or their gzip form piece for piece) with
        this request's parts in the markers' slots."""
        pieces = list(layout)
        for (index, _marker), (_name, value) in zip(self.slots, fills, strict=True):
            pieces[index] = value
        return pieces

    def gzip_layout(self, fills: list[tuple[str, bytes]]) -> GzipLayout:
        """The shared pieces deflated once (on the first request that takes gzip), in context
        for slots as long as that request's, except the progress parts and messages, assumed
        empty (a new learner's)."""
        if self.packed is None:
            lengths = iter(0 if name in USUALLY_EMPTY else len(value) for name, value in fills)
            self.packed = GzipLayout.of(
                self,
                pack(piece if isinstance(piece, bytes) else next(lengths) for piece in self.pieces),
            )
        return self.packed


@dataclass
class GzipLayout:
    """A page's shared pieces as ``gzip_body`` takes them, in two layouts: with a slot for every
    marker (b"", each request fills it), and, for a request whose usually empty parts are
    empty (most: a learner with no progress and no message), without those slots and with the
    pieces around them joined (``gzip_splice.joined``): the hypervisors page's 41 steps of
    ``gzip_body`` are then 17."""

    every_slot: list[PackedPiece | bytes]
    as_usual: list[PackedPiece | bytes]
    # (which of the request's fills, where in ``as_usual``) for the slots kept there
    usual_slots: list[tuple[int, int]]
    usually_empty: list[int]  # the fills ``as_usual`` needs empty

    @classmethod
    def of(cls, page: SharedPage, packed: list[PackedPiece | bytes]) -> GzipLayout:
        fill_at = {index: n for n, (index, _marker) in enumerate(page.slots)}
        as_usual: list[PackedPiece | bytes] = []
        usual_slots: list[tuple[int, int]] = []
        usually_empty: list[int] = []
        run: list[PackedPiece] = []
        for index, item in enumerate(packed):
            if isinstance(item, PackedPiece):
                run.append(item)
                continue
            n = fill_at[index]
            if page.slots[n][1][0] in USUALLY_EMPTY:
                usually_empty.append(n)
                continue
            if run:
                as_usual.append(joined(run))
                run = []
            usual_slots.append((n, len(as_usual)))
            as_usual.append(b"")
        if run:
            as_usual.append(joined(run))
        return cls(packed, as_usual, usual_slots, usually_empty)

    def pieces(self, page: SharedPage, fills: list[tuple[str, bytes]]) -> list[Any]:
        """This request's pieces for ``gzip_body``."""
        if not any(fills[n][1] for n in self.usually_empty):
            pieces = list(self.as_usual)
            for n, at in self.usual_slots:
                pieces[at] = fills[n][1]
            return pieces
        return page.filled(self.every_slot, fills)


def _poster(lesson: Lesson, lang: str) -> PosterSeen:
    path = animation_poster.stored_path(lesson, lang)
    return lesson, lang, path, path is not None and path.exists()


def _same_poster(seen: PosterSeen) -> bool:
    return _poster(seen[0], seen[1]) == seen


def _split(html: str) -> list[bytes | Marker]:
    pieces: list[bytes | Marker] = []
    for index, piece in enumerate(html.split(MARK)):
        if index % 2:
            name, _, args = piece.partition(SEP)
            pieces.append((name, tuple(args.split(SEP)) if args else ()))
        elif piece:
            pieces.append(piece.encode())
    return pieces


def _pins_stamp() -> tuple[int, int]:
    found = PINS.stat()
    return found.st_mtime_ns, found.st_size


def _key(lesson: Lesson, signed_in: bool) -> tuple[object, ...]:
    from .learn import lang

    build = current_app.extensions["lesson_build"]
    return (
        request.script_root,
        request.path,
        lang(),
        lesson.id,
        build.id,
        build.grader_version,
        current_app.config.get("ASSETS_MODE"),
        current_app.config.get("ANIMATION_POSTERS_DIR"),
        bool(current_app.config.get("SELF_STUDY_ONLY")),
        signed_in,
    )


def _render_shared(lesson: Lesson, signed_in: bool) -> SharedPage:
    from .learn import lang

    pins = _pins_stamp()
    poster = _poster(lesson, lang())
    template = current_app.jinja_env.get_template("lesson.html")
    context: dict[str, Any] = {
        "animation_poster": animation_poster.read(poster[2]),
        "lesson": lesson,
        "lesson_data_url": data_url(lesson) if needs_data(lesson) else None,
        "practice": practice_in_page(lesson),
    }
    current_app.update_template_context(context)
    context.update({name: _refuse(name) for name in PER_LEARNER_HELPERS})
    context.update({name: RefusedInSharedPart(name) for name in PER_REQUEST_OBJECTS})
    context["csrf_token"] = _csrf_marker
    context["current_user"] = SharedVisitor(signed_in)
    setattr(g, SHARING, True)
    try:
        html = template.render(context)
    finally:
        setattr(g, SHARING, False)
    assets = tuple(sorted(set(STATIC_URL.findall(html))))
    digest = hashlib.blake2b(html.encode(), digest_size=16).digest()
    return SharedPage(_split(html), digest, assets, pins, poster)


def _shared(lesson: Lesson) -> SharedPage:
    signed_in = bool(current_user.is_authenticated)
    if current_app.debug:
        return _render_shared(lesson, signed_in)
    pages: dict[tuple[object, ...], SharedPage] = current_app.extensions.setdefault(
        "lesson_pages", {}
    )
    key = _key(lesson, signed_in)
    found = pages.get(key)
    if found is None or not found.fresh():
        found = pages[key] = _render_shared(lesson, signed_in)
    return found


# -- the learner's parts ------------------------------------------------------------------------


def _memo(name: str, make: Callable[[], Any]) -> Any:
    """Once per request: every exercise's part reads the same query."""
    key = f"_lesson_page_{name}"
    if key not in g:
        setattr(g, key, make())
    return g.get(key)


def _exercise_standing(exercise_id: str) -> Markup:
    from .progress import exercise_progress
    from .schedule import now, student_course

    tried = _memo("progress", exercise_progress).get(exercise_id)
    found = student_course(exercise_id)
    if tried is None and found is None:
        return Markup("")
    deadline = None if found is None else (found.course, found.assignment)
    in_course = None if found is None or tried is None else _course_best(found)
    macro = get_template_attribute("_learner_parts.html", "exercise_standing")
    return Markup(macro(tried, deadline, now(), in_course))


def _course_best(found: Resolved) -> float | None:
    """The best score as the student's course counts it (its late policy applied), which the
    raw best beside it may not be: a student saw "100" for work their course counts as 80."""
    from .models import Submission
    from .schedule import counted, settings_of

    learner = session.get("learner")
    if not learner:
        return None
    course, assignment = found.course, found.assignment
    rows = db.session.execute(
        db.select(Submission.score, Submission.created_at).where(
            Submission.course_id == course.id,
            Submission.learner == str(learner),
            Submission.exercise_id == assignment.exercise_id,
            Submission.status == "graded",
        )
    ).all()
    if not rows:
        return None
    settings = found.settings or settings_of(course)  # (read with the course: no query)
    return max(counted(score, at, assignment.due_at, settings).score for score, at in rows)


def _check_recorded(lesson_id: str, question: str) -> Markup:
    from .progress import concept_progress

    answer = _memo(f"checks_{lesson_id}", lambda: concept_progress(lesson_id)).get(int(question))
    if answer is None:
        return Markup("")
    return Markup(get_template_attribute("_learner_parts.html", "check_recorded")(answer))


def _language_link(code: str) -> Markup:
    """The language switch's address, which brings the reader back to this very URL."""
    url_for: Callable[..., str] = current_app.jinja_env.globals["url_for"]  # type: ignore[assignment]
    target = url_for("learn.set_language", code=code, next=request.full_path.rstrip("?"))
    return Markup.escape(target)


def _account_nav() -> Markup:
    macro = get_template_attribute("_learner_parts.html", "account_nav")
    return Markup(macro(current_user))


def _flashes() -> Markup:
    messages = get_flashed_messages()
    if not messages:
        return Markup("")
    return Markup(get_template_attribute("_learner_parts.html", "flashes")(messages))


# The signed form of each session's CSRF token, per (secret, field name, raw token): signing
# costs as much as the rest of a request's parts together. Only while signed tokens never
# expire (``WTF_CSRF_TIME_LIMIT = None``, this app's setting), so any signed form is as good as
# a fresh one; with a time limit every request signs anew, as Flask-WTF does.
_SIGNED_CSRF: dict[tuple[str, str, str], str] = {}
SIGNED_CSRF_KEPT = 10_000


def signed_csrf() -> str:
    """``generate_csrf()``, reusing this session's signed token once signed in this process.

    Flask-WTF's own per-request cache (``g.<field name>``) is set too, so a later
    ``generate_csrf()`` in the same request returns the same token; a session without a raw
    token yet gets one from ``generate_csrf`` itself."""
    config = current_app.config
    field_name = str(config.get("WTF_CSRF_FIELD_NAME") or "csrf_token")
    raw = session.get(field_name)
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or not isinstance(raw, str):
        return str(generate_csrf())
    if field_name in g:
        return str(g.get(field_name))
    key = (str(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key), field_name, raw)
    token = _SIGNED_CSRF.get(key)
    if token is None:
        token = str(generate_csrf())
        if len(_SIGNED_CSRF) >= SIGNED_CSRF_KEPT:
            _SIGNED_CSRF.clear()
        _SIGNED_CSRF[key] = token
    setattr(g, field_name, token)
    return token


FILLERS: dict[str, Callable[..., Markup]] = {
    "csrf": lambda: _memo("csrf", lambda: Markup.escape(signed_csrf())),
    "lang-href": _language_link,
    "account-id": lambda: Markup.escape(current_user.id),
    "account-nav": _account_nav,
    "flashes": _flashes,
    "exercise-standing": _exercise_standing,
    "check-recorded": _check_recorded,
}


def _filled(name: str, args: tuple[str, ...]) -> Markup:
    fill = FILLERS.get(name)
    if fill is None:
        raise KeyError(f"learner_part({name!r}): no such part (known: {', '.join(FILLERS)})")
    return fill(*args)


def _csrf_marker() -> Markup:
    return learner_part("csrf")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["learner_part"] = learner_part


def _etag(page: SharedPage, fills: list[tuple[str, bytes]]) -> str:
    """The page's validator from the cached page's digest and this request's parts (in the
    page's order, so the page names them): the same page for the same session matches; another
    session, score or answer never does. The signed CSRF token changes every second although
    every form of it stays valid for the session, so the session's raw token stands for it
    (unless tokens expire). The parts' lengths go first, so no two lists of parts hash alike."""
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        values = [value for name, value in fills if name != "csrf"]
        values.append(str(session.get("csrf_token", "")).encode())
    else:
        values = [value for _name, value in fills]
    lengths = struct.pack(f"<{len(values)}I", *map(len, values))
    return hashlib.blake2b(page.digest + lengths + b"".join(values), digest_size=16).hexdigest()


# Parts that depend on nothing but the cache key when the URL has no query string.
SAME_FOR_THE_PAGE = frozenset({"lang-href"})
# Parts that are empty for a visitor who is not signed in and has nothing stored.
PROGRESS_PARTS = frozenset({"exercise-standing", "check-recorded"})
# Empty for most requests: the gzip body is packed assuming so (``GzipLayout``).
USUALLY_EMPTY = PROGRESS_PARTS | {"flashes"}


def _request_fills(page: SharedPage) -> list[tuple[str, bytes]]:
    """This request's value of every marker, each distinct marker computed once."""
    from .progress import progress_stored

    plain_url = not request.query_string
    known: dict[Marker, bytes] = dict(page.same_for_the_page) if plain_url else {}
    if not current_user.is_authenticated and not progress_stored():
        known.update(page.no_progress)
    fills: list[tuple[str, bytes]] = []
    for _index, piece in page.slots:
        value = known.get(piece)
        if value is None:
            value = known[piece] = _filled(*piece).encode()
            if plain_url and piece[0] in SAME_FOR_THE_PAGE:
                page.same_for_the_page[piece] = value
        fills.append((piece[0], value))
    return fills


# The request headers that can make ``make_conditional`` answer anything but the page itself
# (the page takes no ranges: Range alone changes nothing), as WSGI names them.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def render(lesson: Lesson) -> Response:
    page = _shared(lesson)
    fills = _request_fills(page)
    response = current_app.response_class(content_type=HTML)
    headers = response.headers
    headers["ETag"] = f'W/"{_etag(page, fills)}"'  # (a hex digest: nothing to quote)
    headers["Cache-Control"] = "private, no-cache"  # progress changes: ask each time
    headers["Vary"] = "Accept-Encoding"  # (the after-request hooks add theirs)
    environ = request.environ
    if any(name in environ for name in CONDITIONAL_HEADERS):
        response.make_conditional(request)  # only a validator can turn this page into a 304
        if response.status_code == 304:
            return response
    # Only the body that is sent is made: the gzip body spliced, or the plain page joined.
    long_enough = page.length > GZIP_MIN or (
        page.length + sum(len(value) for _name, value in fills) > GZIP_MIN
    )
    gzip = (
        long_enough
        and response.status_code == 200
        and best_encoding(environ.get("HTTP_ACCEPT_ENCODING"), GZIP) is not None
    )
    if gzip:
        response.set_data(gzip_body(page.gzip_layout(fills).pieces(page, fills)))
        headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(b"".join(page.filled(page.pieces, fills)))
    return response
