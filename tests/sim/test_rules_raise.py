"""Rules raise, they never corrupt: every wrong call a learner can make is refused by the model's
own error, in English and in Chinese, before it changes anything.

Four kinds of wrong call are covered, each over many inputs: a refusal that used to come in
English only; a call that used to surface an internal Python error (``TypeError``,
``KeyError``, ``OverflowError`` ...) instead of the rule; a call whose nonsense (NaN pages, a
float page number, ``True`` for a number) used to be accepted and corrupt the state; and, read
from the source, every raise of the model that carries no Chinese text.
"""

from __future__ import annotations

import ast
import math
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tutor.content.glossary import load_glossary
from tutor.content.zh_review import review_passage
from tutor.content.zh_text import Passage
from tutor.sim import (
    Arch,
    ArchitectureMismatch,
    CapacityExceeded,
    ConstantDirtyRate,
    CreditScheduler,
    DesktopPool,
    DeviceModel,
    Disk,
    DiskImage,
    Exit,
    FederatedView,
    Guest,
    Host,
    HotPageDirtier,
    InvalidOperation,
    IsolationViolation,
    MachineMemory,
    Mano,
    MigrationLink,
    ResourcePool,
    SecurityManager,
    SimError,
    TaxClient,
    Trace,
    Vcpu,
    VirtualSwitch,
    VmFiles,
    VmSpec,
    fifo,
    idle_tax_allocation,
    page_faults,
    round_robin,
    run_native,
    share_bandwidth,
    shares_per_page,
)
from tutor.sim.consolidation import Fleet
from tutor.sim.isa import TOY_ISA, CpuState, compare_runs
from tutor.sim.kvm import DISK_SECTOR_REG, SERIAL_PORT
from tutor.sim.memory import Fifo
from tutor.sim.pool import optimal_bin_count
from tutor.sim.testbed import (
    announced_pool,
    credit_shares,
    migrate_by_name,
    place_by_name,
    replay_turns,
)

SIM = Path(__file__).resolve().parents[2] / "tutor" / "sim"
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
GLOSSARY = load_glossary()
NAN, INF = math.nan, math.inf

Call = Callable[[], object]


def assert_bilingual(error: BaseException) -> None:
    """An English message, and a Chinese one in the glossary's terms, spaced from Latin text."""
    assert str(error).strip(), f"{type(error).__name__} without an English message"
    zh = getattr(error, "zh", None)
    assert isinstance(zh, str) and HAN.search(zh), f"no Chinese text for: {error}"
    found = review_passage(Passage(Path("message"), 1, zh, zh), GLOSSARY)
    assert not found, [finding.message for finding in found]


def refused(call: Call, kind: type[BaseException]) -> BaseException:
    with pytest.raises(kind) as info:
        call()
    assert type(info.value) is kind, f"{type(info.value).__name__}: {info.value}"
    assert_bilingual(info.value)
    return info.value


# ----- set-ups -------------------------------------------------------------------------------


def running(name: str = "dns", **config: Any) -> Guest:
    guest = Guest(name, **config)
    guest.start("h1")
    return guest


def pool_of(*hosts: tuple[str, int, int]) -> ResourcePool:
    return ResourcePool([Host(name, cores, pages) for name, cores, pages in hosts])


def placed(pool: ResourcePool, *specs: VmSpec) -> ResourcePool:
    for spec in specs:
        pool.place(spec)
    return pool


def registered(*names: str) -> SecurityManager:
    manager = SecurityManager()
    for name in names:
        manager.register(Guest(name))
    return manager


def memory_with(name: str = "A", pages: int = 4) -> MachineMemory:
    memory = MachineMemory(8)
    memory.add_guest(name, pages)
    memory.map(name, 0, 0)
    return memory


def frozen_image() -> DiskImage:
    image = DiskImage("d", 4)
    image.frozen = True
    return image


def snapshot_twice() -> None:
    guest = running()
    guest.snapshot("a")
    guest.snapshot("a")


def register_twice() -> None:
    manager = registered("a")
    manager.register(Guest("a"))


def vnf_twice() -> None:
    mano = Mano([Host("nfvi", 8, 4096)])
    mano.vnfm.instantiate("nat", "x")
    mano.vnfm.instantiate("nat", "x")


