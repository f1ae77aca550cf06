"""The model a grading case describes, set up the same way for the learner's run and the
reference's.

A driver's ``run`` used to build its hosts, guests and pools by hand from the case's JSON, so
every driver repeated the same dozen lines and a change to the model touched them all. Each
function here builds one such set-up from a case's plain data and returns the model objects;
none computes an exercise's answer (a driver hides the few that come close with
``MODEL_ANSWERS``), and the model's names are imported inside the functions, so this module
offers learner code no way round that hiding. Refusals of a learner's action are worded by
``tutor.explanations``, which ships with this package everywhere (``tutor/pure.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used, so learner code finds no model answer through here
    from .guest import DiskImage, Guest
    from .migration import MigrationLink, MigrationResult
    from .pool import ResourcePool, VmSpec
    from .scenarios import DesktopPool
    from .slices import SlicedHost
    from .trace import Trace

Case = Mapping[str, Any]


def draw_path(
    trace: Trace,
    kind: str,
    operation: str,
    layers: Iterable[str],
    cycles: Mapping[str, int],
    io: str | None = None,
) -> list[str]:
    """A predicted path drawn on the design's stack as the model would draw its own: the
    replay shows the learner's layers, each with its cost on this machine (0 for a layer the
    model does not know)."""
    path = list(layers)
    start: dict[str, Any] = {"hv": kind, "op": operation, "guest": "vm1"}
    if io is not None:
        start["io"] = io
    trace.emit("op.start", **start)
    for layer in path:
        trace.emit("layer.enter", layer=layer, dir="down", cycles=cycles.get(layer, 0))
    trace.emit("op.end", op=operation, cycles=sum(cycles.get(layer, 0) for layer in path))
    return path


def machine_cycles(costs: Mapping[str, int] | None = None) -> dict[str, int]:
    """This machine's cycles for every layer: the lesson's table, with a case's changes."""
    from .hypervisor import LAYERS

    changed = costs or {}
    return {layer: int(changed.get(layer, info.cycles)) for layer, info in LAYERS.items()}


def cycles_saved(kind: str, io: str, costs: Mapping[str, int]) -> int:
    """How many cycles a guest's network send saves on the faster ``io`` path, on a machine
    whose layers cost ``costs`` (the textbook's table where it is empty): two model runs."""
    from .hypervisor import Hypervisor, Io, Kind

    slow = Hypervisor(Kind(kind), costs=dict(costs)).perform("net_send")
    return slow - Hypervisor(Kind(kind), costs=dict(costs), io=Io(io)).perform("net_send")


def shared_frames(
    guests: Mapping[str, list[int]],
    salts: Mapping[str, Any],
    writes: Iterable[tuple[str, int, int]],
    trace: Trace,
) -> dict[str, int]:
    """Frames in use after each guest's pages are written, ``share()`` merges them, and then
    ``writes`` land (each may break a shared frame by copy-on-write): a prediction's yardstick."""
    from .memory import MachineMemory

    writes = list(writes)
    pages = sum(len(contents) for contents in guests.values())
    memory = MachineMemory(frames=pages + len(writes), trace=trace)
    for guest, contents in guests.items():
        memory.add_guest(guest, pages=len(contents), salt=salts.get(guest))
        for page, value in enumerate(contents):
            memory.map(guest, page, page)
            memory.write(guest, page, value)
    memory.share()
    after_share = memory.frames - memory.free_frames
    for guest, page, value in writes:
        memory.write(guest, page, value)
    memory.check()
    return {"after_share": after_share, "after_writes": memory.frames - memory.free_frames}


def fifo_misses(refs: list[int], frame_counts: Iterable[int], trace: Trace) -> list[int]:
    """A reference string replayed through FIFO once per frame count, each run announced so
    the replay draws them side by side: the misses of each."""
    from .memory import page_faults

    misses = []
    for frames in frame_counts:
        trace.emit("swap.frames", frames=frames, policy="fifo", refs=list(refs))
        misses.append(page_faults(refs, frames, "fifo", trace=trace).misses)
    return misses


def pool_of(hosts: Iterable[Case], trace: Trace) -> ResourcePool:
    """A pool of the case's hosts (``name``, ``cores``, ``pages``), nothing placed yet."""
    from .hardware import Host
    from .pool import ResourcePool

    return ResourcePool((Host(h["name"], h["cores"], h["pages"]) for h in hosts), trace)


def spec_of(guest: Case) -> VmSpec:
    """A case's guest (``name``, ``vcpus``, ``pages``, ``load`` if given) as a request."""
    from .pool import VmSpec

    return VmSpec(guest["name"], guest["vcpus"], guest["pages"], guest.get("load", 1.0))


def specs_of(guests: Iterable[Case]) -> dict[str, VmSpec]:
    """The case's guests as requests, by name."""
    return {g["name"]: spec_of(g) for g in guests}


def announced_pool(
    hosts: Iterable[Case], guests: Iterable[Case], trace: Trace
) -> tuple[ResourcePool, dict[str, VmSpec]]:
    """A pool told which guests are coming, so the replay draws them waiting to be placed."""
    pool, specs = pool_of(hosts, trace), specs_of(guests)
    pool.announce(specs.values())
    return pool, specs


