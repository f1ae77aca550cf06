"""The hypervisor and KVM vCPU slice that lesson 5 animates and grades."""

from __future__ import annotations

import pytest

from tutor.sim import (
    COMPONENTS,
    DeviceModel,
    Hypervisor,
    InvalidOperation,
    Kind,
    StepBudget,
    StepBudgetExceeded,
    Trace,
    Vcpu,
    path_of,
)
from tutor.sim.hypervisor import LAYERS, native_cycles
from tutor.sim.kvm import DISK_DATA_REG, DISK_SECTOR_REG, INPUT_PORT, SERIAL_PORT


def test_type2_disk_read_crosses_world_switch_and_host_syscall() -> None:
    path = path_of("type2", "disk_read")
    assert path.index("vmm") < path.index("world_switch") < path.index("vmm_app")
    assert path.index("vmm_app") < path.index("host_syscall") < path.index("host_driver")
    assert path[-1] == "disk"


def test_kvm_io_returns_to_user_space_but_privileged_stays_in_kernel() -> None:
    assert "device_model" in path_of(Kind.KVM, "disk_read")
    assert path_of(Kind.KVM, "privileged") == ["guest_kernel", "vm_exit", "kvm_module"]


def test_type1_never_goes_through_a_host_os() -> None:
    for op in ("disk_read", "net_send", "privileged"):
        assert not any(LAYERS[layer].owner == "host" for layer in path_of("type1", op))


def test_perform_costs_more_than_native_and_type2_costs_most() -> None:
    costs = {kind: Hypervisor(kind).perform("disk_read") for kind in Kind}
    assert all(cost > native_cycles("disk_read") for cost in costs.values())
    assert costs[Kind.TYPE2] > costs[Kind.KVM] > costs[Kind.TYPE1]


def test_perform_emits_down_then_up_and_components_act() -> None:
    hv = Hypervisor(Kind.TYPE1)
    total = hv.perform("net_send")
    enters = hv.trace.of_kind("layer.enter")
    downs = [e["layer"] for e in enters if e["dir"] == "down"]
    ups = [e["layer"] for e in enters if e["dir"] == "up"]
    assert downs == path_of("type1", "net_send")
    assert ups == list(reversed(downs[:-1]))
    assert sum(e["cycles"] for e in enters) == total
    assert hv.acts["network_stack"] == 1 and hv.acts["memory_manager"] == 0
    assert {e["component"] for e in hv.trace.of_kind("component.act")} <= set(COMPONENTS)


def test_unknown_operation_is_a_readable_error() -> None:
    with pytest.raises(InvalidOperation, match="the model knows disk_read"):
        Hypervisor(Kind.KVM).perform("teleport")


def test_trace_digest_is_deterministic_and_sensitive() -> None:
    a, b, c = Hypervisor(Kind.KVM), Hypervisor(Kind.KVM), Hypervisor(Kind.KVM)
    a.perform("disk_read")
    b.perform("disk_read")
    c.perform("net_send")
    assert a.trace.digest() == b.trace.digest() != c.trace.digest()


def test_step_budget_stops_runaway_use_of_the_model() -> None:
    hv = Hypervisor(Kind.TYPE2, trace=Trace(StepBudget(limit=50)))
    with pytest.raises(StepBudgetExceeded, match="50 simulation steps"):
        while True:
            hv.perform("privileged")


def _guest(*program: tuple[object, ...]) -> tuple[Vcpu, DeviceModel]:
    trace = Trace()
    return Vcpu([*program, ("hlt",)], trace=trace), DeviceModel(trace=trace, disk=[7] * 16)


def test_vcpu_exits_for_io_and_completes_reads() -> None:
    vcpu, devices = _guest(
        ("mov", "a", 72),
        ("out", SERIAL_PORT, "a"),
        ("in", "b", INPUT_PORT),
        ("mov", "c", 2),
        ("mmio_write", DISK_SECTOR_REG, "c"),
        ("mmio_read", "d", DISK_DATA_REG),
    )
    devices.pending_input.append(5)
    out = vcpu.run()
    assert (out.reason, out.direction, out.port, out.data) == ("IO", "out", SERIAL_PORT, 72)
    devices.port_write(out.port or 0, out.data or 0)
    inp = vcpu.run()
    assert (inp.reason, inp.direction) == ("IO", "in")
    vcpu.complete(devices.port_read(INPUT_PORT))
    write = vcpu.run()
    assert write.reason == "MMIO" and write.is_write
    devices.mmio_write(write.addr or 0, write.data or 0)
    read = vcpu.run()
    vcpu.complete(devices.mmio_read(read.addr or 0))
    assert vcpu.run().reason == "HLT"
    assert devices.serial == "H" and vcpu.regs["b"] == 5 and vcpu.regs["d"] == 7
    assert vcpu.exits == {"IO": 2, "MMIO": 2, "HLT": 1}


def test_vcpu_refuses_to_run_when_halted_or_waiting() -> None:
    vcpu, _ = _guest(("in", "a", INPUT_PORT))
    vcpu.run()
    with pytest.raises(InvalidOperation, match="still waiting for the value of its IN"):
        vcpu.run()
    vcpu.complete(1)
    vcpu.run()
    with pytest.raises(InvalidOperation, match="already halted"):
        vcpu.run()


def test_devices_reject_unknown_ports_and_sectors() -> None:
    devices = DeviceModel()
    with pytest.raises(InvalidOperation, match="no device listens on port 0x80"):
        devices.port_write(0x80, 1)
    with pytest.raises(InvalidOperation, match="outside the 16-sector disk"):
        devices.mmio_write(DISK_SECTOR_REG, 99)
    with pytest.raises(InvalidOperation, match="needs an int"):
        vcpu, _ = _guest(("in", "a", INPUT_PORT))
        vcpu.run()
        vcpu.complete("7")  # type: ignore[arg-type]


def test_kvm_exits_light_up_the_same_components_as_the_lesson_path() -> None:
    vcpu, devices = _guest(("mov", "a", 1), ("out", SERIAL_PORT, "a"))
    out = vcpu.run()
    devices.port_write(out.port or 0, out.data or 0)
    acts = [(e["layer"], e["component"]) for e in vcpu.trace.of_kind("component.act")]
    assert acts == [
        ("kvm_module", "security_manager"),
        ("device_model", "io_stack"),
        ("device_model", "memory_manager"),
    ]


def test_a_machine_with_other_costs_measures_them_on_the_same_path() -> None:
    textbook = Hypervisor(Kind.TYPE2)
    fast_disk = Hypervisor(Kind.TYPE2, costs={"disk": 10_000, "world_switch": 8_000})
    saved = textbook.perform("disk_read") - fast_disk.perform("disk_read")
    assert saved == (90_000 - 10_000) - (8_000 - 4_000)
    downs = [e for e in fast_disk.trace.of_kind("layer.enter") if e["dir"] == "down"]
    cycles = {e["layer"]: e["cycles"] for e in downs}
    assert cycles["disk"] == 10_000 and cycles["world_switch"] == 8_000
    assert [e["layer"] for e in fast_disk.trace.of_kind("layer.enter")] == [
        e["layer"] for e in textbook.trace.of_kind("layer.enter")
    ]
