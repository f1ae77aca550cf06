"""A lesson's data file: its animation's scenes, its exercises' drivers and its practice cases'
expected traces, as JSON.

They were inline in the lesson page, most of its bytes (the hypervisors lesson: 87 of 159 KB
the scenes and the traces; a scheduling lesson's traces alone are 270 KB, #15), sent again on
every visit and parsed before the page could show anything; each exercise's driver (the code
that runs a learner's function on a case: 8.9 of the hypervisors page's 75 KB) followed, needed
only by Run, which waited for this file already. The practice cases themselves (names,
arguments, expected outputs) stay in the page with their exercise: what the browser gets of
them is there to read. The file's contents are the same for every learner and both languages,
and change only with the lesson build or the simulation, so they live at
``/lessons/<id>/data.json?v=<sha256 prefix>``, named by content like a static file: the page
names the current version, a browser keeps that URL for a year (``immutable``), and any other
``v`` (a page rendered before a deploy) still gets the current file, revalidated (``no-cache``),
so no old page breaks. The body is made and compressed (brotli and gzip) once per version, not
per request. The self-study static copy writes it as a file beside the lessons, without ``v``;
the service worker caches it with the pages (``tutor.web.offline``).

``static/js/lesson-data.js`` fetches it once per page; the animation and Run wait for it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import brotli
from flask import Response, abort, current_app, request

from tutor.content import Lesson

from .accept_headers import best_encoding
from .static_delivery import ENCODINGS, IMMUTABLE, REVALIDATE, VERSION_ARG

MEDIA_TYPE = "application/json"
TRACE = "expected_trace"


@dataclass
class LessonData:
    body: bytes
    sha256: str
    complete: bool  # every exercise had its practice cases (the lesson build had finished)
    compressed: dict[str, bytes] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.sha256[:12]

    def encoded(self, encoding: str) -> bytes:
        """The body compressed once per encoding (a learner's browser asks once a version).
        Not ``static_delivery``'s set-up levels: this runs in a request, where brotli 11 took
        0.6 s on the largest file (249 KB) and brotli 9 takes 20 ms."""
        if encoding not in self.compressed:
            if encoding == "br":
                self.compressed[encoding] = brotli.compress(self.body, quality=9)
            else:
                self.compressed[encoding] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self.compressed[encoding]


def needs_data(lesson: Lesson) -> bool:
    return bool(lesson.animation or lesson.exercises)


def scenes_of(animation: str | None) -> dict[str, Any] | None:
    """The animation's scenes, computed once per grader version (the simulation's code)."""
    from .scenes import scenes_for

    if not animation:
        return None
    cache: dict[tuple[str, str], dict[str, Any] | None] = current_app.extensions.setdefault(
        "lesson_scenes", {}
    )
    key = (animation, current_app.extensions["lesson_build"].grader_version)
    if key not in cache or current_app.debug:
        cache[key] = scenes_for(animation)
    return cache[key]


def _make(lesson: Lesson) -> LessonData:
    from .learn import grading

    service = grading()
    traces = {
        e.id: [case.get(TRACE) for case in service.practice_cases(e)] for e in lesson.exercises
    }
    content = {
        "scenes": scenes_of(lesson.animation),
        "drivers": {e.id: e.driver for e in lesson.exercises},
        "traces": traces,
    }
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return LessonData(body, hashlib.sha256(body).hexdigest(), all(traces.values()))


def practice_in_page(lesson: Lesson) -> dict[str, list[dict[str, Any]]]:
    """Each exercise's practice cases as the page carries them: without their expected traces,
    which are in the data file, in the same order."""
    from .learn import grading

    service = grading()
    return {
        e.id: [{k: v for k, v in case.items() if k != TRACE} for case in service.practice_cases(e)]
        for e in lesson.exercises
    }


def data_of(lesson: Lesson) -> LessonData:
    """Made once per (lesson, lesson build, grader version). Not kept while an exercise lacks its
    practice cases (the build that computes them is still running): the next page asks again."""
    if current_app.debug:
        return _make(lesson)
    build = current_app.extensions["lesson_build"]
    cache: dict[tuple[str, str, str], LessonData] = current_app.extensions.setdefault(
        "lesson_data", {}
    )
    key = (lesson.id, build.id, build.grader_version)
    found = cache.get(key)
    if found is None:
        found = _make(lesson)
        if found.complete:
            cache[key] = found
    return found


def data_url(lesson: Lesson) -> str:
    """The page's address for its data, with the current version (none in the static copy,
    where the host decides caching and a file has no query)."""
    values: dict[str, str] = {"lesson_id": lesson.id}
    if not current_app.config.get("SELF_STUDY_ONLY"):
        values[VERSION_ARG] = data_of(lesson).version
    url_for_here = current_app.jinja_env.globals["url_for"]
    return str(url_for_here("learn.lesson_data", **values))  # type: ignore[operator]


def serve(lesson: Lesson | None) -> Response:
    if lesson is None or not needs_data(lesson):
        abort(404)
    data = data_of(lesson)
    encoding = best_encoding(request.headers.get("Accept-Encoding"), ENCODINGS)
    response = Response(data.encoded(encoding) if encoding else data.body, mimetype=MEDIA_TYPE)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    asked = request.args.get(VERSION_ARG)
    response.headers["Cache-Control"] = IMMUTABLE if asked == data.version else REVALIDATE
    response.set_etag(data.version + (f"-{encoding}" if encoding else ""))
    response.make_conditional(request)
    return response
