"""Every Chinese text a learner reads uses the glossary's one term per concept, spaces Chinese and
Latin text, and leaves no English sentence behind; the rules find each kind of mistake."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tutor.content.glossary import GlossaryError, load_glossary, parse_glossary
from tutor.content.zh_review import Finding, review_files, review_passage
from tutor.content.zh_text import Passage, learner_sources, passages
from tutor.web.scenes import layer_stacks

from ..conftest import ROOT

HERE = Path(__file__).resolve().parent


def listing(findings: list[Finding]) -> str:
    return "\n".join(f.describe(ROOT) for f in findings)


def test_every_chinese_text_a_learner_reads_follows_the_glossary_and_spacing() -> None:
    sources = learner_sources(ROOT)
    kinds = {p.suffix for p in sources} | {p.name for p in sources}
    # The surface really includes each kind of file, so an empty result means something.
    assert {".md", ".toml", ".po", ".js", "driver.py"} <= kinds
    assert sum(1 for path in sources for _ in passages(path)) > 300
    findings = review_files(sources)
    assert not findings, "Chinese text to fix:\n" + listing(findings)


def lines_of(findings: list[Finding], rule: str) -> set[tuple[str, int]]:
    return {(f.path.name, f.line) for f in findings if f.rule == rule}


def test_each_kind_of_file_reports_mistakes_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "lesson.zh.md").write_text(
        "## 标题\n\n```python\n# 陷出 inside code is code\n```\n"
        "客户机的访问会陷出，进入 `hypervisor`。\n"
        "请求经过VM 退出，最后在VMM中处理。\n"
        "引用论文 *Virtualizing I/O Devices on a Hosted Virtual Machine Monitor*。\n"
        "这一段 was left in English by mistake 了。\n"
        "本课程所依据的文章写作“本机或裸机”，意思是原生/裸机型。\n",
        encoding="utf-8",
    )
    (tmp_path / "exercise.toml").write_text(
        'id = "x"\n[hints]\nen = ["hint"]\nzh = [\n  "先看网络栈。",\n  "看 \\"vm_exit\\"。",\n]\n',
        encoding="utf-8",
    )
    (tmp_path / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: zh\\n"\n\n'
        'msgid "Submission #%(id)s."\nmsgstr "第 %(id)s 次提交。"\n\n'
        'msgid "Reset"\nmsgstr "恢复起始代码"\n',
        encoding="utf-8",
    )
    (tmp_path / "strings.js").write_text(
        'const S = {\n  zh: {\n    failed: "还差一点：{score}%",\n    ok: "第 {i} 步",\n  },\n};\n',
        encoding="utf-8",
    )
    (tmp_path / "driver.py").write_text(
        'WHY = {"zh": "I/O 栈处理请求"}\n\n\ndef f(n):\n    return {"zh": f"第{n}步"}\n',
        encoding="utf-8",
    )
    (tmp_path / "starter.zh.py").write_text(
        'def path(kind):\n    """返回请求经过的各层。"""\n    # 用户空间程序\n    return []\n',
        encoding="utf-8",
    )
    findings = review_files(sorted(tmp_path.iterdir()))
    assert lines_of(findings, "glossary") == {
        ("lesson.zh.md", 6),
        ("exercise.toml", 5),
        ("messages.po", 6),
        ("messages.po", 9),
        ("strings.js", 3),
        ("driver.py", 1),
        ("starter.zh.py", 3),
    }, listing(findings)
    assert lines_of(findings, "spacing") == {("lesson.zh.md", 7), ("driver.py", 5)}
    # A cited title in italics is not untranslated text; a sentence left in English is.
    assert lines_of(findings, "untranslated") == {("lesson.zh.md", 9)}
    messages = {f.message for f in findings}
    assert any("'陷出'" in m and "'陷入'" in m for m in messages)
    assert any("经过VM" in m for m in messages) and any("在VMM中" in m for m in messages)


def test_correct_chinese_raises_nothing() -> None:
    glossary = load_glossary()
    ordinary = [
        "宿主机内核调度并执行该 I/O。",  # 调度 is an ordinary verb
        "你的代码很可能陷入了死循环。",
        "大型主机上的虚拟化始于 IBM。",
        "这是你的第一次提交。",
        "提交编号 #14，已在服务器上评测。",
        "收到 HLT 退出后，从 run_vm 返回（离开循环）。",
        "类型 1（原生/裸机型）与类型 2（托管型）；VMM（虚拟机监视器）。",
        "I/O（输入输出）堆栈、网络堆栈、进程调度程序。",
        "按 Ctrl+Z（⌘+Z）撤销，“提交”仍然可用。",
    ]
    ordinary += [term.zh for term in glossary.terms]
    for text in ordinary:
        found = review_passage(Passage(Path("x"), 1, text, text), glossary)
        assert not found, f"{text!r}: {listing(found)}"


def test_seed_wording_is_allowed_only_as_a_quotation() -> None:
    glossary = load_glossary()
    assert not glossary.misuses("原文写作“本机或裸机”，指的是原生/裸机型。")
    assert [m.found for m in glossary.misuses("类型 1：本机或裸机型")] == ["本机或裸机"]
    assert [m.found for m in glossary.misuses("它是本机（裸机）型")] == ["本机（裸机）"]


def test_overlapping_variants_are_reported_once_by_the_longest() -> None:
    found = load_glossary().misuses("进程调度器和调度器")
    assert [(m.found, m.term.id) for m in found] == [
        ("进程调度器", "process-scheduler"),
        ("调度器", "scheduler"),
    ]


def test_a_glossary_that_forbids_its_own_term_is_refused() -> None:
    text = (
        '[[term]]\nid = "trap"\nen = "trap"\nzh = "陷入"\nforbidden = ["陷出"]\n'
        '[[term]]\nid = "bad"\nen = "x"\nzh = "陷出"\n'
        '[[term]]\nid = "trap"\nen = "again"\nzh = "陷阱"\nquoted = ["陷阱"]\n'
    )
    with pytest.raises(GlossaryError) as info:
        parse_glossary(text)
    problems = "\n".join(info.value.problems)
    assert "bad: its own term '陷出'" in problems
    assert "trap: id used twice" in problems
    assert "quoted '陷阱' is not a forbidden variant" in problems


def test_glossary_covers_the_seed_components_and_the_curriculum() -> None:
    glossary = load_glossary()
    zh = {term.id: term.zh for term in glossary.terms}
    assert [zh[k] for k in ("memory-manager", "process-scheduler", "io-stack")] == [
        "内存管理器",
        "进程调度程序",
        "I/O 堆栈",
    ]
    assert [zh[k] for k in ("device-drivers", "security-manager", "network-stack")] == [
        "设备驱动程序",
        "安全管理器",
        "网络堆栈",
    ]
    for key in ("trap", "vm-exit", "user-space", "host", "guest", "hypervisor", "type1", "type2"):
        assert key in zh
    assert "陷出" in glossary.term("trap").forbidden
    # Part II terms are there before their lessons are written.
    for key in ("credit-scheduler", "live-migration", "ffd", "shadow-page-table", "ballooning"):
        assert key in zh


def render_chinese_ui(tmp_path: Path) -> dict[str, Any]:
    """Every sentence the animation and the exercise UI can show in Chinese, rendered by the real
    JS (copied beside a package.json so node loads it as ES modules)."""
    js = tmp_path / "js"
    shutil.copytree(ROOT / "static" / "js", js, ignore=shutil.ignore_patterns("vendor"))
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    describe = (ROOT / "static/js/viz/describe.js").read_text(encoding="utf-8")
    ui_block = re.search(r"const UI = \{.*?\n  zh: \{(.*?)\n  \},", describe, re.DOTALL)
    strings = (ROOT / "static/js/strings.js").read_text(encoding="utf-8")
    strings_block = re.search(r"\n  zh: \{(.*?)\n  \},", strings, re.DOTALL)
    assert ui_block and strings_block
    keys = {
        "ui": re.findall(r"^\s+(\w+):", ui_block.group(1), re.MULTILINE),
        "strings": re.findall(r"^\s+(\w+):", strings_block.group(1), re.MULTILINE),
    }
    assert len(keys["ui"]) > 10 and len(keys["strings"]) > 20
    keys["why"] = layer_stacks()["why"]  # the narration's explanations, as the page gets them
    shutil.copy(HERE / "render_zh.mjs", tmp_path / "render_zh.mjs")
    out = subprocess.run(
        ["node", str(tmp_path / "render_zh.mjs"), str(js), json.dumps(keys)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(out.stdout))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.fail("node is needed to render the JS strings (Debian: apt-get install nodejs)")
    return render_chinese_ui(tmp_path_factory.mktemp("render"))


def test_animation_and_ui_sentences_in_chinese_follow_the_rules(rendered: dict[str, Any]) -> None:
    sentences = rendered["sentences"]
    assert len(sentences) > 500
    glossary = load_glossary()
    problems = [
        f"{text!r}: {f.rule}: {f.message}"
        for text in sentences
        for f in review_passage(Passage(Path("rendered"), 0, text, text), glossary)
    ]
    assert not problems, "\n".join(sorted(set(problems))[:40])
    # The issue's own examples are rendered with their spaces.
    assert any(s.startswith("磁盘读取经过 VM 退出（1,200 个周期）") for s in sentences)
    assert any(s.startswith("在 VMM 中，") for s in sentences)


def test_the_animation_names_things_by_the_glossary(rendered: dict[str, Any]) -> None:
    names = rendered["names"]
    glossary = load_glossary()
    components = {
        "memory_manager": "memory-manager",
        "scheduler": "process-scheduler",
        "io_stack": "io-stack",
        "device_drivers": "device-drivers",
        "security_manager": "security-manager",
        "network_stack": "network-stack",
    }
    for key, term_id in components.items():
        assert names["component"][key]["zh"] == [glossary.term(term_id).zh] * 2, key
    hv = {key: value["zh"] for key, value in names["hv"].items()}
    assert hv["type2"] == glossary.term("type2").zh
    # Type 1 comes in two designs; each name says type 1 and the design in the glossary's words.
    assert hv["type1"].startswith("类型 1") and glossary.term("monolithic").zh in hv["type1"]
    if "type1_partition" in hv:
        partition = glossary.term("privileged-partition").zh
        assert hv["type1_partition"].startswith("类型 1") and partition in hv["type1_partition"]
    assert names["layer"]["vm_exit"]["zh"][0] == glossary.term("vm-exit").zh
    assert names["layer"]["world_switch"]["zh"][0] == glossary.term("world-switch").zh