def install_after_roll_out() -> None:
    desktops = DesktopPool()
    desktops.roll_out(1)
    desktops.install(0, 1)


def fail_twice() -> None:
    pool = pool_of(("h1", 4, 64), ("h2", 4, 64))
    pool.fail_host("h1")
    pool.fail_host("h1")


def run_saved() -> None:
    guest = running("web")
    guest.save()
    guest.run(1, random.Random(1))


def attach_twice() -> None:
    switch = VirtualSwitch()
    switch.attach("a", "aa:01")
    switch.attach("b", "aa:01")


def spoof() -> None:
    switch = VirtualSwitch()
    switch.attach("a", "aa:01")
    switch.attach("b", "bb:01")
    switch.send("b", "aa:01", "bb:01")


def domain_twice() -> None:
    scheduler = CreditScheduler(1)
    scheduler.add("d")
    scheduler.add("d")


def balloon_out_of(pages: int, deflate: bool = False) -> Call:
    memory = memory_with()
    return lambda: (memory.balloon_deflate if deflate else memory.balloon_inflate)("A", pages)


class Liar(Fifo):
    def victim(self) -> object:
        return ("nobody", 0)


def lying_policy() -> None:
    memory = MachineMemory(1, policy=Liar())
    memory.add_guest("A", 2)
    memory.map("A", 0, 0)
    memory.map("A", 1, 1)
    memory.write("A", 0, 5)
    memory.write("A", 1, 6)


def saved(guest: Guest | None = None) -> VmFiles:
    guest = guest or running("dns", memory_pages=16, disk_blocks={"disk0": 8})
    guest.write_memory(3, 7)
    guest.write_disk("disk0", 2, 9)
    return guest.save()


def restored(**change: Any) -> Call:
    files = saved()
    fields = {"config": files.config, "disks": files.disks, "memory": files.memory}
    return lambda: Guest.restore(VmFiles(**{**fields, "cpu": files.cpu, **change}))


def out_after(value: int) -> None:
    """A guest reads ``value`` from the input port and writes it to the serial port."""
    vcpu = Vcpu([("in", "a", 0x60), ("out", SERIAL_PORT, "a"), ("hlt",)])
    vcpu.run()
    vcpu.complete(value)
    exit_ = vcpu.run()
    DeviceModel().port_write(exit_.port or 0, exit_.data or 0)


def handler(change: Callable[[CpuState], None]) -> Call:
    """A trap handler that emulates correctly, then does ``change`` to the virtual CPU."""

    def emulate(vcpu: CpuState, insn: tuple[object, ...]) -> None:
        TOY_ISA.semantics[str(insn[0])](vcpu, insn[1:])
        vcpu.pc += 1
        change(vcpu)

    return lambda: compare_runs(TOY_ISA, [("cli",), ("halt",)], handler=emulate)


def packing() -> tuple[ResourcePool, dict[str, VmSpec]]:
    hosts = [{"name": "h1", "cores": 4, "pages": 64}]
    return announced_pool(hosts, [{"name": "g1", "vcpus": 1, "pages": 8}], Trace())


def placing(vm: object, host: object) -> Call:
    pool, specs = packing()
    return lambda: place_by_name(pool, specs)(vm, host)


def migrating(vm: object, host: object) -> Call:
    pool, specs = packing()
    pool.place(specs["g1"])
    return lambda: migrate_by_name(pool, specs, [])(vm, host)


# ----- 1. refusals that were English only ----------------------------------------------------

