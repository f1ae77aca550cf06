"""The explanations catalogue: one text per id in both languages, read by drivers, narration and
lesson Markdown; an unknown id or a missing language stops the site from starting."""

from __future__ import annotations

import json
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

import tutor.explanations as catalogue
from tutor.content import load_catalog
from tutor.content.checker import check_catalog
from tutor.explanations import ExplanationError, UnknownExplanation, explain, table
from tutor.web.scenes import layer_stacks

from ..conftest import FIXTURE_LESSONS, ROOT, lesson_problems

LESSON = "01-fixture"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, root)
    return root


def test_every_explanation_has_both_languages_and_the_same_placeholders() -> None:
    assert catalogue.problems() == []
    entries = catalogue.catalogue()
    assert len(entries) > 50
    assert all(text["en"].strip() and text["zh"].strip() for text in entries.values())


def test_explain_fills_placeholders_and_refuses_unknown_ids() -> None:
    text = explain("overhead.difference", total=900, native=300)
    assert "900 - 300" in text["en"] and "900 - 300" in text["zh"]
    with pytest.raises(
        UnknownExplanation, match=re.escape("no explanation 'layers.needs.nowhere'")
    ):
        explain("layers.needs.nowhere")
    with pytest.raises(UnknownExplanation, match="no explanation topic 'nope'"):
        explain("nope.x")
    with pytest.raises(UnknownExplanation, match="use table"):
        explain("layers.needs")
    assert table("layers.crossed_in")["privileged"]["vm_exit"]["zh"]


def test_a_table_is_the_callers_to_change_but_its_texts_are_not() -> None:
    """Tables are built once and handed out many times (once per case a driver explains): a
    caller that changes its table must not change the next caller's."""
    first = table("layers.crossed_in")
    first["privileged"].pop("vm_exit")
    first["invented"] = {}
    again = table("layers.crossed_in")
    assert "vm_exit" in again["privileged"] and "invented" not in again
    text = again["privileged"]["vm_exit"]
    with pytest.raises(TypeError, match="copy it"):
        text["en"] = "changed"
    with pytest.raises(TypeError, match="copy it"):
        text.update(en="changed")
    edited = dict(text)
    edited["en"] = "changed"
    assert table("layers.crossed_in")["privileged"]["vm_exit"]["en"] != "changed"
    assert json.loads(json.dumps(again))["privileged"]["vm_exit"] == edited | {"en": text["en"]}


def test_a_topic_missing_a_language_fails_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = types.ModuleType("tutor.explanations.broken")
    broken.EXPLANATIONS = {  # type: ignore[attr-defined]
        "half": {"en": "only in English"},
        "fields": {"en": "{a} of {b}", "zh": "{a}"},
    }
    monkeypatch.setitem(sys.modules, "tutor.explanations.broken", broken)
    monkeypatch.setattr(catalogue, "topics", lambda: ["broken", "layers"])
    with pytest.raises(ExplanationError) as raised:
        explain("broken.half")
    assert "broken.half.zh: missing or empty" in str(raised.value)
    assert "broken.fields: en and zh use different {placeholders}" in str(raised.value)
    # The loader lists it with the lesson problems, so the site does not start.
    catalogue._topics.pop("broken", None)
    problems = lesson_problems(FIXTURE_LESSONS)
    assert any("tutor/explanations/broken.py" in p and "half.zh" in p for p in problems)


def test_markdown_inserts_an_explanation_in_the_files_language() -> None:
    lesson = load_catalog(FIXTURE_LESSONS).lesson("fixture-lesson")
    assert lesson is not None
    twice = explain("layers.twice")
    assert twice["en"] in lesson.body_html["en"] and twice["zh"] in lesson.body_html["zh"]
    assert ":explain[" not in lesson.body_html["en"] + lesson.body_html["zh"]


def test_an_unknown_id_in_markdown_or_a_driver_is_refused(lessons: Path) -> None:
    text = lessons / LESSON / "lesson.zh.md"
    text.write_text(text.read_text().replace("layers.twice", "layers.twise"))
    driver = lessons / LESSON / "exercises/walk/driver.py"
    # Read only inside compare(): the loader still finds it without running it.
    driver.write_text(
        driver.read_text().replace(
            "    return Feedback(reveal)",
            "    explain(f'layers.endz.{args}')\n    return Feedback(reveal)",
        )
    )
    problems = lesson_problems(lessons)
    assert any(
        "lesson.zh.md: :explain[layers.twise]: no explanation 'layers.twise'" in p for p in problems
    )
    assert any(
        "walk/driver.py: line" in p and "explain('layers.endz'): no such explanation" in p
        for p in problems
    )


def test_the_narration_gets_the_same_sentences_as_the_feedback() -> None:
    why = layer_stacks()["why"]
    assert why["crossed"]["vm_exit"] == explain("layers.crossed.vm_exit")
    assert why["crossed_in"]["vhost"]["vm_exit"] == explain("layers.crossed_in.vhost.vm_exit")
    describe = (Path(__file__).resolve().parents[2] / "static/js/viz/describe.js").read_text()
    # No copy of a catalogue sentence in the page's script.
    assert explain("layers.crossed.world_switch")["en"] not in describe


def test_the_fixture_lesson_passes_check_lessons() -> None:
    assert check_catalog(load_catalog(FIXTURE_LESSONS)) == []


def test_a_credit_shortfall_from_rounding_each_vcpu_is_blamed_on_the_split() -> None:
    """Sharing by each vCPU's weight (a domain's weight not counted once per active vCPU) left
    one credit unpaid by rounding, and the feedback said credits were "kept back" for
    domains under their cap: the learner rewrote a redistribution that was right."""
    from tutor.grading.harness import practice
    from tutor.grading.judge import Judge
    from tutor.grading.runner import InProcessRunner

    exercise = load_catalog(ROOT / "lessons").exercise("credit-scheduler")
    assert exercise is not None
    solution = exercise.solution
    by_vcpu = (
        "def account(vcpus, pcpus):\n"
        "    active = [v for v in vcpus if v['active']]\n"
        "    total = sum(v['weight'] for v in active)\n"
        "    earned = {}\n"
        "    for v in active:\n"
        "        share = 300 * pcpus * v['weight'] // total\n"
        "        if v['cap']:\n"
        "            share = min(share, v['cap'] * 3)\n"
        "        earned[v['name']] = min(share, 300)\n"
        "    return earned\n\n\n" + solution[solution.index("def priority") :]
    )
    report = practice(
        by_vcpu, exercise.driver, Judge(InProcessRunner()).practice_payload(exercise), 100_000
    )
    said = {case: p["message"]["en"] for p in report["problems"] for case in p["cases"]}
    message = said["one pCPU: 2 vCPUs of 256 against 1 of 300"]
    assert "once per active vCPU" in message and "kept the rest" not in message
