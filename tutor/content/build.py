"""Versioned lesson builds: what every process grades against, named by content.

A build is the lessons folder as it is now, hashed: each exercise gets a version (the hash of
every file in its folder), the whole build an id (the hash of every lesson file), and the
grader a version (the hash of the grading and simulation code the drivers import). The web app,
each grader worker and the offline export compute the same build from the same files, so a
submission's ``exercise_version`` names exactly what graded it, wherever it was graded, and a
re-grade after a fix can tell which submissions were graded against an older version.

``publish`` keeps a copy of each build's files and its manifest under
``instance/lesson-builds/<build id>/`` (written once, atomically; later runs of an unchanged
build only read it), so what a past submission was graded against stays readable after the
lessons change.

The build also holds what the lesson pages need from the reference solutions: each exercise's
**practice cases** with their expected outputs (``practice-<grader version>.json``: the
expected outputs depend on the simulation as well as on the lessons). They are computed here,
by ``flask tutor build-lessons`` or ``python -m tutor.content.build`` — a process of their own —
so a web process only reads them and never runs a reference solution (issue #10).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Catalog

PACKAGE = Path(__file__).resolve().parents[1]
# The code an exercise's grading runs besides its own folder: the judge and the simulation.
GRADER_SOURCES = ("grading", "sim")
MANIFEST = "manifest.json"
PRACTICE = "practice-{grader_version}.json"
# exercise id -> the practice cases the lesson page carries (name, title, args, expected, ...)
Practice = dict[str, list[dict[str, Any]]]
_SKIPPED = {"__pycache__", ".pytest_cache"}


@dataclass(frozen=True)
class LessonBuild:
    id: str
    grader_version: str
    exercises: dict[str, str] = field(default_factory=dict)  # exercise id -> version

    def to_json(self) -> dict[str, object]:
        return {
            "build": self.id,
            "grader_version": self.grader_version,
            "exercises": self.exercises,
        }


def _files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not _SKIPPED.intersection(path.relative_to(folder).parts)
    )


def tree_hash(folder: Path) -> str:
    """Every file's relative path and bytes, in a fixed order: equal trees, equal hashes."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\x00")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def grader_version() -> str:
    digest = hashlib.sha256()
    for name in GRADER_SOURCES:
        for path in _files(PACKAGE / name):
            if path.suffix == ".py":
                digest.update(f"{name}/{path.relative_to(PACKAGE / name).as_posix()}".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def compute(exercise_folders: dict[str, Path], lessons: Path) -> LessonBuild:
    """The build of ``lessons`` whose exercises (id -> folder) the catalog loaded."""
    return LessonBuild(
        id=tree_hash(lessons)[:16],
        grader_version=grader_version(),
        exercises={
            exercise_id: tree_hash(folder)[:16] for exercise_id, folder in exercise_folders.items()
        },
    )


def stamp(catalog: Catalog, lessons: Path) -> LessonBuild:
    """Compute the build of the loaded ``catalog`` and give each exercise its version."""
    build = compute({exercise.id: exercise.folder for exercise in catalog.exercises()}, lessons)
    for exercise in catalog.exercises():
        exercise.version = build.exercises[exercise.id]
    return build


def compute_practice(catalog: Catalog) -> tuple[Practice, list[str]]:
    """Each exercise's practice cases with the reference's outputs, run in this (building)
    process; an exercise whose reference fails is left out and named in the problems."""
    from tutor.grading.judge import Judge
    from tutor.grading.runner import InProcessRunner

    judge = Judge(InProcessRunner())  # the lessons' own solutions: trusted code
    practice: Practice = {}
    problems: list[str] = []
    for exercise in catalog.exercises():
        try:
            practice[exercise.id] = judge.practice_payload(exercise)
        except Exception as exc:
            problems.append(f"{exercise.id}: its practice cases cannot be computed: {exc}")
    return practice, problems


def practice_path(build: LessonBuild, builds: Path) -> Path:
    return builds / build.id / PRACTICE.format(grader_version=build.grader_version)


def publish(
    build: LessonBuild, lessons: Path, builds: Path, practice: Practice | None = None
) -> Path:
    """Keep the build's files and manifest under ``builds/<id>`` (and ``practice`` beside
    them); safe when several processes publish the same build at once (each writes a private
    folder or file, the first rename wins)."""
    target = builds / build.id
    if not (target / MANIFEST).is_file():
        _publish_files(build, lessons, builds)
    if practice is not None and not practice_path(build, builds).is_file():
        _write_atomically(
            practice_path(build, builds),
            json.dumps(
                {
                    "build": build.id,
                    "grader_version": build.grader_version,
                    "exercises": {
                        exercise_id: {"version": build.exercises.get(exercise_id), "cases": cases}
                        for exercise_id, cases in practice.items()
                    },
                },
                allow_nan=False,
            ),
        )
    return target


def _write_atomically(path: Path, text: str) -> None:
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)


def read_practice(build: LessonBuild, builds: Path) -> Practice | None:
    """The practice cases of ``build`` as published, each only if it belongs to the exercise's
    version in ``build``; ``None`` when none were published for this build and grader."""
    try:
        raw = json.loads(practice_path(build, builds).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return {
        str(exercise_id): list(entry["cases"])
        for exercise_id, entry in raw["exercises"].items()
        if entry.get("version") == build.exercises.get(exercise_id)
    }


def _publish_files(build: LessonBuild, lessons: Path, builds: Path) -> None:
    target = builds / build.id
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{build.id}-", dir=builds))
    try:
        shutil.copytree(lessons, staging / "lessons", ignore=shutil.ignore_patterns(*_SKIPPED))
        (staging / MANIFEST).write_text(json.dumps(build.to_json(), indent=2, sort_keys=True))
        try:
            os.rename(staging, target)
        except OSError:  # another process published it first
            if not (target / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read(builds: Path, build_id: str) -> LessonBuild:
    """A published build's manifest (what the offline export and a re-grade report read)."""
    raw = json.loads((builds / build_id / MANIFEST).read_text())
    return LessonBuild(
        id=str(raw["build"]),
        grader_version=str(raw["grader_version"]),
        exercises={str(k): str(v) for k, v in raw["exercises"].items()},
    )


def build_lessons(lessons: Path, builds: Path) -> tuple[LessonBuild, Path, list[str]]:
    """Load, version, compute the practice cases and publish: the whole build, in this process."""
    from .loader import load_catalog

    catalog = load_catalog(lessons)
    build = stamp(catalog, lessons)
    practice, problems = compute_practice(catalog)
    return build, publish(build, lessons, builds, practice), problems


def main(argv: list[str]) -> int:
    """``python -m tutor.content.build LESSONS BUILDS``: what a web process runs, as a child,
    when the build it serves has no practice cases yet."""
    if len(argv) != 2:
        print("usage: python -m tutor.content.build LESSONS_DIR LESSON_BUILDS_DIR", file=sys.stderr)
        return 2
    build, folder, problems = build_lessons(Path(argv[0]), Path(argv[1]))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"lesson build {build.id} (grader {build.grader_version}) in {folder}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