ENGLISH_ONLY = [
    # guests and their files
    ("already running", lambda: running().start(), InvalidOperation),
    ("save a stopped guest", lambda: Guest("dns").save(), InvalidOperation),
    ("run a saved guest", lambda: run_saved(), InvalidOperation),
    ("block outside the disk", lambda: Guest("dns").read_disk("disk0", 10**9), IsolationViolation),
    ("page outside memory", lambda: running().write_memory(16, 1), IsolationViolation),
    ("no such disk", lambda: Guest("dns").read_disk("disk9", 0), InvalidOperation),
    ("no such snapshot", lambda: Guest("dns").rollback("x"), InvalidOperation),
    ("snapshot name taken", snapshot_twice, InvalidOperation),
    ("write a frozen image", lambda: frozen_image().write(0, 1), InvalidOperation),
    ("disk of no blocks", lambda: DiskImage("d", 0), InvalidOperation),
    ("delta of another size", lambda: DiskImage("d", 4, base=DiskImage("b", 8)), InvalidOperation),
    ("registered twice", register_twice, InvalidOperation),
    (
        "another guest's memory",
        lambda: registered("a", "b").read_memory("a", "b", 0),
        IsolationViolation,
    ),
    ("not registered", lambda: SecurityManager().read_memory("a", "a", 0), InvalidOperation),
    # hosts and the pool
    ("host of no cores", lambda: Host("h", 0, 8), InvalidOperation),
    ("idle above peak power", lambda: Host("h", 1, 8, p_max=100, p_idle=150), InvalidOperation),
    (
        "guest placed twice",
        lambda: placed(pool_of(("h1", 4, 64)), VmSpec("v03", 1, 8), VmSpec("v03", 1, 8)),
        InvalidOperation,
    ),
    (
        "too big for any host",
        lambda: pool_of(("h1", 4, 64)).place(VmSpec("big", 8, 8)),
        CapacityExceeded,
    ),
    (
        "pool full",
        lambda: placed(pool_of(("h1", 2, 16)), VmSpec("a", 2, 16), VmSpec("b", 1, 8)),
        CapacityExceeded,
    ),
    (
        "fragmented",
        lambda: placed(
            pool_of(("h1", 2, 16), ("h2", 2, 16)),
            VmSpec("a", 1, 10),
            VmSpec("b", 1, 10),
            VmSpec("c", 1, 12),
        ),
        CapacityExceeded,
    ),
    (
        "no host of its architecture",
        lambda: pool_of(("h1", 4, 64)).place(VmSpec("arm", 1, 8, arch=Arch.ARM64)),
        ArchitectureMismatch,
    ),
    (
        "policy chose a host of another architecture",
        lambda: ResourcePool([Host("x", 4, 64), Host("a", 4, 64, arch=Arch.ARM64)]).place(
            VmSpec("arm", 1, 8, arch=Arch.ARM64), lambda vm, hosts: "x"
        ),
        ArchitectureMismatch,
    ),
    (
        "policy found no host",
        lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1, 8), lambda vm, hosts: None),
        CapacityExceeded,
    ),
    (
        "policy returned a number",
        lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1, 8), lambda vm, hosts: 3),
        InvalidOperation,
    ),
    (
        "policy overfilled a host",
        lambda: pool_of(("h1", 1, 8), ("h2", 4, 64)).place(
            VmSpec("g", 2, 8), lambda vm, hosts: "h1"
        ),
        CapacityExceeded,
    ),
    (
        "unknown policy",
        lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1, 8), "random"),
        InvalidOperation,
    ),
    (
        "move onto a full host",
        lambda: placed(pool_of(("h1", 4, 64), ("h2", 1, 8)), VmSpec("g", 2, 8)).move("g", "h2"),
        CapacityExceeded,
    ),
    ("no such host", lambda: pool_of(("h1", 4, 64)).powered_on("h9"), InvalidOperation),
    ("not placed", lambda: pool_of(("h1", 4, 64)).host_of("ghost"), InvalidOperation),
    ("host fails twice", fail_twice, InvalidOperation),
    ("pool of no hosts", lambda: ResourcePool([]), InvalidOperation),
    (
        "two hosts of one name",
        lambda: ResourcePool([Host("h", 1, 8), Host("h", 1, 8)]),
        InvalidOperation,
    ),
    ("optimum of too many items", lambda: optimal_bin_count([1] * 20, 10), InvalidOperation),
    ("item larger than a bin", lambda: optimal_bin_count([11], 10), CapacityExceeded),
    # memory
    ("memory of no frames", lambda: MachineMemory(0), InvalidOperation),
    ("guest's memory twice", lambda: memory_with().add_guest("A", 4), InvalidOperation),
    ("guest of no pages", lambda: MachineMemory(4).add_guest("A", 0), InvalidOperation),
    ("empty salt", lambda: MachineMemory(4).add_guest("A", 1, salt=""), InvalidOperation),
    ("map outside its memory", lambda: memory_with().map("A", 1, 9), IsolationViolation),
    ("page fault", lambda: memory_with().read("A", 3), InvalidOperation),
    ("no such guest's memory", lambda: memory_with().read("B", 0), InvalidOperation),
    ("balloon larger than free pages", balloon_out_of(9), CapacityExceeded),
    ("deflate an empty balloon", balloon_out_of(1, deflate=True), InvalidOperation),
    ("another guest's frame", lambda: memory_with().read_machine("A", 5), IsolationViolation),
    ("opt on a live machine", lambda: MachineMemory(4, policy="opt"), InvalidOperation),
    ("replay with no frames", lambda: page_faults([1, 2], 0), InvalidOperation),
    ("tax rate of 1", lambda: shares_per_page(1, 1, 0.5, tau=1), InvalidOperation),
    (
        "guaranteed minimums above memory",
        lambda: idle_tax_allocation(1, [TaxClient("a", 1, 0.5, 4, 2)]),
        CapacityExceeded,
    ),
    ("policy evicts another's page", lying_policy, InvalidOperation),
    # networks
    ("MAC attached twice", lambda: attach_twice(), InvalidOperation),
    ("VLAN 5000", lambda: VirtualSwitch().attach("a", "aa:01", vlan=5000), InvalidOperation),
    ("unknown source MAC", lambda: VirtualSwitch().send("a", "aa:01", "aa:02"), InvalidOperation),
    ("spoofed frame", lambda: spoof(), IsolationViolation),
    ("negative bandwidth", lambda: share_bandwidth(-1, {"a": 1}), InvalidOperation),
    ("weight of 0", lambda: share_bandwidth(10, {"a": 1}, {"a": 0}), InvalidOperation),
    (
        "VNF not in the catalogue",
        lambda: Mano([Host("nfvi", 8, 4096)]).nfvo.create_service("s", ["router"]),
        InvalidOperation,
    ),
    ("VNF name taken", vnf_twice, InvalidOperation),
    (
        "service of no VNFs",
        lambda: Mano([Host("nfvi", 8, 4096)]).nfvo.create_service("s", []),
        InvalidOperation,
    ),
    # other kinds of virtualisation
    ("golden image sealed", install_after_roll_out, InvalidOperation),
    ("source without a mapping", lambda: FederatedView({"a": []}, {}), InvalidOperation),
    # scheduling
    ("quantum of 0", lambda: round_robin([5], 0), InvalidOperation),
    ("round robin of no jobs", lambda: round_robin([], 2), InvalidOperation),
    ("FIFO of no jobs", lambda: fifo([]), InvalidOperation),
    ("no pCPUs", lambda: CreditScheduler(0), InvalidOperation),
    ("domain of no vCPUs", lambda: CreditScheduler(1).add("d", vcpus=0), InvalidOperation),
    ("domain twice", lambda: domain_twice(), InvalidOperation),
    ("burst of 0 ms", lambda: CreditScheduler(1).add("d", burst_ms=0), InvalidOperation),
    ("pin to pCPU 9", lambda: CreditScheduler(2).add("d", pin=[9]), InvalidOperation),
    ("no such domain", lambda: CreditScheduler(1).set_weight("ghost", 256), InvalidOperation),
    ("no such vCPU", lambda: CreditScheduler(1).pin("ghost", [0]), InvalidOperation),
    ("time backwards", lambda: CreditScheduler(1).run(-10), InvalidOperation),
    # CPU virtualisation
    ("unknown register", lambda: run_native(TOY_ISA, [("add", "z", 1)]), InvalidOperation),
    ("unknown instruction", lambda: run_native(TOY_ISA, [("jmp", 3)]), InvalidOperation),
    # migration
    (
        "more hot pages than pages",
        lambda: HotPageDirtier(1, 10, hot_pages=10**6),
        InvalidOperation,
    ),
    (
        "too many writes to simulate",
        lambda: HotPageDirtier(1024, 10**9, hot_pages=10).dirtied_mb(1.0),
        InvalidOperation,
    ),
]


