"""Versioned lesson builds: a content hash per exercise that every process computes alike."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from tutor.content import build as lesson_build
from tutor.grading.variants import learner_variant_seed

from ..conftest import ROOT

LESSON = ROOT / "lessons/05-hypervisors"


def _copy(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSON, lessons / LESSON.name, ignore=shutil.ignore_patterns("__pycache__"))
    folders = {p.name: p for p in sorted((lessons / LESSON.name / "exercises").iterdir())}
    return lessons, folders


def test_changing_one_exercise_changes_its_version_and_the_build_only(tmp_path: Path) -> None:
    lessons, folders = _copy(tmp_path)
    before = lesson_build.compute(folders, lessons)
    driver = folders["io-path"] / "driver.py"
    original = driver.read_text()
    driver.write_text(original + "\n# a fix\n")
    after = lesson_build.compute(folders, lessons)
    changed = {e for e in before.exercises if before.exercises[e] != after.exercises[e]}
    assert changed == {"io-path"}
    assert after.id != before.id
    assert after.grader_version == before.grader_version
    driver.write_text(original)  # the same content is the same build again
    assert lesson_build.compute(folders, lessons) == before


def test_the_same_files_elsewhere_are_the_same_build(tmp_path: Path) -> None:
    """A grader machine with its own checkout computes the versions the web machine did."""
    here, here_folders = _copy(tmp_path / "web")
    there, there_folders = _copy(tmp_path / "grader")
    (here / LESSON.name / "__pycache__").mkdir()  # caches are not content
    (here / LESSON.name / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert lesson_build.compute(here_folders, here) == lesson_build.compute(there_folders, there)


def test_every_exercise_of_the_app_carries_its_version(app: Flask) -> None:
    build = app.extensions["lesson_build"]
    exercises = app.extensions["catalog"].exercises()
    assert exercises and all(e.version == build.exercises[e.id] for e in exercises)
    assert len({e.version for e in exercises}) == len(exercises)


def test_build_lessons_publishes_a_manifest_once(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    builds = tmp_path / "builds"
    app.config["LESSON_BUILDS_DIR"] = str(builds)
    build = app.extensions["lesson_build"]
    # Four processes starting at once publish the same build: one copy, no error.
    threads = [
        threading.Thread(target=lesson_build.publish, args=(build, ROOT / "lessons", builds))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = runner.invoke(args=["tutor", "build-lessons"])
    assert result.exit_code == 0, result.output
    assert f"lesson build {build.id}" in result.output
    assert f"io-path {build.exercises['io-path']}" in result.output
    assert [p.name for p in builds.iterdir()] == [build.id]
    assert lesson_build.read(builds, build.id) == build
    kept = builds / build.id / "lessons" / LESSON.name / "exercises/io-path"
    solution = LESSON / "exercises/io-path/solution.py"
    assert (kept / "solution.py").read_text() == solution.read_text()


def test_variant_seeds_follow_course_and_learner_ids_not_names() -> None:
    seed = learner_variant_seed(7, "learner-a", "io-path")
    assert seed == learner_variant_seed(7, "learner-a", "io-path")
    others = {
        learner_variant_seed(8, "learner-a", "io-path"),
        learner_variant_seed(7, "learner-b", "io-path"),
        learner_variant_seed(7, "learner-a", "faster-io"),
    }
    assert seed not in others and len(others) == 3
    assert all(0 <= s < 2**63 for s in others | {seed})  # fits PostgreSQL's signed BIGINT
