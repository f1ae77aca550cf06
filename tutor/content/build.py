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
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .model import Catalog

PACKAGE = Path(__file__).resolve().parents[1]
# The code an exercise's grading runs besides its own folder: the judge and the simulation.
GRADER_SOURCES = ("grading", "sim")
MANIFEST = "manifest.json"
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


def publish(build: LessonBuild, lessons: Path, builds: Path) -> Path:
    """Keep the build's files and manifest under ``builds/<id>``; safe when several processes
    publish the same build at once (each writes a private folder, the first rename wins)."""
    target = builds / build.id
    if (target / MANIFEST).is_file():
        return target
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
    return target


def read(builds: Path, build_id: str) -> LessonBuild:
    """A published build's manifest (what the offline export and a re-grade report read)."""
    raw = json.loads((builds / build_id / MANIFEST).read_text())
    return LessonBuild(
        id=str(raw["build"]),
        grader_version=str(raw["grader_version"]),
        exercises={str(k): str(v) for k, v in raw["exercises"].items()},
    )