@pytest.mark.parametrize(
    ("call", "kind"), [pytest.param(call, kind, id=name) for name, call, kind in ENGLISH_ONLY]
)
def test_a_refusal_is_worded_in_both_languages(call: Call, kind: type[SimError]) -> None:
    refused(call, kind)


def test_the_refusals_learners_met_in_english_now_read_in_chinese() -> None:
    assert refused(lambda: running().start(), InvalidOperation).zh == "'dns' 已经在运行了"  # type: ignore[attr-defined]
    stopped = refused(lambda: Guest("dns").save(), InvalidOperation)
    assert stopped.zh == "无法挂起：'dns' 处于关机状态，请先启动它"  # type: ignore[attr-defined]
    twice = lambda: placed(pool_of(("h1", 4, 64)), VmSpec("v03", 1, 8), VmSpec("v03", 1, 8))  # noqa: E731
    assert "'v03'" in refused(twice, InvalidOperation).zh  # type: ignore[attr-defined]
    outside = refused(lambda: Guest("dns").read_disk("disk0", 10**9), IsolationViolation)
    assert "1000000000" in outside.zh and "磁盘" in outside.zh  # type: ignore[attr-defined]


# ----- 2. calls that surfaced an internal Python error ---------------------------------------

INTERNAL = [
    ("place a guest's spec, not its name", placing({"name": "g1"}, "h1")),
    ("place on a host's record, not its name", placing("g1", {"name": "h1"})),
    ("migrate a guest's spec", migrating({"name": "g1"}, "h1")),
    ("restore disks keyed by file name", restored(disks={"dns-disk0.vmdk": {2: 9}})),
    ("restore a dict instead of VmFiles", lambda: Guest.restore({"config": {}})),  # type: ignore[arg-type]
    ("restore a config without vcpus", restored(config={"name": "dns"})),
    ("vCPUs as text", lambda: Guest("dns", vcpus="2")),  # type: ignore[arg-type]
    ("disk sizes not a dict", lambda: Guest("dns", disk_blocks=64)),  # type: ignore[arg-type]
    ("unknown architecture", lambda: Guest("dns", arch="sparc")),  # type: ignore[arg-type]
    ("read a block given as text", lambda: DiskImage("d", 8).read("3")),  # type: ignore[arg-type]
    ("write a block given as text", lambda: DiskImage("d", 8).write("3", 1)),  # type: ignore[arg-type]
    ("snapshot label a list", lambda: running().snapshot(["x"])),  # type: ignore[arg-type]
    ("port as text", lambda: DeviceModel().port_write("0x3f8", 65)),  # type: ignore[arg-type]
    ("serial character -1", lambda: DeviceModel().port_write(SERIAL_PORT, -1)),
    ("serial character 10**9", lambda: DeviceModel().port_write(SERIAL_PORT, 10**9)),
    (
        "the Exit instead of its data",
        lambda: DeviceModel().port_write(SERIAL_PORT, Exit("IO", "out", SERIAL_PORT, data=65)),  # type: ignore[arg-type]
    ),
    ("complete(10**30), then OUT", lambda: out_after(10**30)),
    ("read a port given as text", lambda: DeviceModel().port_read("0x60")),  # type: ignore[arg-type]
    ("read MMIO at None", lambda: DeviceModel().mmio_read(None)),  # type: ignore[arg-type]
    ("handler: vcpu.pc += 1.0", handler(lambda vcpu: setattr(vcpu, "pc", vcpu.pc + 1.0))),
    ("handler: base as text", handler(lambda vcpu: setattr(vcpu, "base", "4"))),
    ("handler: a register as text", handler(lambda vcpu: vcpu.regs.update(a="x"))),
    ("handler: io not a list", handler(lambda vcpu: setattr(vcpu, "io", 5))),
    ("operand as text", lambda: run_native(TOY_ISA, [("add", "a", "x")])),
    ("instruction without operands", lambda: run_native(TOY_ISA, [("add",)])),
    ("instruction not a tuple", lambda: run_native(TOY_ISA, [5])),  # type: ignore[list-item]
    (
        "relocated past physical memory",
        lambda: run_native(TOY_ISA, [("setr", 60, 16), ("load", "a", 10), ("halt",)]),
    ),
    ("run 25.5 ms", lambda: CreditScheduler(1).run(25.5)),  # type: ignore[arg-type]
    ("place a dict", lambda: pool_of(("h1", 4, 64)).place({"name": "g", "vcpus": 1})),  # type: ignore[arg-type]
    ("guest name a list", lambda: pool_of(("h1", 4, 64)).host_of(["g"])),  # type: ignore[arg-type]
    ("virtual page a list", lambda: memory_with().read("A", [0])),  # type: ignore[arg-type]
    ("a reference that is a list", lambda: page_faults([[1], 2], 3)),
    ("roll out 2.5 desktops", lambda: DesktopPool().roll_out(2.5)),  # type: ignore[arg-type]
    ("patch keyed by text", lambda: DesktopPool().push_update({"7": 2})),  # type: ignore[dict-item]
    ("link rate of 0", lambda: MigrationLink(64, ConstantDirtyRate(64, 1), 100).send(8, 0)),
    (
        "scheduler settings without a weight",
        lambda: credit_shares(1, [{"name": "d", "vcpus": 1}], {"d": {"cap": 0}}, 30, Trace()),
    ),
]


