"""Lesson 5's text, in both languages, says what the model does: the same designs with the same
examples, the same cycle counts, the same percentages, and none of the claims a virtualization
teacher corrected (a page-table base load that exits without shadow paging, KVM emulating no
device at all, type 1 as "part of the operating system" without the nuance)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.sim import Hypervisor, Kind, examples_of
from tutor.sim.hypervisor import OPERATIONS, native_cycles

LESSON = Path(__file__).resolve().parents[2] / "lessons" / "05-hypervisors"
TEXT = {lang: (LESSON / f"lesson.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "zh")}

# How each text names the designs in its table headers, and the operations in its cost table.
HEADERS = {
    "en": {
        Kind.TYPE1: "Type 1, monolithic",
        Kind.TYPE1_PARTITION: "Type 1, privileged partition",
        Kind.TYPE2: "Type 2 (hosted)",
        Kind.KVM: "KVM",
    },
    "zh": {
        Kind.TYPE1: "类型 1 · 单体式",
        Kind.TYPE1_PARTITION: "类型 1 · 特权分区式",
        Kind.TYPE2: "类型 2（托管型）",
        Kind.KVM: "KVM",
    },
}
NATIVE = {"en": "Native", "zh": "原生"}
EXAMPLES_ROW = {"en": "Examples", "zh": "例子"}
LIST_SEPARATOR = {"en": ", ", "zh": "、"}
OPERATION_ROWS = {
    "en": {
        "disk_read": "disk read",
        "net_send": "network send",
        "privileged": "privileged instruction",
    },
    "zh": {"disk_read": "磁盘读取", "net_send": "网络发送", "privileged": "特权指令"},
}


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of the text, as rows of stripped cells (the rule row left out)."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                rows.append(cells)
        elif rows:
            found.append(rows)
            rows = []
    return found


def table_with(text: str, header: str, row: str) -> list[list[str]]:
    """The one table whose header row has ``header`` and which has a row named ``row``."""
    matches = [t for t in tables(text) if header in t[0] and any(r[0] == row for r in t)]
    assert len(matches) == 1, f"expected one table with {header!r} and a row {row!r}"
    return matches[0]


def cycles(cell: str) -> int:
    return int(cell.replace(",", ""))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cost_table_prints_the_models_cycles(lang: str) -> None:
    table = table_with(TEXT[lang], NATIVE[lang], OPERATION_ROWS[lang]["net_send"])
    header = table[0]
    column = {kind: header.index(HEADERS[lang][kind]) for kind in Kind}
    rows = {row[0]: row for row in table[1:]}
    for operation in OPERATIONS:
        row = rows[OPERATION_ROWS[lang][operation]]
        assert cycles(row[header.index(NATIVE[lang])]) == native_cycles(operation)
        for kind in Kind:
            assert cycles(row[column[kind]]) == Hypervisor(kind).perform(operation), (kind, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_comparison_table_lists_the_models_examples_per_design(lang: str) -> None:
    table = table_with(TEXT[lang], HEADERS[lang][Kind.TYPE1_PARTITION], EXAMPLES_ROW[lang])
    header = table[0]
    (row,) = [row for row in table if row[0] == EXAMPLES_ROW[lang]]
    for kind in Kind:
        listed = row[header.index(HEADERS[lang][kind])].split(LIST_SEPARATOR[lang])
        assert listed == examples_of(kind), (kind, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_network_overheads_the_text_quotes_are_the_models(lang: str) -> None:
    quoted = {int(n) for n in re.findall(r"(\d+) ?%", TEXT[lang])}
    for kind in Kind:
        extra = Hypervisor(kind).perform("net_send") / native_cycles("net_send") - 1
        assert round(100 * extra) in quoted, (kind, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_text_names_every_design_and_layer_of_the_model(lang: str) -> None:
    for kind in Kind:
        for name in examples_of(kind):
            assert name in TEXT[lang]
    for layer in ("hypervisor_driver", "partition_switch", "backend_driver", "partition_driver"):
        assert f"`{layer}`" in TEXT[lang]


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_a_page_table_base_load_is_said_to_exit_only_with_shadow_page_tables() -> None:
    for lang, mention, shadow in (("en", "page-table base", "shadow page tables"),
                                  ("zh", "页表基址", "影子页表")):  # fmt: skip
        for paragraph in paragraphs(TEXT[lang]):
            if mention in paragraph:
                assert shadow in paragraph, paragraph


def test_kvm_is_never_said_to_emulate_no_devices() -> None:
    assert not re.search(r"does not emulate devices|leaves device emulation to user space",
                         TEXT["en"])  # fmt: skip
    assert "并不模拟设备" not in TEXT["zh"]
    # ... and the in-kernel exceptions are named.
    assert "interrupt controllers" in TEXT["en"] and "中断控制器" in TEXT["zh"]
    assert "KVM_CREATE_IRQCHIP" in TEXT["en"] and "KVM_CREATE_IRQCHIP" in TEXT["zh"]


def test_the_seeds_part_of_the_operating_system_is_explained_as_a_description_of_kvm() -> None:
    en = next(p for p in paragraphs(TEXT["en"]) if "as part of the" in p)
    assert "describes KVM" in en and "does not fit every type 1" in en
    zh = next(p for p in paragraphs(TEXT["zh"]) if "作为操作系统的一部分”这句话" in p)
    assert "描述了 KVM" in zh and "并不是每个类型 1" in zh


def test_the_kvm_debate_is_answered_by_two_questions() -> None:
    assert "Who schedules the CPU?" in TEXT["en"]
    assert "Which road does a guest's I/O take?" in TEXT["en"]
    assert "谁来调度 CPU？" in TEXT["zh"] and "客户机的 I/O 走哪条路？" in TEXT["zh"]
