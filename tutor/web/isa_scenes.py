"""Lesson 7's animation data: one guest kernel run on bare metal, then under trap-and-emulate.

Each scene is a real ``compare_runs`` trace (``tutor/sim/isa.py``): the native run's retired
instructions, then the VMM run's traps and retired instructions, then the verdict. The
``isa.exec`` and ``isa.emulate`` events are left out of the lesson scenes because the next
``isa.retire`` already shows what they did; a learner's replay keeps every event.
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, Trace
from tutor.sim.isa import TOY_ISA, X86_LIKE_ISA, X86_UMIP_ISA, Instruction, Isa, compare_runs

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