@pytest.mark.parametrize("call", [pytest.param(call, id=name) for name, call in INTERNAL])
def test_a_wrong_call_is_the_models_refusal_not_a_python_error(call: Call) -> None:
    refused(call, InvalidOperation)


@pytest.mark.parametrize("turns", [[5], [[0, INF]], [[0, "1"]], [["0", 1]], [[0.5, 1]]])
def test_a_malformed_turn_is_refused_with_the_turn_rule(turns: list[Any]) -> None:
    with pytest.raises(ValueError) as info:
        replay_turns([5], turns, Trace())
    assert_bilingual(info.value)
    assert "each turn is [job, ran]" in str(info.value)
    # read as the rule's sentence alone, like the model's own refusals (no "ValueError: ")
    assert isinstance(info.value, SimError)


def test_the_refusal_names_what_to_pass() -> None:
    by_file = refused(restored(disks={"dns-disk0.vmdk": {2: 9}}), InvalidOperation)
    assert "['disk0']" in str(by_file) and "['disk0']" in by_file.zh  # type: ignore[attr-defined]
    spec = refused(placing({"name": "g1"}, "h1"), InvalidOperation)
    assert "vm['name']" in str(spec) and "vm['name']" in spec.zh  # type: ignore[attr-defined]
    data = refused(
        lambda: DeviceModel().port_write(SERIAL_PORT, Exit("IO", "out", SERIAL_PORT, data=65)),  # type: ignore[arg-type]
        InvalidOperation,
    )
    assert "exit.data" in str(data) and "exit.data" in data.zh  # type: ignore[attr-defined]
    pc = refused(handler(lambda vcpu: setattr(vcpu, "pc", vcpu.pc + 1.0)), InvalidOperation)
    assert "vcpu.pc += 1" in str(pc) and "2.0" in pc.zh  # type: ignore[attr-defined]
    text_keys = refused(restored(memory={"3": 7}), InvalidOperation)
    assert "convert them with int()" in str(text_keys)


