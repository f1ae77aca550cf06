"""Every figure lesson 9 (vcpu-scheduling) states, computed by the model, with its source."""

from __future__ import annotations

import pytest

from tutor.sim import CreditScheduler, fifo, round_robin, sjf
from tutor.web.credit_scenes import credit_gantt


def test_fifo_sjf_and_round_robin_table_ostep_ch7() -> None:
    """OSTEP ch. 7 / cpu-sched/scheduler.py -l 5,10,15 (-p FIFO | SJF | RR -q 2) -c."""
    jobs = [5, 10, 15]
    for result in (fifo(jobs), sjf(jobs)):
        assert round(result.average_response, 2) == 6.67
        assert round(result.average_turnaround, 2) == 16.67
    rr = round_robin(jobs, 2)
    assert round(rr.average_response, 2) == 2.00
    assert round(rr.average_turnaround, 2) == 22.00
    assert [j.turnaround for j in rr.jobs] == [13, 23, 30]  # "job 0 is done at 13 ms ..."
    assert round(fifo([15, 10, 5]).average_turnaround, 2) == 23.33
    assert round(sjf([15, 10, 5]).average_turnaround, 2) == 16.67


def test_weights_512_256_give_two_to_one_xen_credit_c() -> None:
    """xen/common/sched/credit.c, csched_acct: credit in proportion to weight."""
    s = CreditScheduler(pcpus=1)
    s.add("web", weight=512)
    s.add("db", weight=256)
    s.run(30_000)
    assert s.cpu_ms("web") / s.cpu_ms("db") == pytest.approx(2.0, rel=0.02)


def test_two_vcpus_against_one_at_256_get_two_thirds_xen_csched_acct() -> None:
    """csched_acct: weight × active vCPUs / Σ(weight × active vCPUs) = 512 / 768."""
    s = CreditScheduler(pcpus=1)
    s.add("smp", vcpus=2)
    s.add("up")
    s.run(30_000)
    assert round(s.share("smp"), 3) == pytest.approx(0.667, abs=0.005)
    assert round(s.share("up"), 3) == pytest.approx(0.333, abs=0.005)


def test_a_cap_of_25_leaves_225_credits_to_the_other_domain_xen_csched_acct() -> None:
    """csched_acct: a domain whose part reaches its cap gets the cap (25 % of 300 = 75); the
    credits it cannot use are shared again among the others (225), every 30 ms."""
    s = CreditScheduler(pcpus=1)
    s.add("batch", cap=25)
    s.add("web")
    s.run(10)
    paid = s.trace.of_kind("sched.account")[0]["credit"]
    assert paid == {"batch": 75, "web": 225}


def test_a_cap_of_50_holds_on_an_idle_host_xen_credit_c_parking() -> None:
    """csched_acct parks a capped vCPU in debt: half a pCPU even with three pCPUs idle."""
    s = CreditScheduler(pcpus=4)
    s.add("batch", cap=50)
    s.run(30_000)
    assert s.share("batch") == pytest.approx(0.5, abs=0.005)
    assert sum(s.idle_ms) / s.now_ms == pytest.approx(3.5, abs=0.01)


def test_the_cap_scene_runs_three_ticks_then_parks_for_three() -> None:
    scene = next(s for s in credit_gantt()["scenes"] if s["id"] == "cap-idle")
    pattern = "".join(
        "P" if e["kind"] == "sched.park" else ("b" if e["running"][0] else ".")
        for e in scene["events"]
        if e["kind"] in ("sched.tick", "sched.park")
    )
    assert pattern.startswith("bbbbbbP...bbbP...bbb")
