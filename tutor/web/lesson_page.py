"""The lesson page: its shared part rendered once, its learner's part on every request.

Almost all of a lesson page is the same for everyone who reads it in one language: the text,
the animation's scenes (a real ``tutor.sim`` run each), the practice cases and the exercises.
Rendering that on every request re-ran the simulation and serialised hundreds of kilobytes of
JSON. So the ``main`` block of ``lesson.html`` is rendered once per (page path, language, lesson
build, grader version, asset mode, self-study mode) and kept; the scenes once per (animation,
grader version), shared by both languages. The lesson build and grader version
(``tutor.content.build``) change whenever a lesson file or the simulation code does.

What belongs to one learner is never in the shared part: the template asks for it with
``learner_part(name, ...)``, which leaves a marker there, and each request fills the markers
(``_learner_parts.html``: best score and course deadline per exercise, the last concept-check
answers; the session's CSRF token). While the shared part renders, the per-learner helpers
refuse to run, so a template change that reached for a learner's data there would fail loudly
instead of showing one learner's progress to everyone.

``DEBUG`` renders everything on every request (templates change while developing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, get_template_attribute, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from tutor.content import Lesson

MARK = "\x00"  # never in rendered HTML text: Jinja output of lesson content cannot hold NUL
SEP = "\x1f"
SHARING = "rendering_shared_lesson"
PER_LEARNER_HELPERS = ("exercise_progress", "concept_progress", "course_assignment")

Part = str | tuple[str, tuple[str, ...]]


class PerLearnerInSharedPart(RuntimeError):
    """A template used one learner's data where the page is shared by every learner."""


def learner_part(name: str, *args: object) -> Markup:
    """A per-learner part of a lesson page: a marker while the shared part renders, else the
    part itself (any other template may use it too)."""
    values = tuple(str(arg) for arg in args)
    if g.get(SHARING):
        return Markup(f"{MARK}{name}{SEP}{SEP.join(values)}{MARK}")
    return _filled(name, values)


def _refuse(name: str) -> Callable[..., Any]:
    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise PerLearnerInSharedPart(
            f"lesson.html used {name}() in the part shared by every learner; "
            "use learner_part() (tutor/web/lesson_page.py)"
        )

    return refuse


def _split(html: str) -> list[Part]:
    parts: list[Part] = []
    for index, piece in enumerate(html.split(MARK)):
        if index % 2:
            name, _, args = piece.partition(SEP)
            parts.append((name, tuple(args.split(SEP)) if args else ()))
        elif piece:
            parts.append(piece)
    return parts


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


def _key(lesson: Lesson) -> tuple[object, ...]:
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
        bool(current_app.config.get("SELF_STUDY_ONLY")),
    )


def _shared(lesson: Lesson) -> list[Part]:
    pages: dict[tuple[object, ...], list[Part]] = current_app.extensions.setdefault(
        "lesson_pages", {}
    )
    key = _key(lesson)
    found = pages.get(key)
    if found is not None and not current_app.debug:
        return found
    from .learn import grading

    template = current_app.jinja_env.get_template("lesson.html")
    context: dict[str, Any] = {
        "lesson": lesson,
        "practice": {e.id: grading().practice_cases(e) for e in lesson.exercises},
        "scenes": scenes_of(lesson.animation),
    }
    current_app.update_template_context(context)
    context.update({name: _refuse(name) for name in PER_LEARNER_HELPERS})
    context["csrf_token"] = _csrf_marker
    g.setdefault(SHARING, False)
    setattr(g, SHARING, True)
    try:
        html = "".join(template.blocks["main"](template.new_context(context)))
    finally:
        setattr(g, SHARING, False)
    parts = _split(html)
    pages[key] = parts
    return parts


# -- the learner's parts ------------------------------------------------------------------------


def _memo(name: str, make: Callable[[], Any]) -> Any:
    """Once per request: every exercise's part reads the same query."""
    key = f"_lesson_page_{name}"
    if key not in g:
        setattr(g, key, make())
    return g.get(key)


def _exercise_standing(exercise_id: str) -> Markup:
    from .progress import exercise_progress
    from .schedule import course_assignment, now

    tried = _memo("progress", exercise_progress).get(exercise_id)
    macro = get_template_attribute("_learner_parts.html", "exercise_standing")
    return Markup(macro(tried, course_assignment(exercise_id), now()))


def _check_recorded(lesson_id: str, question: str) -> Markup:
    from .progress import concept_progress

    answers = _memo(f"checks_{lesson_id}", lambda: concept_progress(lesson_id))
    macro = get_template_attribute("_learner_parts.html", "check_recorded")
    return Markup(macro(answers.get(int(question))))


FILLERS: dict[str, Callable[..., Markup]] = {
    "exercise-standing": _exercise_standing,
    "check-recorded": _check_recorded,
    "csrf": lambda: Markup.escape(generate_csrf()),
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


def render(lesson: Lesson) -> str:
    parts = _shared(lesson)
    main = "".join(part if isinstance(part, str) else _filled(*part) for part in parts)
    return render_template("lesson.html", lesson=lesson, shared_main=Markup(main))