def loaded_pool(
    hosts: list[Case], threshold: float, trace: Trace
) -> tuple[ResourcePool, dict[str, VmSpec]]:
    """A pool whose hosts already run the guests the case lists under each, with the load
    threshold the replay marks."""
    pool, specs = announced_pool(hosts, [g for h in hosts for g in h["guests"]], trace)
    for h in hosts:
        for g in h["guests"]:
            pool.place(specs[g["name"]], _onto(h["name"]))
    trace.emit("pool.threshold", threshold=threshold)
    return pool, specs


def named_target(
    pool: ResourcePool, specs: Mapping[str, VmSpec], vm_name: Any, host_name: Any, moving: bool
) -> VmSpec:
    """The guest a learner's ``place``/``migrate`` names, once the pool has checked that guest
    and host exist and that the guest fits there (moving to its own host always fits); else
    the learner's broken rule in the catalogue's words."""
    from .quantities import name_of

    name_of(vm_name, _NAMED["vm"], hint=_NAMED["vm_hint"])
    name_of(host_name, _NAMED["host"], hint=_NAMED["host_hint"])
    if vm_name not in specs:
        raise _refusal("packing.no_guest", KeyError, vm=repr(vm_name))
    views = {view.name: view for view in pool.views()}
    if host_name not in views:
        raise _refusal("packing.no_host", KeyError, host=repr(host_name))
    vm, view = specs[vm_name], views[host_name]
    staying = moving and pool.host_of(vm_name) == host_name
    if not staying and not view.fits(vm):
        raise _refusal(
            "packing.does_not_fit",
            vm=vm_name,
            vcpus=vm.vcpus,
            pages=vm.memory_pages,
            host=host_name,
            free_vcpus=view.free_vcpus,
            free_pages=view.free_pages,
        )
    return vm


_NAMED = {
    "vm": ("the guest to place or migrate", "要放置或迁移的客户机"),
    "vm_hint": (
        "pass the guest's name, e.g. vm['name'], not the guest itself",
        "请传入客户机的名字，例如 vm['name']，而不是客户机本身",
    ),
    "host": ("the host to place or migrate it on", "目标宿主机"),
    "host_hint": (
        "pass the host's name, e.g. host['name'], not the host itself",
        "请传入宿主机的名字，例如 host['name']，而不是宿主机本身",
    ),
}


def placement_of(pool: ResourcePool, names: Iterable[str]) -> dict[str, str | None]:
    """Where each guest ended up (``None``: never placed)."""
    from .errors import SimError

    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = pool.host_of(name)
        except SimError:
            found[name] = None
    return found


def ffd_packing(sizes: list[int], capacity: int, trace: Trace) -> int:
    """First Fit Decreasing of one-vCPU guests of ``sizes`` pages on hosts of ``capacity``
    pages, as the replay draws it (hosts as bins filling up): the hosts it lights."""
    from .hardware import Host
    from .pool import ResourcePool, VmSpec

    pool = ResourcePool([Host(f"h{i}", len(sizes), capacity) for i in range(len(sizes))], trace)
    vms = [VmSpec(f"g{i}", 1, size) for i, size in enumerate(sizes)]
    pool.announce(vms)
    pool.place_all(vms, "first_fit_decreasing")
    return pool.hosts_on()


def _onto(host: str) -> Any:
    """A placement policy that puts the guest on ``host``, as the case says it runs."""
    return lambda vm, views: host


def _refusal(explanation_id: str, kind: type[Exception] = ValueError, **values: Any) -> Exception:
    """An error in the catalogue's words, with its Chinese text where the harness looks, read as
    the sentence alone (no "ValueError:" before it), like the model's own refusals."""
    from tutor.explanations import explain

    from .errors import worded

    return worded(explain(explanation_id, **values), kind)


def migration_link(case: Case, trace: Trace) -> MigrationLink:
    """A guest of ``memory_mb`` dirtying ``dirty_mbps`` being migrated over ``bandwidth_mbps``
    under the case's stop ``rules``: the link a learner's loop drives round by round."""
    from .migration import ConstantDirtyRate, MigrationLink

    memory = case["memory_mb"]
    dirty = ConstantDirtyRate(memory, case["dirty_mbps"])
    return MigrationLink(memory, dirty, case["bandwidth_mbps"], rules=case["rules"], trace=trace)


def precopy_with(case: Case, dirty_mbps: float, trace: Trace) -> MigrationResult:
    """The model's own pre-copy of the case's guest, were it to dirty ``dirty_mbps``."""
    from .migration import ConstantDirtyRate, precopy

    memory, bandwidth = case["memory_mb"], case["bandwidth_mbps"]
    dirty = ConstantDirtyRate(memory, dirty_mbps)
    return precopy(memory, dirty, bandwidth_mbps=bandwidth, rules=case["rules"], trace=trace)


def cpu_costs(
    hardware: str, measured: Mapping[str, Mapping[str, int]] | None
) -> dict[str, dict[str, int]]:
    """The per-operation cycles of the case's CPU: the published table with its measurements."""
    from .isa import HARDWARE

    table = {op: dict(cycles) for op, cycles in HARDWARE[hardware].items()}
    for op, cycles in (measured or {}).items():
        table[op].update(cycles)
    return table


def bt_wins(case: Case, extra_writes: int, trace: Trace) -> bool:
    """Whether binary translation beats hardware assist on the case's mix with ``extra_writes``
    more page-table writes, measured by the model on the case's CPU."""
    from .isa import measure_techniques

    mix = {op: int(n) for op, n in case["mix"].items()}
    mix["pte_write"] = mix.get("pte_write", 0) + extra_writes
    totals = measure_techniques(mix, case["hardware"], trace, measured=case.get("measured"))
    return totals["bt"] < totals["hw"]


