"""Trap-and-emulate and Popek–Goldberg (lesson 7); BT vs hardware assist (lesson 8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    TOY_ISA,
    X86_LIKE_ISA,
    CpuState,
    InvalidOperation,
    TrapAndEmulateVmm,
    cheaper,
    classify,
    diverges,
    run_native,
    technique_cycles,
)
from tutor.sim.isa import Instruction

KERNEL: list[Instruction] = [
    ("add", "a", 5),
    ("store", 1, "a"),
    ("cli",),
    ("load", "b", 1),
    ("add", "b", 2),
    ("out", "b"),
    ("setr", 4, 20),
    ("store", 0, "b"),
    ("getr", "a"),
    ("add", "a", 0),
    ("popf", "a"),  # a = 4 → IF = 0
    ("sti",),
    ("halt",),
]


def test_popek_goldberg_classifies_the_toy_isa_as_virtualizable() -> None:
    c = classify(TOY_ISA)
    assert c.virtualizable
    assert c.privileged == {"setr", "getr", "getmode", "cli", "sti", "popf", "out", "halt"}
    assert {"setr", "cli", "sti", "popf", "out", "halt"} <= c.control_sensitive
    assert "getr" in c.behaviour_sensitive
    assert not ({"add", "load", "store"} & c.sensitive)  # innocuous: they run directly


def test_popek_goldberg_rejects_the_x86_like_isa_and_names_popf() -> None:
    c = classify(X86_LIKE_ISA)
    assert not c.virtualizable
    assert c.culprits == {"popf", "getmode"}


def test_trap_and_emulate_equals_the_native_run_on_the_toy_isa() -> None:
    native = run_native(TOY_ISA, KERNEL)
    virtual = TrapAndEmulateVmm(TOY_ISA).run(KERNEL)
    assert virtual.traps == 7  # cli, out, setr, getr, popf, sti, halt
    assert (virtual.regs, virtual.iflag, virtual.memory, virtual.io) == (
        native.regs,
        native.iflag,
        native.memory,
        native.io,
    )
    assert not diverges(TOY_ISA, KERNEL)


def test_popf_silently_drops_the_interrupt_flag_on_the_x86_like_isa() -> None:
    program: list[Instruction] = [("popf", "a"), ("halt",)]  # a = 0: disable interrupts
    native = run_native(X86_LIKE_ISA, program)
    virtual = TrapAndEmulateVmm(X86_LIKE_ISA).run(program)
    assert native.iflag == 0
    assert virtual.iflag == 1  # no trap, so the VMM never saw it: interrupts stay enabled
    assert diverges(X86_LIKE_ISA, program)
    assert not diverges(TOY_ISA, program)


def test_a_learner_trap_handler_is_checked_against_the_native_run() -> None:
    def lazy_handler(vcpu: CpuState, insn: Instruction) -> None:
        vcpu.pc += 1  # skips the instruction instead of emulating it

    wrong = TrapAndEmulateVmm(TOY_ISA, handler=lazy_handler).run(KERNEL)
    assert wrong.io != run_native(TOY_ISA, KERNEL).io


def test_bt_versus_hardware_assist() -> None:
    assert technique_cycles({"pte_write": 1}) == {"native": 1, "bt": 391, "hw": 12733}
    assert technique_cycles({"page_fault": 1}) == {"native": 1093, "bt": 3927, "hw": 11242}
    assert cheaper({"pte_write": 1000, "plain": 10**6}) == "bt"
    assert cheaper({"syscall": 1000, "plain": 10**6}) == "hw"
    with pytest.raises(InvalidOperation, match="no cost"):
        technique_cycles({"vmcall": 1})


innocuous = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["a", "b"]), st.integers(-5, 5)),
    st.tuples(st.just("load"), st.sampled_from(["a", "b"]), st.integers(0, 15)),
    st.tuples(st.just("store"), st.integers(0, 15), st.sampled_from(["a", "b"])),
)
sensitive = st.one_of(
    st.just(("cli",)),
    st.just(("sti",)),
    st.tuples(st.just("popf"), st.sampled_from(["a", "b"])),
    st.tuples(st.just("out"), st.sampled_from(["a", "b"])),
    st.tuples(st.just("getr"), st.sampled_from(["a", "b"])),
    st.tuples(st.just("getmode"), st.sampled_from(["a", "b"])),
    st.tuples(st.just("setr"), st.integers(0, 8), st.integers(16, 24)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(innocuous, sensitive), max_size=25))
def test_theorem_1_trap_and_emulate_is_faithful_for_any_toy_program(
    program: list[Instruction],
) -> None:
    assert not diverges(TOY_ISA, [*program, ("halt",)])
