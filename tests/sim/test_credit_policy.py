"""The credit scheduler with its two decisions as plain functions (lesson 9's credit-scheduler
exercise): with the model's own decisions it is the model's scheduler, event for event, and a
learner's departures change the run where they should."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tutor.explanations.credit import departure
from tutor.sim import CreditScheduler, InvalidOperation, Trace
from tutor.sim.budget import StepBudget
from tutor.sim.credit_policy import (
    PolicyCreditScheduler,
    run_against_model,
    xen_account,
    xen_pick,
)


def _host(cls: Any, seed: int, **policy: Any) -> Any:
    rng = random.Random(seed)
    pcpus = rng.randint(1, 4)
    sched = cls(pcpus, Trace(StepBudget(5_000_000)), **policy)
    for i in range(rng.randint(1, 6)):
        vcpus = rng.choice([1, 1, 2, 3])
        sched.add(
            f"d{i}",
            weight=rng.choice([64, 128, 256, 512]),
            cap=min(rng.choice([0, 0, 25, 50, 150]), 100 * vcpus),
            vcpus=vcpus,
            pin=[rng.randrange(pcpus)] if rng.random() < 0.15 else None,
            burst_ms=rng.choice([None, None, 10, 20]),
            sleep_ms=rng.choice([10, 30, 50]),
        )
    sched.run(1500)
    return sched


@pytest.mark.parametrize("seed", range(40))
def test_with_the_models_decisions_it_is_the_model_event_for_event(seed: int) -> None:
    model = _host(CreditScheduler, seed)
    plugged = _host(PolicyCreditScheduler, seed, account=xen_account, pick=xen_pick)
    assert plugged.trace.events == model.trace.events
    assert len(model.trace.of_kind("sched.tick")) == 150


def test_account_counts_a_weight_once_per_active_vcpu_as_csched_acct() -> None:
    # xen/common/sched/credit.c, csched_acct: a domain's credit is weight × active vCPUs /
    # Σ(weight × active vCPUs); two busy vCPUs at 256 against one at 256 on one pCPU: 200 : 100.
    vcpus = [
        {"name": n, "domain": d, "weight": 256, "cap": 0, "active": True, "credit": 0}
        for n, d in (("smp.0", "smp"), ("smp.1", "smp"), ("up", "up"))
    ]
    assert xen_account(vcpus, 1) == {"smp.0": 100, "smp.1": 100, "up": 100}
    sched = PolicyCreditScheduler(1)
    sched.add("smp", vcpus=2)
    sched.add("up")
    sched.run(3000)
    assert round(sched.share("smp"), 3) == pytest.approx(0.667, abs=0.01)
    assert round(sched.share("up"), 3) == pytest.approx(0.333, abs=0.01)


def test_a_capped_domains_leftover_credit_goes_to_the_others() -> None:
    vcpus = [
        {"name": "batch", "domain": "batch", "weight": 256, "cap": 25, "active": True, "credit": 0},
        {"name": "web", "domain": "web", "weight": 256, "cap": 0, "active": True, "credit": 0},
        {"name": "idle", "domain": "idle", "weight": 256, "cap": 0, "active": False, "credit": 9},
    ]
    # cap 25 = 75 credits per 30 ms; web takes the other 225; an inactive vCPU earns nothing.
    assert xen_account(vcpus, 1) == {"batch": 75, "web": 225}


def test_pick_runs_boost_then_under_then_over_first_in_queue_within_each() -> None:
    queue = [
        {"name": "a", "domain": "a", "credit": -10, "boost": False},
        {"name": "b", "domain": "b", "credit": 40, "boost": False},
        {"name": "c", "domain": "c", "credit": 250, "boost": False},
    ]
    assert xen_pick(queue) == "b"
    assert xen_pick([*queue, {"name": "d", "domain": "d", "credit": 5, "boost": True}]) == "d"
    assert xen_pick(queue[:1]) == "a"


def test_a_learners_departure_changes_the_run() -> None:
    def per_domain_weight(vcpus: list[dict[str, Any]], pcpus: int) -> dict[str, int]:
        domains = {v["domain"] for v in vcpus if v["active"]}
        each = 300 * pcpus // len(domains)
        counts = {d: sum(v["domain"] == d and v["active"] for v in vcpus) for d in domains}
        return {v["name"]: each // counts[v["domain"]] for v in vcpus if v["active"]}

    sched = PolicyCreditScheduler(1, account=per_domain_weight)
    sched.add("smp", vcpus=2)
    sched.add("up")
    sched.run(3000)
    assert sched.share("smp") == pytest.approx(0.5, abs=0.02)


def test_bad_decisions_are_refused_with_a_clear_message() -> None:
    sched = PolicyCreditScheduler(1, account=lambda vcpus, pcpus: {"ghost": 10})
    sched.add("web")
    with pytest.raises(InvalidOperation, match="'ghost', which is not a vCPU"):
        sched.run(10)
    sched = PolicyCreditScheduler(1, account=lambda vcpus, pcpus: {"web": -5})
    sched.add("web")
    with pytest.raises(InvalidOperation, match="0 or more"):
        sched.run(10)
    sched = PolicyCreditScheduler(1, pick=lambda queue: "db")
    sched.add("web")
    with pytest.raises(InvalidOperation, match="'db', which is not in the run queue"):
        sched.run(10)


def test_run_against_model_names_the_first_decision_that_changed_the_run() -> None:
    def ignores_caps(vcpus: list[dict[str, Any]], pcpus: int) -> dict[str, int]:
        return xen_account([{**v, "cap": 0} for v in vcpus], pcpus)

    domains: list[dict[str, Any]] = [{"name": "batch", "cap": 25}, {"name": "web"}]
    own = run_against_model(1, domains, xen_account, xen_pick, 600, Trace())
    assert own["first_departure"] is None
    model = CreditScheduler(1)
    for d in domains:
        model.add(**d)
    model.run(600)
    assert own["ticks"] == [e["running"] for e in model.trace.of_kind("sched.tick")]
    assert own["shares"] == {n: round(model.share(n), 3) for n in ("batch", "web")}

    mine = run_against_model(1, domains, ignores_caps, xen_pick, 600, Trace())
    found = mine["first_departure"]
    assert (found["t"], found["paid"]) == (0, {"batch": 150, "web": 150})
    said = departure(found, 1)
    assert "paid domain 'batch' 150 credits, more than its cap allows" in said["en"]
    assert "cap 25 is 75 credits per 30 ms" in said["en"]
    assert "上限 25 就是" in said["zh"]
    assert "225" not in said["en"]  # the model's payment only when revealed
    assert "'web': 225" in departure(found, 1, reveal=True)["en"]


def test_a_payment_the_credit_ceiling_swallows_is_no_departure() -> None:
    def overpays_the_full(vcpus: list[dict[str, Any]], pcpus: int) -> dict[str, int]:
        paid = xen_account(vcpus, pcpus)
        return {
            n: c + 50 if v["credit"] >= 300 else c
            for v in vcpus
            for n, c in paid.items()
            if n == v["name"]
        }

    run = run_against_model(4, [{"name": "solo"}], overpays_the_full, xen_pick, 600, Trace())
    assert run["first_departure"] is None