def replay_turns(lengths: list[int], turns: Iterable[Any], trace: Trace) -> dict[str, Any]:
    """A schedule of ``[job, ran]`` turns played on the model's clock (an ``rr.run`` event per
    turn): when each job first ran and finished, and the average turnaround once all have."""
    left, now = list(lengths), 0
    first: dict[int, int] = {}
    end: dict[int, int] = {}
    played = []
    for i, turn in enumerate(turns):
        if not _well_formed_turn(turn, len(lengths)):
            raise _refusal("scheduling.turn.bad", step=i + 1, turn=turn, last=len(lengths) - 1)
        job, ran = int(turn[0]), turn[1]
        first.setdefault(job, now)
        left[job] -= ran
        done = left[job] <= 0 and job not in end
        trace.emit("rr.run", job=job, start=now, ran=ran, done=done)
        now += ran
        if done:
            end[job] = now
        played.append([job, ran])
    finished = len(end) == len(lengths)
    return {
        "turns": played,
        "lengths": list(lengths),
        "response": [first.get(j) for j in range(len(lengths))],
        "turnaround": [end.get(j) for j in range(len(lengths))],
        "average_turnaround": round(sum(end.values()) / len(lengths), 2) if finished else None,
    }


def _well_formed_turn(turn: Any, jobs: int) -> bool:
    """``[job, ran]``: a job's number and a positive, finite time it ran."""
    if not isinstance(turn, list | tuple) or len(turn) != 2:
        return False
    job, ran = turn
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in turn)
    return numbers and 0 <= job < jobs and job == int(job) and math.isfinite(ran) and ran > 0


def credit_shares(
    pcpus: int,
    domains: list[Case],
    settings: Mapping[str, Mapping[str, int]],
    run_ms: int,
    trace: Trace,
) -> dict[str, float]:
    """Each domain's share of the pCPUs after ``run_ms`` on Xen's credit scheduler with the
    weights and caps of ``settings``, to three places."""
    from .sched import CreditScheduler

    for d in domains:
        if d["name"] not in settings:
            raise _refusal("scheduling.share.no_settings", KeyError, name=d["name"])
    scheduler = CreditScheduler(pcpus, trace)
    for d in domains:
        chosen = settings[d["name"]]
        if not isinstance(chosen, Mapping) or not {"weight", "cap"} <= set(chosen):
            from .errors import InvalidOperation

            raise InvalidOperation(
                f"the settings of {d['name']!r} are a dict with 'weight' and 'cap', e.g. "
                f"{{'weight': 256, 'cap': 0}}, not {chosen!r}",
                zh=f"{d['name']!r} 的设置应是含有 'weight' 和 'cap' 的 dict，例如 "
                f"{{'weight': 256, 'cap': 0}}，而不是 {chosen!r}",
            )
        scheduler.add(d["name"], weight=chosen["weight"], cap=chosen["cap"], vcpus=d["vcpus"])
    scheduler.run(run_ms)
    return {d["name"]: round(scheduler.share(d["name"]), 3) for d in domains}


def departure(events: list[dict[str, Any]], fields: Iterable[str]) -> dict[str, Any] | None:
    """The first instruction after which the guest under the VMM sees something bare metal
    would not show it (``isa.retire`` events of the ``native`` and ``vmm`` runs compared step by
    step on ``fields``), or ``None``: where a learner's emulation went wrong."""
    native = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "native"]
    vmm = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "vmm"]
    for k in range(max(len(native), len(vmm))):
        if k >= len(native):
            return {"step": k, "field": "ran_on", "pc": vmm[k]["pc"], "insn": vmm[k]["insn"]}
        if k >= len(vmm):
            return {"step": k, "field": "stopped", "pc": native[k]["pc"], "insn": native[k]["insn"]}
        if vmm[k]["pc"] != native[k]["pc"]:
            blame = vmm[k - 1] if k else vmm[k]
            return {"step": k, "field": "pc", "pc": blame["pc"], "insn": blame["insn"]}
        for field in fields:
            if vmm[k][field] != native[k][field]:
                at = {"step": k, "field": field, "pc": vmm[k]["pc"], "insn": vmm[k]["insn"]}
                return {**at, "yours": vmm[k][field], "native": native[k][field]}
    return None


def consolidated_fleet(case: Case, trace: Trace) -> None:
    """The case's fleet, one VM per server, drained host by host up to the target utilisation
    with the power meter read after every move: the run the animation replays."""
    from .consolidation import Fleet, consolidate_fleet

    fields = ("servers", "utilisation_pct", "cores", "p_max", "p_idle", "target_pct")
    consolidate_fleet(Fleet(**{key: case[key] for key in fields}), trace)


def arch_pool(hosts: Iterable[Case], trace: Trace) -> tuple[ResourcePool, Callable[[Any], None]]:
    """A pool of hosts that speak different instruction sets, and ``emulate(vm)``: the guest
    run under QEMU TCG on the first host (an ``arch.emulate`` event), for one no host speaks."""
    from .architecture import emulate, mixed_pool
    from .hardware import Arch, Host

    pool = mixed_pool(
        [Host(h["name"], h["cores"], h["pages"], arch=Arch(h["arch"])) for h in hosts], trace
    )
    return pool, lambda vm: emulate(pool, vm)


