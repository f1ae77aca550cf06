"""Animation data of lessons 7 and 8, each scene a real run of ``tutor/sim/isa.py``.

Lesson 7 (``trap_and_emulate``): one guest kernel run on bare metal, then under trap-and-emulate
(``compare_runs``): the native run's retired instructions, then the VMM run's traps and retired
instructions, then the verdict. The ``isa.exec`` and ``isa.emulate`` events are left out of the
lesson scenes because the next ``isa.retire`` already shows what they did; a learner's replay
keeps every event.

Lesson 8 (``technique_costs``): operation mixes costed under native execution, binary
translation and hardware assist (``measure_techniques``), on 2006 and on nested-paging hardware.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, Trace
from tutor.sim.isa import (
    TOY_ISA,
    X86_LIKE_ISA,
    X86_UMIP_ISA,
    Instruction,
    Isa,
    compare_runs,
    measure_techniques,
)

TOY_KERNEL: list[Instruction] = [
    ("add", "a", 4),
    ("cli",),
    ("out", "a"),
    ("setr", 4, 16),
    ("getr", "b"),
    ("sti",),
    ("halt",),
]
POPF_KERNEL: list[Instruction] = [("add", "b", 1), ("popf", "a"), ("out", "b"), ("halt",)]
SGDT_KERNEL: list[Instruction] = [("getr", "a"), ("out", "a"), ("halt",)]

SHOWN = ("isa.retire", "isa.trap", "isa.compare")


def _events(isa: Isa, program: list[Instruction]) -> list[dict[str, Any]]:
    trace = Trace()
    compare_runs(isa, program, trace=trace)
    return [event for event in trace.events if event["kind"] in SHOWN]


def _scene(scene_id: str, isa: Isa, program: list[Instruction]) -> dict[str, Any]:
    return {
        "id": scene_id,
        "kind": scene_id,
        "isa": isa.name,
        "program": [list(insn) for insn in program],
        "events": _events(isa, program),
    }


def trap_and_emulate() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "toy",
        "scenes": [
            _scene("toy", TOY_ISA, TOY_KERNEL),
            _scene("popf", X86_LIKE_ISA, POPF_KERNEL),
            _scene("sgdt", X86_LIKE_ISA, SGDT_KERNEL),
            _scene("umip", X86_UMIP_ISA, SGDT_KERNEL),
        ],
    }


# Lesson 8: operation mixes costed under native execution, BT and hardware assist.
COMPILE_MIX = {"plain": 1_000_000, "pte_write": 2_000, "page_fault": 500, "syscall": 1_000}
SYSCALL_MIX = {"plain": 1_000_000, "syscall": 5_000, "pte_write": 50}
TLB_MIX = {"plain": 1_000_000, "tlb_miss": 20_000, "pte_write": 100}


def _cost_scene(scene_id: str, mix: dict[str, int], hardware: str) -> dict[str, Any]:
    trace = Trace()
    measure_techniques(mix, hardware, trace)
    return {"id": scene_id, "kind": scene_id, "hardware": hardware, "events": trace.events}


def technique_costs() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "compile-2006",
        "scenes": [
            _cost_scene("compile-2006", COMPILE_MIX, "vt-x-2006"),
            _cost_scene("compile-nested", COMPILE_MIX, "nested-paging"),
            _cost_scene("syscalls-2006", SYSCALL_MIX, "vt-x-2006"),
            _cost_scene("tlb-nested", TLB_MIX, "nested-paging"),
        ],
    }
