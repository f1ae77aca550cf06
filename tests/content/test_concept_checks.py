"""Concept-check questions make the learner think: a stem never gives its answer away.

A stem that says VirtualBox "runs as an application on Windows" has already said "hosted"; a stem
that mentions QEMU before asking where a device is emulated has said "in QEMU". These rules hold
for every check of every lesson, in both languages:

- the stem does not contain the right option, nor a word that only the right option has;
- the stem does not contain a phrase that defines the right option's category (the tells below);
- the right option is not conspicuously the longest one (twice the next, or more).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.content.glossary import load_glossary
from tutor.content.loader import load_catalog
from tutor.content.model import CheckQuestion

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [
    pytest.param(lesson.id, i, check, id=f"{lesson.id}-{i}")
    for lesson in load_catalog(ROOT / "lessons").lessons
    for i, check in enumerate(lesson.checks)
]
GLOSSARY_ZH = sorted({term.zh for term in load_glossary().terms}, key=len, reverse=True)

STOPWORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "does",
        "do",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "the",
        "their",
        "them",
        "then",
        "this",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whose",
        "with",
        "yes",
    ]
)
# Phrases that define a category: a stem with one of them has answered "which category?".
TELLS = {
    "hosted": ("application", "host operating system", "on top of windows", "on windows"),
    "type 2": ("application", "host operating system", "on windows"),
    "bare metal": ("directly on the", "bare metal", "on the hardware"),
    "type 1": ("directly on the", "bare metal", "on the hardware"),
    "托管": ("应用程序", "宿主机操作系统"),
    "裸机": ("直接运行在", "硬件上"),
}


def words(text: str) -> set[str]:
    """Content words; numbers are left out, since a quantitative stem states the data its
    answer works with (a guest of 16 GiB, and the answer that 16 GiB fits nowhere)."""
    return {
        w
        for w in re.findall(r"[a-z0-9][a-z0-9_'-]*", text.lower())
        if w not in STOPWORDS and not re.fullmatch(r"[\d.,]+", w)
    }


def zh_terms(text: str) -> set[str]:
    """The glossary terms (and Latin words) a Chinese text uses."""
    found = {term for term in GLOSSARY_ZH if term in text}
    return found | words(text)


def distinguishing(answer: set[str], others: list[set[str]]) -> set[str]:
    return answer - set().union(*others)


def give_aways(check: CheckQuestion) -> list[str]:
    """What a check's stems say that only the right option says, in either language."""
    problems = []
    for lang, split in (("en", words), ("zh", zh_terms)):
        stem = check.question[lang]
        options = check.options[lang]
        answer = options[check.answer]
        wrong = [o for i, o in enumerate(options) if i != check.answer]
        if answer.lower() in stem.lower():
            problems.append(f"{lang}: the stem contains the answer {answer!r}")
        shared = distinguishing(split(answer), [split(o) for o in wrong]) & split(stem)
        if shared:
            problems.append(f"{lang}: the stem says {sorted(shared)}, which only the answer has")
        for key, phrases in TELLS.items():
            if key in answer.lower() and not any(key in o.lower() for o in wrong):
                told = [phrase for phrase in phrases if phrase in stem.lower()]
                if told:
                    problems.append(f"{lang}: the stem's {told} tells {key!r}")
    return problems


@pytest.mark.parametrize(("lesson", "index", "check"), CHECKS)
def test_a_stem_never_contains_its_answer(lesson: str, index: int, check: CheckQuestion) -> None:
    assert give_aways(check) == [], f"{lesson} check {index}"


@pytest.mark.parametrize(("lesson", "index", "check"), CHECKS)
def test_the_answer_is_not_the_conspicuously_longest_option(
    lesson: str, index: int, check: CheckQuestion
) -> None:
    for lang in ("en", "zh"):
        options = check.options[lang]
        wrong = [len(o) for i, o in enumerate(options) if i != check.answer]
        assert len(options[check.answer]) < 2 * max(wrong), (lesson, index, lang)


def test_the_rules_catch_the_stems_the_issue_named() -> None:
    """The two stems a teacher flagged fail these rules; the rules are not vacuous."""
    virtualbox = CheckQuestion(
        question={
            "en": "Oracle VirtualBox runs as an application on Windows. Which type is it?",
            "zh": "Oracle VirtualBox 作为应用程序运行在 Windows 上。它属于哪种类型？",
        },
        options={
            "en": ["Type 1 (bare metal)", "Type 2 (hosted)"],
            "zh": ["类型 1（原生/裸机型）", "类型 2（托管型）"],
        },
        answer=1,
        explain={"en": "", "zh": ""},
    )
    assert any("tells 'hosted'" in problem for problem in give_aways(virtualbox))
    qemu = CheckQuestion(
        question={
            "en": "With KVM and QEMU, where is the disk controller emulated?",
            "zh": "使用 KVM 和 QEMU 时，磁盘控制器在哪里被模拟？",
        },
        options={
            "en": ["In the kvm kernel module", "In QEMU, after KVM_RUN returns"],
            "zh": ["在 kvm 内核模块中", "在 QEMU 中，KVM_RUN 返回之后"],
        },
        answer=1,
        explain={"en": "", "zh": ""},
    )
    assert any("'qemu'" in problem for problem in give_aways(qemu))