def configured_guest(case: Case, config_page: int, trace: Trace) -> Guest:
    """A running guest that has done the case's deterministic work and then stored its service
    configuration on ``config_page``: what an update is tried on."""
    import random

    from .guest import Guest

    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    guest.start("host1")
    guest.run(case["work"], random.Random(case["seed"]))
    guest.write_memory(config_page, case["config"])
    return guest


def learner_policy(choose: Callable[[dict[str, Any], list[dict[str, Any]]], Any]) -> Any:
    """A learner's ``choose(vm, hosts)`` as the pool's placement policy: it sees the guest and
    each host's free capacity as plain dicts, and must name a host. Its trace label is
    ``learner``, so the replay never narrates a wrong choice as First Fit's."""

    def learner(vm: Any, views: Any) -> Any:
        hosts = [
            {
                "name": v.name,
                "free_vcpus": v.free_vcpus,
                "free_pages": v.free_pages,
                "on": v.powered_on,
            }
            for v in views
        ]
        chosen = choose({"name": vm.name, "vcpus": vm.vcpus, "pages": vm.memory_pages}, hosts)
        if chosen is None:
            raise _refusal("placement.returned_none", vm=vm.name)
        return chosen

    return learner


def place_each(pool: ResourcePool, guests: Iterable[Case], policy: Any) -> list[str | None]:
    """Each guest asked of the pool in turn and placed by ``policy``; a choice that does not
    fit is refused with the rule it broke (its host's free capacity), in both languages."""
    from tutor.explanations import explain

    from .errors import CapacityExceeded

    placed = []
    for spec in map(spec_of, guests):
        try:
            placed.append(pool.try_place(spec, policy))
        except CapacityExceeded as broken:
            no_room = explain("placement.no_room", vm=spec.name)
            reason = {"en": str(broken), "zh": broken.zh or no_room["zh"]}
            raise _refusal("placement.does_not_fit", broken=reason) from None
    return placed


def planned_pool(
    hosts: list[Case], guests: list[Case], plan: Mapping[str, str], trace: Trace
) -> ResourcePool:
    """A pool with every guest placed where ``plan`` says, through the model, so a plan that
    overfills a host is refused with the guest and host it broke on."""
    from .errors import CapacityExceeded

    pool = pool_of(hosts, trace)
    for spec in map(spec_of, guests):
        where = plan[spec.name]
        try:
            host = pool.try_place(spec, _planned(where))
        except CapacityExceeded:
            host = None
        if host is None:
            raise _refusal("placement.plan_no_room", vm=spec.name, host=where)
    return pool


def _planned(host: str) -> Any:
    """The policy "where the plan says", labelled ``plan`` in the trace."""

    def plan(vm: Any, views: Any) -> str:
        return host

    return plan


def host_table(pool: ResourcePool) -> list[dict[str, Any]]:
    """Each host's size and what is still free on it, as admission control reads them."""
    return [
        {
            "name": v.name,
            "cores": v.cores,
            "pages": v.memory_pages,
            "free_vcpus": v.free_vcpus,
            "free_pages": v.free_pages,
        }
        for v in pool.views()
    ]


def admit_each(
    pool: ResourcePool, guests: list[Case], admit: Callable[..., Any], verdicts: Iterable[str]
) -> tuple[list[Any], dict[str, str]]:
    """Each guest asked of the pool in turn, the learner's ``admit(hosts, guest)`` deciding: an
    "admit" goes to the model (which places the guest First Fit, or refuses it itself), a
    refusal is recorded with the learner's reason. The answers, and where the guests landed."""
    verdicts = list(verdicts)
    answers = []
    for guest, spec in zip(guests, map(spec_of, guests), strict=True):
        answer = admit(host_table(pool), dict(guest))
        answers.append(answer)
        if answer["verdict"] == "admit":
            pool.try_place(spec)
        elif answer["verdict"] in verdicts:
            pool.decline(spec, answer["verdict"])
        else:
            raise _refusal(
                "admission.unknown_verdict", verdict=answer["verdict"], verdicts=", ".join(verdicts)
            )
    pool.check()
    placed = {
        g["name"]: pool.host_of(g["name"])
        for g in guests
        if any(g["name"] in v.vms for v in pool.views())
    }
    return answers, placed


SLICE_KEYS = ("vcpus", "memory_pages", "disk_blocks", "nic_mbps")


def carved_host(
    guests: Mapping[str, Case], hypervisor_pages: int, spare: int, trace: Trace
) -> SlicedHost:
    """A host just big enough for the hypervisor's pages and each guest's slice of memory and
    disk (one core each, ``spare`` pages and blocks left over), every guest carved in order."""
    from .hardware import Disk, Host, Nic
    from .slices import SlicedHost

    memory = hypervisor_pages + sum(g["memory_pages"] for g in guests.values()) + spare
    disk = sum(g["disk_blocks"] for g in guests.values()) + spare
    host = Host("host", len(guests), memory, disks=(Disk("sda", disk),), nics=(Nic("eth0", 1000),))
    sliced = SlicedHost(host, trace=trace, hypervisor_pages=hypervisor_pages)
    for name, g in guests.items():
        sliced.carve(name, 1, g["memory_pages"], g["disk_blocks"], 0)
    return sliced