# ----- 3. nonsense that was accepted and corrupted the state ---------------------------------

SILENT = [
    ("NaN pages", lambda: Guest("dns", memory_pages=NAN)),  # type: ignore[arg-type]
    ("2.5 pages", lambda: Guest("dns", memory_pages=2.5)),  # type: ignore[arg-type]
    ("True pages", lambda: Guest("dns", memory_pages=True)),
    ("True vCPUs", lambda: Guest("dns", vcpus=True)),
    ("a disk of 2.5 blocks", lambda: Guest("dns", disk_blocks={"disk0": 2.5})),  # type: ignore[dict-item]
    ("NICs as one string", lambda: Guest("dns", nics="nic0")),  # type: ignore[arg-type]
    ("NaN load", lambda: Guest("dns", load=NAN)),
    ("write page 1.5", lambda: running().write_memory(1.5, 3)),  # type: ignore[arg-type]
    ("write page True", lambda: running().write_memory(True, "abc")),  # type: ignore[arg-type]
    ("write text to memory", lambda: running().write_memory(0, "abc")),  # type: ignore[arg-type]
    ("write block 1.5", lambda: running().write_disk("disk0", 1.5, 1)),  # type: ignore[arg-type]
    ("write None to disk", lambda: running().write_disk("disk0", 0, None)),  # type: ignore[arg-type]
    ("run 2.5 steps", lambda: running().run(2.5, random.Random(1))),  # type: ignore[arg-type]
    ("restore page 999 of 16", restored(memory={999: 1})),
    ("restore block 10**9", restored(disks={"disk0": {10**9: 1}})),
    ("restore block -3", restored(disks={"disk0": {-3: 1}})),
    ("restore page given as text", restored(memory={"3": 7})),
    ("restore a text value", restored(memory={3: "x"})),
    ("restore pc as text", restored(cpu={"pc": "0", "acc": 0})),
    ("linked clone of its parent's name", lambda: running("web").linked_clone("web")),
    ("host of NaN pages", lambda: Host("h", 4, NAN)),  # type: ignore[arg-type]
    ("host of 2.5 cores", lambda: Host("h", 2.5, 64)),  # type: ignore[arg-type]
    ("host of NaN watts", lambda: Host("h", 4, 64, p_max=NAN)),
    ("host of another architecture", lambda: Host("h", 4, 64, arch="sparc")),  # type: ignore[arg-type]
    ("host disk of 2.5 blocks", lambda: Disk("sda", 2.5)),  # type: ignore[arg-type]
    ("place NaN pages", lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1, NAN))),  # type: ignore[arg-type]
    ("try NaN pages", lambda: pool_of(("h1", 4, 64)).try_place(VmSpec("g", 1, NAN))),  # type: ignore[arg-type]
    ("place 1.5 vCPUs", lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1.5, 8))),  # type: ignore[arg-type]
    ("place NaN load", lambda: pool_of(("h1", 4, 64)).place(VmSpec("g", 1, 8, load=NAN))),
    ("decline NaN pages", lambda: pool_of(("h1", 4, 64)).decline(VmSpec("g", 1, NAN), "too_big")),  # type: ignore[arg-type]
    ("threshold NaN", lambda: pool_of(("h1", 4, 64)).overloaded(NAN)),
    ("vcpu_ratio 1.5", lambda: ResourcePool([Host("h", 1, 8)], vcpu_ratio=1.5)),  # type: ignore[arg-type]
    ("sector 1.5", lambda: DeviceModel().mmio_write(DISK_SECTOR_REG, 1.5)),  # type: ignore[arg-type]
    ("sector True", lambda: DeviceModel().mmio_write(DISK_SECTOR_REG, True)),
    ("2.5 frames", lambda: MachineMemory(2.5)),  # type: ignore[arg-type]
    ("NaN guest pages", lambda: MachineMemory(4).add_guest("A", NAN)),  # type: ignore[arg-type]
    ("map page 1.5", lambda: memory_with().map("A", 1, 1.5)),  # type: ignore[arg-type]
    ("write text to a page", lambda: memory_with().write("A", 0, "x")),  # type: ignore[arg-type]
    ("inflate by 1.5 pages", balloon_out_of(1.5)),  # type: ignore[arg-type]
    ("replay with 2.5 frames", lambda: page_faults([1, 2], 2.5)),  # type: ignore[arg-type]
    ("NaN pages in the tax", lambda: shares_per_page(1, NAN, 0.5)),
    (
        "minimum above maximum",
        lambda: idle_tax_allocation(8, [TaxClient("a", 1, 0.5, 2, 4)]),
    ),
    ("VLAN True", lambda: VirtualSwitch().attach("a", "aa:01", vlan=True)),
    ("VLAN 1.5", lambda: VirtualSwitch().attach("a", "aa:01", vlan=1.5)),  # type: ignore[arg-type]
    ("NaN bandwidth", lambda: share_bandwidth(NAN, {"a": 1})),
    ("NaN demand", lambda: share_bandwidth(10, {"a": NAN})),
    ("NaN job length", lambda: round_robin([NAN], 2)),
    ("NaN quantum", lambda: round_robin([5], NAN)),
    ("weight 1.5", lambda: CreditScheduler(1).add("d", weight=1.5)),  # type: ignore[arg-type]
    ("cap 12.5", lambda: CreditScheduler(1).add("d", cap=12.5)),  # type: ignore[arg-type]
    ("migrate NaN MB", lambda: MigrationLink(NAN, ConstantDirtyRate(64, 1), 100)),
    ("dirty NaN Mb/s", lambda: ConstantDirtyRate(64, NAN)),
    ("infinite bandwidth", lambda: MigrationLink(64, ConstantDirtyRate(64, 1), INF)),
    ("fleet of 2.5 servers", lambda: Fleet(servers=2.5, utilisation_pct=15)),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("call", [pytest.param(call, id=name) for name, call in SILENT])
