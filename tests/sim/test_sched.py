"""Round robin (OSTEP) and the Xen credit scheduler (lesson 9)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import CreditScheduler, InvalidOperation, Trace, round_robin


def test_round_robin_matches_ostep_scheduler_py() -> None:
    # ./scheduler.py -p RR -l 5,10,15 -q 2 -c
    result = round_robin([5, 10, 15], quantum=2)
    assert f"{result.average_turnaround:.2f}" == "22.00"
    assert [j.turnaround for j in result.jobs] == [13, 23, 30]
    assert [j.response for j in result.jobs] == [0, 2, 4]
    assert f"{result.average_response:.2f}" == "2.00"
    assert f"{result.average_wait:.2f}" == "12.00"


def test_round_robin_trace_is_a_gantt_chart() -> None:
    trace = Trace()
    round_robin([3, 1], quantum=2, trace=trace)
    runs = [(e["job"], e["start"], e["ran"], e["done"]) for e in trace.of_kind("rr.run")]
    assert runs == [(0, 0, 2, False), (1, 2, 1, True), (0, 3, 1, True)]


def test_weights_512_256_split_two_to_one_over_three_seconds() -> None:
    s = CreditScheduler(pcpus=1)
    s.add("heavy", weight=512)
    s.add("light", weight=256)
    s.run(3000)
    ratio = s.cpu_ms("heavy") / s.cpu_ms("light")
    assert ratio == pytest.approx(2.0, rel=0.02)
    assert s.cpu_ms("heavy") + s.cpu_ms("light") == 3000


def test_cap_50_holds_on_an_idle_host() -> None:
    s = CreditScheduler(pcpus=4)
    s.add("capped", cap=50)
    s.run(3000)
    assert s.share("capped") == pytest.approx(0.5, abs=0.011)
    assert sum(s.idle_ms) > 3 * 3000  # the other pCPUs idle, and still the cap holds
    assert s.trace.of_kind("sched.park")


def test_no_vcpu_gets_more_than_one_pcpu_and_spare_credit_is_redistributed() -> None:
    s = CreditScheduler(pcpus=2)
    s.add("a", weight=512)
    s.add("b")
    s.add("c")
    s.run(3000)
    assert s.cpu_ms("a") <= 3000
    assert s.cpu_ms("b") == pytest.approx(1500, abs=60)
    assert s.cpu_ms("c") == pytest.approx(1500, abs=60)


def test_boost_keeps_an_io_bound_vcpu_responsive() -> None:
    s = CreditScheduler(pcpus=1)
    s.add("io", burst_ms=10, sleep_ms=50)
    s.add("hog")
    s.run(3000)
    wakes = s.trace.of_kind("sched.wake")
    assert wakes and all(w["prio"] == "BOOST" for w in wakes)
    # Every wake-up is served at the very next tick: the io vCPU gets all the CPU it asks for.
    assert s.cpu_ms("io") == 500


def test_pinning_keeps_a_vcpu_on_its_pcpus() -> None:
    s = CreditScheduler(pcpus=4)
    s.add("pinned", pin=[2])
    for i in range(6):
        s.add(f"v{i}")
    s.run(600)
    for tick in s.trace.of_kind("sched.tick"):
        running = tick["running"]
        assert all(name != "pinned" for p, name in enumerate(running) if p != 2)
    with pytest.raises(InvalidOperation, match="pin"):
        s.pin("v0", [7])


def test_weight_belongs_to_the_domain_not_to_each_vcpu() -> None:
    s = CreditScheduler(pcpus=1)
    s.add("smp", vcpus=2)  # two vCPUs, weight 256 for the guest as a whole
    s.add("up")  # one vCPU, weight 256
    s.run(3000)
    assert s.cpu_ms("smp") == pytest.approx(s.cpu_ms("up"), rel=0.03)
    assert s.cpu_ms("smp.0") == pytest.approx(s.cpu_ms("smp.1"), rel=0.05)


def test_a_domain_cap_above_100_spans_pcpus() -> None:
    s = CreditScheduler(pcpus=4)
    s.add("db", vcpus=2, cap=150)
    s.run(3000)
    assert s.share("db") == pytest.approx(1.5, abs=0.03)
    with pytest.raises(InvalidOperation, match=r"and 200 for a domain"):
        s.set_cap("db", 250)


def test_validation_messages() -> None:
    s = CreditScheduler(pcpus=1)
    with pytest.raises(InvalidOperation, match="cap"):
        s.add("x", cap=150)
    with pytest.raises(InvalidOperation, match="weight"):
        s.add("x", weight=0)
    with pytest.raises(InvalidOperation, match="quantum"):
        round_robin([1], quantum=0)


vcpu_specs = st.lists(
    st.tuples(
        st.sampled_from([64, 128, 256, 512]),
        st.sampled_from([0, 0, 25, 50]),
        st.one_of(st.none(), st.sampled_from([10, 20, 40])),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), vcpu_specs)
def test_scheduler_invariants(pcpus: int, specs: list[tuple[int, int, int | None]]) -> None:
    def build() -> CreditScheduler:
        s = CreditScheduler(pcpus)
        for i, (weight, cap, burst) in enumerate(specs):
            s.add(f"v{i}", weight=weight, cap=cap, burst_ms=burst, sleep_ms=30)
        s.run(600)
        return s

    s = build()
    total = sum(v.cpu_ms for v in s.vcpus.values()) + sum(s.idle_ms)
    assert total == pcpus * 600  # every pCPU-tick is either a vCPU's or idle
    for tick in s.trace.of_kind("sched.tick"):
        names = [n for n in tick["running"] if n is not None]
        assert len(names) == len(set(names))  # a vCPU runs on one pCPU at a time
    for i, (_, cap, _) in enumerate(specs):
        if cap:
            assert s.cpu_ms(f"v{i}") <= 600 * cap / 100 + 60
    assert build().trace.digest() == s.trace.digest()  # deterministic