def sized_host(host: Case, trace: Trace) -> SlicedHost:
    """The case's host (``cores``, ``memory_pages``, ``disk_blocks``, ``nic_mbps``,
    ``hypervisor_pages``) with its ``guests`` already carved, as ``guest1``, ``guest2`` ..."""
    from .hardware import Disk, Host, Nic
    from .slices import SlicedHost

    machine = Host(
        "host",
        cores=host["cores"],
        memory_pages=host["memory_pages"],
        disks=(Disk("sda", host["disk_blocks"]),),
        nics=(Nic("eth0", host["nic_mbps"]),),
    )
    sliced = SlicedHost(machine, trace=trace, hypervisor_pages=host["hypervisor_pages"])
    for i, guest in enumerate(host["guests"]):
        sliced.carve(f"guest{i + 1}", *(guest[key] for key in SLICE_KEYS))
    return sliced


def try_spec(
    host: SlicedHost, spec: Mapping[str, int], need: Mapping[str, int], next_guest: Case | None
) -> dict[str, Any]:
    """A learner's VM spec carved out of ``host`` as ``yours``: the host's refusal, the
    resources it gives less of than ``need``, and whether ``next_guest`` still fits after it
    (``True``, the refusal, or ``None`` when no guest follows)."""
    from .errors import CapacityExceeded

    outcome: dict[str, Any] = {
        "spec": spec,
        "refused": None,
        "error": None,
        "short": [],
        "room": None,
    }
    try:
        host.carve("yours", *(spec[key] for key in SLICE_KEYS))
    except CapacityExceeded as error:
        outcome["refused"] = {"en": str(error), "zh": error.zh}
        return outcome
    outcome["short"] = [key for key in SLICE_KEYS if spec[key] < need[key]]
    if next_guest is not None:
        try:
            host.carve("next", *(next_guest[key] for key in SLICE_KEYS))
            outcome["room"] = True
        except CapacityExceeded as error:
            outcome["room"] = {"en": str(error), "zh": error.zh}
    return outcome


def workload_need(load: Case) -> dict[str, int]:
    """What a workload needs of a VM: a vCPU per thread, pages for its OS and application,
    blocks for its OS and data, its network rate."""
    return {
        "vcpus": load["threads"],
        "memory_pages": load["os_pages"] + load["app_pages"],
        "disk_blocks": load["os_blocks"] + load["data_blocks"],
        "nic_mbps": load["mbps"],
    }


def play_ops(
    host: SlicedHost, ops: list[list[Any]], predicted: list[Any], trace: Trace
) -> list[Any]:
    """The case's restarts, writes and reads on the sliced host, each read followed by the
    learner's prediction of it (``slice.predicted``): what each read saw (``"refused"`` for one
    outside the guest's slice)."""
    from .errors import IsolationViolation

    observed: list[Any] = []
    for op in ops:
        try:
            if op[0] == "restart":
                host.restart(op[1])
            elif op[0] == "write":
                host.write(op[1], op[2], op[3], op[4])
            else:
                observed.append(host.read(op[1], op[2], op[3]))
        except IsolationViolation:
            if op[0] == "read":
                observed.append("refused")
        if op[0] == "read":
            i = len(observed) - 1
            guess = predicted[i] if i < len(predicted) else None
            trace.emit("slice.predicted", guest=op[1], read=i, predicted=guess)
    return observed


def translate_each(
    host: SlicedHost,
    layout: Case,
    accesses: list[list[Any]],
    translate: Callable[..., Any],
    trace: Trace,
) -> tuple[list[int | None], list[Any]]:
    """Each access read by the model (its host address, or ``None`` when refused) and then
    translated by the learner's ``translate(layout, guest, resource, address)``, whose answer
    follows in the trace (``slice.translated``): the model's addresses and the learner's."""
    from .errors import IsolationViolation

    model: list[int | None] = []
    yours = []
    for guest, resource, address in accesses:
        try:
            host.read(guest, resource, address)
            model.append(host.host_address(guest, resource, address))
        except IsolationViolation:
            model.append(None)
        copy = {
            "hypervisor_pages": layout["hypervisor_pages"],
            "guests": [dict(g) for g in layout["guests"]],
        }
        yours.append(translate(copy, guest, resource, address))
        trace.emit(
            "slice.translated",
            guest=guest,
            resource=resource,
            address=address,
            host_address=yours[-1],
        )
    return model, yours


def worked_guest(case: Case, trace: Trace, snapshot: str | None = None) -> Guest:
    """The case's guest started on its ``source`` host and put through its ``work``: each
    number is that many steps of deterministic work, each ``"snapshot"`` a snapshot (named
    ``snapshot``, or ``s1``, ``s2`` ... in order)."""
    import random

    from .guest import Guest

    guest = Guest(
        case["name"],
        vcpus=case.get("vcpus", 1),
        memory_pages=case["pages"],
        disk_blocks=dict(case["disks"]),
        trace=trace,
    )
    guest.start(case["source"])
    rng = random.Random(case["seed"])
    for steps in case["work"]:
        if steps == "snapshot":
            guest.snapshot(snapshot or f"s{len(guest.snapshots()) + 1}")
        else:
            guest.run(steps, rng)
    return guest