def test_nonsense_is_refused_before_it_reaches_the_state(call: Call) -> None:
    refused(call, InvalidOperation)


def test_a_refused_call_leaves_the_state_as_it_was() -> None:
    pool = placed(pool_of(("h1", 4, 64), ("h2", 2, 32)), VmSpec("a", 1, 8))
    headroom, events = pool.headroom(), len(pool.trace.events)
    for spec in (VmSpec("g", 1, NAN), VmSpec("g", True, 8), VmSpec("g", 1, 2.5)):  # type: ignore[arg-type]
        with pytest.raises(InvalidOperation):
            pool.place(spec)
        with pytest.raises(InvalidOperation):
            pool.try_place(spec)
    assert pool.headroom() == headroom == (5, 88)
    assert len(pool.trace.events) == events
    pool.check()

    guest = running("web", memory_pages=16)
    guest.write_memory(3, 7)
    before = guest.state_hash()
    for page, value in ((1.5, 3), (True, 4), (0, "abc"), (3, None)):
        with pytest.raises(InvalidOperation):
            guest.write_memory(page, value)  # type: ignore[arg-type]
    assert guest.state_hash() == before and guest.memory == {3: 7}


def test_the_message_gives_the_valid_range_and_says_why_the_value_is_not_one() -> None:
    nan_pages = refused(lambda: Guest("dns", memory_pages=NAN), InvalidOperation)
    assert "at least 1" in str(nan_pages) and "NaN" in str(nan_pages)
    assert "不小于 1 的整数" in nan_pages.zh  # type: ignore[attr-defined]
    page = refused(restored(memory={999: 1}), InvalidOperation)
    assert "from 0 to 15" in str(page) and "介于 0 到 15 之间" in page.zh  # type: ignore[attr-defined]
    boolean = refused(lambda: running().write_memory(True, 1), InvalidOperation)
    assert "True and False are not numbers here" in str(boolean)


