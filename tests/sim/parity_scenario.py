"""A fixed scenario touching most of tutor.sim; run in CPython and in Pyodide, digests compared.

Kept free of test-only imports: test_pyodide_parity.py sends this file's text to Pyodide.
"""

from __future__ import annotations

import json
import random

from tutor.sim import (
    TOY_ISA,
    X86_LIKE_ISA,
    ConstantDirtyRate,
    CreditScheduler,
    DesktopPool,
    FederatedView,
    Guest,
    Host,
    HotPageDirtier,
    Hypervisor,
    MachineMemory,
    Mano,
    Packet,
    ResourcePool,
    TaxClient,
    Trace,
    TrapAndEmulateVmm,
    VirtualSwitch,
    VmSpec,
    classify,
    consolidate_servers,
    fifo,
    idle_tax_allocation,
    live_migrate,
    page_faults,
    precopy,
    precopy_volumes,
    round_robin,
    share_bandwidth,
    sjf,
)
from tutor.sim.budget import StepBudget
from tutor.sim.credit_policy import PolicyCreditScheduler, xen_account, xen_pick
from tutor.sim.isa import HARDWARE, X86_UMIP_ISA, compare_runs, isa_variant, measure_techniques


def run() -> str:
    rng = random.Random(2024)
    t = Trace(StepBudget(2_000_000))

    Hypervisor("type2", trace=t).perform("disk_read")
    Hypervisor("kvm", trace=t).perform("net_send")

    pool = ResourcePool([Host(f"h{i}", 16, 4096) for i in range(12)], t)
    vms = [
        VmSpec(f"vm{i}", rng.randint(1, 4), rng.randint(100, 1500), load=rng.random())
        for i in range(40)
    ]
    pool.announce(vms)
    pool.place_all(vms, "first_fit_decreasing")
    for i in range(0, 40, 3):
        pool.remove(f"vm{i}")
    pool.consolidate()
    t.emit("parity.pool", watts=pool.power(), util=pool.utilisation(), on=pool.hosts_on())
    live_migrate(pool, "vm1", "h11", 256.0, HotPageDirtier(256.0, 30_000, 2_000, seed=5))

    round_robin([5, 10, 15], 2, trace=t)
    sched = CreditScheduler(4, t)
    for i in range(10):
        sched.add(
            f"v{i}",
            weight=(128, 256, 512)[i % 3],
            cap=50 if i == 0 else 0,
            pin=[1] if i == 1 else None,
            burst_ms=20 if i % 4 == 3 else None,
            sleep_ms=30,
        )
    sched.add("smp", vcpus=3, cap=150, weight=384)
    sched.run(1200)
    policy = PolicyCreditScheduler(2, t, account=xen_account, pick=xen_pick)
    policy.add("io", burst_ms=10, sleep_ms=20)
    policy.add("smp", vcpus=2, cap=120)
    policy.add("up", weight=512)
    policy.run(600)

    mm = MachineMemory(24, t, policy="clock")
    for g in ("A", "B", "C"):
        mm.add_guest(g, 12)
        for v in range(10):
            mm.map(g, v, v)
    for _ in range(120):
        g = rng.choice("ABC")
        mm.write(g, rng.randrange(10), rng.choice([0, 7, 7, 9, rng.randrange(100)]))
        if rng.random() < 0.1:
            mm.share()
    mm.balloon_inflate("B", 2)
    mm.check()
    page_faults([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], 3, "fifo", trace=t)
    page_faults([rng.randrange(8) for _ in range(40)], 4, "opt", trace=t)
    fifo([3, 17, 16, 6, 10], trace=t)
    sjf([5, 11, 8, 13, 13], trace=t)
    salted = MachineMemory(12, t, salting=True)
    for g, salt in (("P", "tenant"), ("Q", "tenant"), ("R", None)):
        salted.add_guest(g, 4, salt=salt)
        for v in range(4):
            salted.map(g, v, v)
            salted.write(g, v, rng.choice([7, 7, 9]))
    salted.share()
    salted.check()
    idle_tax_allocation(
        900, [TaxClient("x", 1000, 0.9, 600), TaxClient("y", 1500, 0.2, 600)], trace=t
    )

    precopy(2048.0, ConstantDirtyRate(2048.0, 120.0), bandwidth_mbps=1000.0, trace=t)
    precopy(512.0, ConstantDirtyRate(512.0, 800.0), trace=t)
    precopy(512.0, ConstantDirtyRate(512.0, 800.0), rules="xen-4.5", trace=t)
    precopy(
        65536.0, ConstantDirtyRate(65536.0, 660.0), bandwidth_mbps=1000.0, rules="xen-4.5", trace=t
    )
    t.emit("parity.series", v=precopy_volumes(1024.0, 100.0, 1000.0, 8))

    web = Guest("web", vcpus=2, memory_pages=32, disk_blocks={"disk0": 64}, trace=t)
    web.start("h0")
    web.run(40, rng)
    web.snapshot("s1")
    web.run(10, rng)
    web.rollback("s1")
    clone = web.linked_clone("web2")
    clone.start()
    clone.run(10, rng)
    Guest.restore(web.save(), trace=t, host="h1")

    classify(TOY_ISA, trace=t)
    classify(X86_LIKE_ISA, trace=t)
    kernel = [("add", "a", 4), ("cli",), ("out", "a"), ("popf", "b"), ("sti",), ("halt",)]
    TrapAndEmulateVmm(TOY_ISA, trace=t).run(kernel)
    TrapAndEmulateVmm(X86_LIKE_ISA, trace=t).run(kernel)
    probe = [("setr", 0, 16), ("getr", "a"), ("popf", "b"), ("out", "a"), ("halt",)]
    for isa in (X86_UMIP_ISA, isa_variant("holes", ["getr", "cli", "out"])):
        classify(isa, trace=t)
        compare_runs(isa, probe, trace=t)
    for hardware in HARDWARE:
        measure_techniques({"pte_write": 500, "page_fault": 40, "tlb_miss": 900}, hardware, t)

    sw = VirtualSwitch(trace=t)
    macs = [f"02:00:00:00:00:{i:02x}" for i in range(6)]
    for i, mac in enumerate(macs):
        sw.attach(f"g{i}", mac, vlan=10 + i % 2)
    for _ in range(30):
        s = rng.randrange(6)
        sw.send(f"g{s}", macs[s], rng.choice([*macs, "ff:ff:ff:ff:ff:ff"]), rng.random())
    share_bandwidth(1000.0, {"a": 100.0, "b": 700.0, "c": 400.0}, {"c": 2.0}, trace=t)
    mano = Mano([Host("nfvi0", 4, 2048), Host("nfvi1", 4, 2048)], t)
    chain = mano.nfvo.create_service("edge", ["firewall", "nat", "load_balancer"])
    for port in (80, 23, 443):
        chain.send(Packet("10.1.1.1", "198.51.100.2", port))

    desktops = DesktopPool(trace=t)
    desktops.install(0, 1)
    desktops.roll_out(20)
    desktops.push_update({0: 2})
    desktops.audit(0, 2)
    consolidate_servers(16, 0.12, trace=t)
    FederatedView(
        {"a": [{"n": "x", "c": 1}], "b": [{"name": "y", "city": 2}]},
        {"a": {"n": "name", "c": "city"}, "b": {"name": "name", "city": "city"}},
        trace=t,
    ).query(where=lambda r: r["city"] > 0)

    areas: dict[str, list[object]] = {}
    for event in t.events:
        areas.setdefault(str(event["kind"]).split(".")[0], []).append(event)
    area_digests = {
        area: Trace(events=list(events)).digest() for area, events in sorted(areas.items())
    }
    return json.dumps(
        {"digest": t.digest(), "events": len(t.events), "areas": area_digests}, sort_keys=True
    )