def vm_files(guest: Guest) -> dict[str, Any]:
    """The VM's files as a hypervisor lays them out, as JSON: a ``.vmx`` naming each disk's top
    file, one ``.vmdk`` per layer of each disk's chain (base first, each naming its parent), and
    a ``.vmss`` memory file if the guest was suspended while running."""
    vm = guest.name
    files: dict[str, Any] = {}
    tops: dict[str, str | None] = {}
    for disk, image in sorted(guest.disks.items()):
        layers = []
        layer: DiskImage | None = image
        while layer is not None:
            layers.append(layer)
            layer = layer.base
        parent = None
        for depth, layer in enumerate(reversed(layers)):
            name = f"{vm}-{disk}.vmdk" if depth == 0 else f"{vm}-{disk}-{depth:06d}.vmdk"
            blocks = {str(b): v for b, v in sorted(layer.delta.items())}
            files[name] = {"parent": parent, "blocks": blocks}
            parent = name
        tops[disk] = parent
    files[f"{vm}.vmx"] = {"config": guest.config(), "disk_files": tops}
    if guest.state == "saved":
        files[f"{vm}.vmss"] = {
            "memory": {str(p): v for p, v in sorted(guest.memory.items())},
            "cpu": dict(guest.cpu),
        }
    return files


def cloned_storage(plan: Case, trace: Trace) -> dict[str, Any]:
    """A plan of disk writes and linked clones carried out on the model (every write a distinct
    non-zero value, every clone started), and the storage it measures: each guest's own
    copy-on-write blocks, the blocks stored in all, and what full copies would have held."""
    from .guest import Guest, storage_blocks

    golden = Guest(
        plan["golden"], memory_pages=4, disk_blocks={"disk0": plan["blocks"]}, trace=trace
    )
    golden.start("host-a")
    guests = {golden.name: golden}
    value = 0
    for step in plan["steps"]:
        if step[0] == "write":
            for block in step[2]:
                value += 1
                guests[step[1]].write_disk("disk0", block, value)
        else:
            clone = guests[step[1]].linked_clone(step[2])
            clone.start()
            guests[clone.name] = clone
    return {
        "per_guest": {name: g.own_blocks() for name, g in guests.items()},
        "total": storage_blocks(list(guests.values())),
        "full_copies": sum(len(g.disks["disk0"].contents()) for g in guests.values()),
    }


def guest_state(guest: Guest) -> dict[str, Any]:
    """Everything a guest is, as plain JSON (page and block numbers as text): its state, host,
    configuration, each disk's contents through its chain, memory and CPU."""
    return {
        "state": guest.state,
        "host": guest.host,
        "config": guest.config(),
        "disks": {
            d: {str(b): v for b, v in img.contents().items()} for d, img in guest.disks.items()
        },
        "memory": {str(p): v for p, v in sorted(guest.memory.items())},
        "cpu": dict(guest.cpu),
    }


VNF_FOR = {"block_ports": "firewall", "hide_addresses": "nat", "backends": "load_balancer"}


def needed_vnfs(need: Case) -> list[str]:
    """The network functions a customer's needs call for, sorted."""
    return sorted(VNF_FOR[key] for key in VNF_FOR if need.get(key))