def test_valid_calls_are_unchanged_by_the_checks() -> None:
    """The checks return what they are given: the same values, types and trace as before."""
    trace = Trace()
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    guest.start("h1")
    guest.write_memory(0, 0)
    guest.write_memory(7, -5)
    guest.write_disk("disk0", 7, 2**70)
    files = guest.save()
    copy = Guest.restore(files, host="h2")
    assert copy.state_hash() == guest.state_hash()
    link = MigrationLink(64, ConstantDirtyRate(64, 8), 1000)
    assert link.send(64) == link.dirty.dirtied_mb(64 / 125)
    assert type(link.rounds[0].sent_mb) is float and link.memory_mb == 64
    assert VirtualSwitch().attach("a", "aa:01", vlan=4094).vlan == 4094


# ----- 4. every raise of the model says it in Chinese ----------------------------------------

SIM_ERRORS = {
    "SimError",
    "InvalidOperation",
    "IsolationViolation",
    "CapacityExceeded",
    "ArchitectureMismatch",
}
# Not learner-facing: a CPU's trap, which the VMM catches or turns into a refusal with its zh;
# and Belady's OPT asked for a victim with nothing resident, which page_faults never does.
INTERNAL_RAISES = {("isa.py", "Trap"), ("memory.py", "IndexError")}


def without_chinese(path: Path) -> list[str]:
    """Every error of the model made without ``zh=``, and every raise of another exception
    than the model's own (a private helper such as ``_refusal`` builds one with its zh)."""
    missing = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        made = isinstance(node, ast.Call) and ast.unparse(node.func) in SIM_ERRORS
        if made and not any(keyword.arg == "zh" for keyword in node.keywords):  # type: ignore[attr-defined]
            missing.append(f"{path.name}:{node.lineno}: {ast.unparse(node.func)}(...)")  # type: ignore[attr-defined]
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            called = ast.unparse(node.exc.func)
            own = called in SIM_ERRORS or called == "StepBudgetExceeded" or called[0] == "_"
            if not own and (path.name, called) not in INTERNAL_RAISES:
                missing.append(f"{path.name}:{node.lineno}: raise {called}(...)")
    return missing


def test_every_error_of_the_model_carries_a_chinese_text() -> None:
    modules = sorted(SIM.glob("*.py"))
    assert len(modules) > 20
    missing = [line for path in modules for line in without_chinese(path)]
    assert not missing, "errors without zh=:\n" + "\n".join(missing)