def build_scene(kind: str, facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    """The scene a learner's classification implies, built on the model (its trace is the
    replay), and whether it meets the situation's need (``met``); a scene missing what its type
    needs says so (``why``)."""
    builders = {
        "desktop": _desktop_scene,
        "operating_system": _os_scene,
        "server": _server_scene,
        "data": _data_scene,
        "network_function": _nfv_scene,
    }
    return {**builders[kind](facts, scene, trace), "type": kind}


def _scene_lacks(key: str) -> dict[str, Any]:
    from tutor.explanations import explain

    return {"met": False, "why": explain(f"virtualization_types.scene.{key}")}


def _desktop_scene(facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    from .scenarios import DesktopPool

    n = scene.get("desktops")
    if not isinstance(n, int) or n < 1:
        return _scene_lacks("desktops")
    pool = DesktopPool(trace=trace)
    pool.install(1, 1)
    pool.roll_out(n)
    pool.push_update({2: 2})
    failing = pool.audit(2, 2)
    return {"met": n == facts["users"] and not failing, "desktops": n}


def _os_scene(facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    from .scenarios import several_oses

    oses = scene.get("oses")
    if not isinstance(oses, list):
        return _scene_lacks("oses")
    several_oses([str(o) for o in oses], trace=trace)
    return {"met": sorted(oses) == sorted(facts["oses"]), "oses": sorted(map(str, oses))}


def _server_scene(facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    from .scenarios import consolidate_servers

    hosts = scene.get("hosts")
    if not isinstance(hosts, int):
        return _scene_lacks("hosts")
    result = consolidate_servers(
        len(facts["apps"]),
        facts["load"],
        cores=facts["server_cores"],
        memory_pages=facts["server_memory_gb"] * 1024,
        server_pages=facts["app_memory_gb"] * 1024,
        trace=trace,
    )
    return {"met": hosts == result.hosts_after, "hosts": hosts}


def _data_scene(facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    from .errors import InvalidOperation
    from .scenarios import FederatedView

    mapping = scene.get("mapping")
    if not isinstance(mapping, dict):
        return _scene_lacks("mapping")
    try:
        rows = FederatedView(facts["sources"], mapping, trace=trace).query(facts["fields"])
    except (InvalidOperation, AttributeError, TypeError):
        return {"met": False, "rows": 0, "complete": 0}
    complete = sum(all(row.get(f) is not None for f in facts["fields"]) for row in rows)
    total = sum(len(r) for r in facts["sources"].values())
    return {"met": complete == total, "rows": len(rows), "complete": complete}


def _nfv_scene(facts: Case, scene: Mapping[str, Any], trace: Trace) -> dict[str, Any]:
    from .errors import SimError
    from .hardware import Host
    from .network import Mano, Packet

    chain = scene.get("chain")
    if not isinstance(chain, list) or not chain:
        return _scene_lacks("chain")
    mano = Mano([Host("nfvi-1", 8, 4096), Host("nfvi-2", 8, 4096)], trace=trace)
    try:
        service = mano.nfvo.create_service("customer", [str(k) for k in chain])
    except SimError:
        return {"met": False, "chain": sorted(map(str, chain))}
    need = facts["network"]
    ok = True
    for port in need.get("block_ports", []):
        ok &= service.send(Packet("10.0.0.5", "198.51.100.7", port)) is None
    out = service.send(Packet("10.0.0.5", "198.51.100.7", 443))
    ok &= out is not None
    if out is not None:
        ok &= (out.src != "10.0.0.5") == bool(need.get("hide_addresses"))
    return {"met": ok and sorted(chain) == needed_vnfs(need), "chain": sorted(map(str, chain))}


OS_BLOCKS, PROFILE_BLOCKS = 16, 4
USER_BLOCK = 0  # each user's data on their profile disk


def patches(case: Case, new: bool | None = None) -> list[dict[str, Any]]:
    """The case's patches in its order, block numbers as numbers: all of them, or only those
    newer (``new=True``) or not newer (``new=False``) than the pool's ``current`` version."""
    found = [
        {"version": p["version"], "blocks": {int(b): v for b, v in p["blocks"].items()}}
        for p in case["patches"]
    ]
    if new is None:
        return found
    return [p for p in found if (p["version"] > case["current"]) == new]


def patched_image(case: Case) -> dict[int, Any]:
    """The OS blocks every desktop must read once all patches are in, newest patch last."""
    image = {int(b): v for b, v in case["image"].items()}
    for patch in sorted(patches(case), key=lambda p: p["version"]):
        image.update(patch["blocks"])
    return image


def desktop_pool(case: Case, trace: Trace) -> DesktopPool:
    """The case's pool of desktops: linked clones of one golden image with the patches up to
    ``current`` in, each user's data on their profile disk, and some desktops' OS disks
    drifted by hand."""
    from .scenarios import DesktopPool

    pool = DesktopPool(OS_BLOCKS, PROFILE_BLOCKS, trace=trace)
    for block, value in sorted(case["image"].items()):
        pool.install(int(block), value)
    pool.roll_out(case["desktops"])
    for patch in sorted(patches(case, new=False), key=lambda p: p["version"]):
        pool.push_update(patch["blocks"])
    for i, desktop in enumerate(pool.desktops):
        desktop.write_disk("profile", USER_BLOCK, 1000 + i)
    for i, block, value in case["drift"]:
        pool.desktops[i].write_disk("os", block, value)
    return pool


def after_rollout(pool: DesktopPool, case: Case, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The pool a roll-out left (``events``: the trace since it began), checked after a few
    more desktops are rolled out: its version, the desktops still reading an old block (among
    the existing and the late ones), profiles lost, the blocks audited."""
    audited = sorted({e["block"] for e in events if e["kind"] == "desktop.audit"})
    existing = [d.name for d in pool.desktops]
    pool.roll_out(case["late"])
    image = patched_image(case)
    patched = sorted({b for p in patches(case, new=True) for b in p["blocks"]})
    stale = sorted(
        d.name for d in pool.desktops if any(d.read_disk("os", b) != image[b] for b in patched)
    )
    lost = sorted(
        d.name
        for i, d in enumerate(pool.desktops)
        if d.name in existing and d.read_disk("profile", USER_BLOCK) != 1000 + i
    )
    return {
        "version": pool.version,
        "stale_existing": [n for n in stale if n in existing],
        "stale_late": [n for n in stale if n not in existing],
        "profiles_lost": lost,
        "audited": audited,
    }


def drive_switch(
    ports: list[Case], frames: list[Case], forward: Callable[..., Any], trace: Trace
) -> dict[str, Any]:
    """A learner's learning switch driven frame by frame: ``forward(table, ports, in_port, src,
    dst)`` learns into ``table`` and returns the ports a frame leaves by; its decisions go into
    the trace as the model's own ``net.*`` events, so the replay shows them on the switch."""
    from .network import BROADCAST

    vlans = {int(p["port"]): int(p["vlan"]) for p in ports}
    macs = {int(p["port"]): p["mac"] for p in ports}
    for p in ports:
        at = {"port": p["port"], "guest": p["guest"], "mac": p["mac"], "vlan": p["vlan"]}
        trace.emit("net.attach", switch="vswitch0", **at)
    table: dict[Any, Any] = {}
    sent = []
    for frame in frames:
        in_port, dst = frame["port"], frame["dst"]
        src, vlan = macs[in_port], vlans[in_port]
        known = (vlan, dst) in table and dst != BROADCAST
        before = dict(table)
        out = forward(table, dict(vlans), in_port, src, dst)
        for key, port in table.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise _refusal("switching.table_keys", TypeError, key=repr(key))
            if before.get(key) != port:
                trace.emit("net.learn", switch="vswitch0", vlan=key[0], mac=key[1], port=port)
        out = sorted(out)
        delivered = [macs[p] for p in out if p in macs and (macs[p] == dst or dst == BROADCAST)]
        trace.emit(
            "net.forward",
            switch="vswitch0",
            vlan=vlan,
            src=src,
            dst=dst,
            flooded=not known,
            ports=out,
            delivered=delivered,
        )
        sent.append(out)
    return {"sent": sent, "table": sorted([k[0], k[1], v] for k, v in table.items())}


def switch_decisions(ports: list[Case], frames: list[Case]) -> tuple[list[Any], list[bool]]:
    """What the model's switch does with the same ports and frames: the ports each frame leaves
    by, and whether its destination was already learned when it arrived."""
    from .network import BROADCAST, VirtualSwitch

    switch = VirtualSwitch()
    macs = {int(p["port"]): p["mac"] for p in ports}
    for p in ports:
        switch.attach(p["guest"], p["mac"], p["vlan"])
    guest = {p["mac"]: p["guest"] for p in ports}
    known_before = []
    for frame in frames:
        src = macs[frame["port"]]
        vlan = next(p["vlan"] for p in ports if p["port"] == frame["port"])
        known_before.append((vlan, frame["dst"]) in switch.table and frame["dst"] != BROADCAST)
        switch.send(guest[src], src, frame["dst"])
    sent = [e["ports"] for e in switch.trace.events if e["kind"] == "net.forward"]
    return sent, known_before


def stranded_guests(
    hosts: list[Case], guests: list[Case], plan: Mapping[str, Any], trace: Trace
) -> dict[str, list[str]]:
    """Each host failed in turn on its own copy of the planned pool, its guests restarted First
    Fit (largest first): the guests each failure leaves stopped, by host. ``trace`` gets the
    plan and the first failure that strands a guest (or, if none does, the busiest host's)."""
    from .trace import Trace

    names = {h["name"] for h in hosts}
    for g in guests:
        if plan.get(g["name"]) not in names:
            raise _refusal("placement.plan_unplaced", vm=g["name"], host=plan.get(g["name"]))
    stranded = {}
    for h in hosts:
        lost = planned_pool(hosts, guests, plan, Trace()).fail_host(h["name"])
        if any(where is None for where in lost.values()):
            stranded[h["name"]] = sorted(vm for vm, where in lost.items() if where is None)
    busiest = max(hosts, key=lambda h: sum(1 for v in plan.values() if v == h["name"]))
    planned_pool(hosts, guests, plan, trace).fail_host(next(iter(stranded), busiest["name"]))
    return stranded


def start_each(
    pool: ResourcePool, guests: list[Case], start: Callable[..., Any], emulate: Any, trace: Trace
) -> tuple[list[Any], dict[str, str | None]]:
    """Each guest (built for its ``arch``) started through the learner's ``start(pool, vm,
    emulate)``: what each became, and the host each virtualised guest runs on. A refusal of the
    pool that escapes is shown in Chinese too."""
    from tutor.explanations.architectures import refusal_zh

    from .errors import SimError
    from .hardware import Arch
    from .pool import VmSpec

    results, where = [], {}
    for g in guests:
        vm = VmSpec(g["name"], g["vcpus"], g["pages"], 0.5, arch=Arch(g["arch"]))
        try:
            results.append(start(pool, vm, emulate))
        except SimError as error:
            error.zh = error.zh or refusal_zh(error, vm.name)
            raise
        placed = any(e["kind"] == "pool.place" and e["vm"] == vm.name for e in trace.events)
        where[vm.name] = pool.host_of(vm.name) if placed else None
    return results, where


def place_by_name(pool: ResourcePool, specs: Mapping[str, VmSpec]) -> Callable[[Any, Any], None]:
    """``place(vm_name, host_name)``: the one call a learner's packing makes on the pool, each
    refused in the catalogue's words unless guest and host exist and the guest fits."""

    def place(vm_name: Any, host_name: Any) -> None:
        vm = named_target(pool, specs, vm_name, host_name, moving=False)
        pool.place(vm, lambda *_: host_name)

    return place


def migrate_by_name(
    pool: ResourcePool, specs: Mapping[str, VmSpec], moved: list[str]
) -> Callable[[Any, Any], None]:
    """``migrate(vm_name, host_name)``: a live migration a learner asks of the pool, checked
    like ``place``; each guest moved is appended to ``moved``."""

    def migrate(vm_name: Any, host_name: Any) -> None:
        pool.move(named_target(pool, specs, vm_name, host_name, moving=True).name, host_name)
        moved.append(vm_name)

    return migrate


def kernel_runs(
    user_mode: list[str], program: list[Any] | None, most: int, trace: Trace
) -> dict[str, Any]:
    """A learner's guest kernel (at most ``most`` instructions) run natively and under
    trap-and-emulate on a machine where ``user_mode`` instructions run unprivileged: whether
    the two runs diverge, and how."""
    from .isa import compare_runs, isa_variant

    shown = None if program is None else [list(insn) for insn in program]
    result = {"program": shown, "diverges": False, "differences": [], "too_long": False}
    if program is None or len(program) > most:
        return {**result, "too_long": program is not None}
    isa = isa_variant("this machine", user_mode)
    runs = compare_runs(isa, [tuple(insn) for insn in program], trace=trace, max_steps=50)
    return {**result, "diverges": runs.diverges, "differences": list(runs.differences)}
