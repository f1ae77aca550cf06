"""The credit scheduler's two decisions as plain functions on plain data, for a learner to write.

Xen's credit scheduler (``xen/common/sched/credit.c``) decides two things; everything else is
bookkeeping. Every 30 ms the accountant (``csched_acct``) decides how many credits each vCPU
earns; whenever a pCPU needs work, the picker (``csched_schedule`` / ``csched_runq_sort``)
decides which queued vCPU runs. ``PolicyCreditScheduler`` is the model's ``CreditScheduler``
with those two decisions handed to functions that see only dicts and lists:

``account(vcpus, pcpus) -> {name: credits earned}``
    ``vcpus`` lists every vCPU as ``{"name", "domain", "weight", "cap", "active", "credit"}``
    (``credit`` is its balance before this payment). vCPUs left out earn nothing. The model
    adds the earnings, keeps each balance within ±300, and parks a capped vCPU in debt.

``pick(run_queue) -> name``
    ``run_queue`` lists the vCPUs that may run, front first, as ``{"name", "domain", "credit",
    "boost"}``; it is never empty. The model takes the named vCPU off the queue and runs it.

``xen_account`` and ``xen_pick`` are the model's own decisions written this way: with them,
``PolicyCreditScheduler`` makes exactly the decisions, and so the trace, of ``CreditScheduler``.
Debiting 100 credits per 10 ms tick, the 30 ms slice, preemption by a better priority, waking
and parking stay the model's, so a learner's run differs from the model's only where one of
the two decisions does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import InvalidOperation
from .sched import CREDITS_PER_SLICE, CreditScheduler, Priority, SchedVcpu
from .trace import Trace

Account = Callable[[list[dict[str, Any]], int], Mapping[str, int]]
Pick = Callable[[list[dict[str, Any]]], str]


def xen_account(vcpus: list[dict[str, Any]], pcpus: int) -> dict[str, int]:
    """The model's accountant on plain data (``CreditScheduler._earnings``, ``csched_acct``).

    A domain's part of the ``300 × pcpus`` credits is ``weight × active vCPUs / Σ(weight ×
    active vCPUs)`` (integer division). A domain can use at most 300 per active vCPU and at most
    ``cap × 3`` (cap 50 = half of one pCPU's 300); one that would get more gets its limit, and
    the credits it leaves are shared again among the others. A domain's part is split evenly
    among its active vCPUs, the remainder one credit each to the first.
    """
    members: dict[str, list[dict[str, Any]]] = {}
    for v in vcpus:
        if v["active"]:
            members.setdefault(v["domain"], []).append(v)
    limit, weight = {}, {}
    for domain, active in members.items():
        limit[domain] = CREDITS_PER_SLICE * len(active)
        if active[0]["cap"]:
            limit[domain] = min(limit[domain], active[0]["cap"] * CREDITS_PER_SLICE // 100)
        weight[domain] = active[0]["weight"] * len(active)
    part = dict.fromkeys(members, 0)
    remaining, open_ = CREDITS_PER_SLICE * pcpus, list(members)
    while open_ and remaining > 0:
        total = sum(weight[d] for d in open_)
        full = [d for d in open_ if remaining * weight[d] // total >= limit[d]]
        if not full:
            for d in open_:
                part[d] = remaining * weight[d] // total
            break
        for d in full:
            part[d] = limit[d]
            remaining -= limit[d]
            open_.remove(d)
    earned = {}
    for domain, active in members.items():
        each, extra = divmod(part[domain], len(active))
        for i, v in enumerate(active):
            earned[v["name"]] = each + (1 if i < extra else 0)
    return earned


def priority_of(vcpu: Mapping[str, Any]) -> Priority:
    """BOOST for a vCPU that woke with credit left, else UNDER with credit, OVER in debt."""
    if vcpu["boost"]:
        return Priority.BOOST
    return Priority.UNDER if vcpu["credit"] >= 0 else Priority.OVER


def xen_pick(run_queue: list[dict[str, Any]]) -> str:
    """The model's picker on plain data (``CreditScheduler._choose``): the first vCPU of the
    best priority, so vCPUs of one priority take turns in queue order."""
    best = min(run_queue, key=priority_of)  # min keeps the first of equal priorities
    return str(best["name"])


class PolicyCreditScheduler(CreditScheduler):
    """``CreditScheduler`` whose accountant and picker are the given functions (see above)."""

    def __init__(
        self,
        pcpus: int,
        trace: Trace | None = None,
        *,
        account: Account = xen_account,
        pick: Pick = xen_pick,
    ) -> None:
        super().__init__(pcpus, trace)
        self.account_policy = account
        self.pick_policy = pick

    def _earnings(self, active: dict[str, list[SchedVcpu]]) -> dict[str, int]:
        busy = {v.name for members in active.values() for v in members}
        vcpus = [
            {
                "name": v.name,
                "domain": v.domain,
                "weight": v.weight,
                "cap": v.cap,
                "active": v.name in busy,
                "credit": v.credit,
            }
            for v in self.vcpus.values()
        ]
        earned = self.account_policy(vcpus, self.pcpus)
        if not isinstance(earned, Mapping):
            raise InvalidOperation(
                f"account() must return a dict of vCPU name -> credits, not "
                f"{type(earned).__name__}",
                zh=f"account() 必须返回“vCPU 名字 -> 信用值”的字典，而不是 {type(earned).__name__}",
            )
        for name, credits in earned.items():
            if name not in self.vcpus:
                raise InvalidOperation(
                    f"account() pays {name!r}, which is not a vCPU of this host; its vCPUs are "
                    f"{', '.join(self.vcpus)}",
                    zh=f"account() 给 {name!r} 发了信用值，但它不是这台宿主机上的 vCPU；"
                    f"这里的 vCPU 是 {', '.join(self.vcpus)}",
                )
            if isinstance(credits, bool) or not isinstance(credits, int) or credits < 0:
                raise InvalidOperation(
                    f"account() pays {name!r} {credits!r}: earnings are a whole number of "
                    "credits, 0 or more",
                    zh=f"account() 给 {name!r} 发了 {credits!r}：发放的信用值必须是 0 或正整数",
                )
        return dict(earned)

    def _choose(self, p: int) -> int | None:
        allowed = [i for i, v in enumerate(self._runq) if self._allowed(v, p)]
        if not allowed:
            return None
        queue = [
            {
                "name": self._runq[i].name,
                "domain": self._runq[i].domain,
                "credit": self._runq[i].credit,
                "boost": self._runq[i].priority == Priority.BOOST,
            }
            for i in allowed
        ]
        name = self.pick_policy(queue)
        for i in allowed:
            if self._runq[i].name == name:
                return i
        raise InvalidOperation(
            f"pick() chose {name!r}, which is not in the run queue; the queue holds "
            f"{', '.join(str(v['name']) for v in queue)}",
            zh=f"pick() 选择了 {name!r}，但它不在运行队列中；队列里有 "
            f"{', '.join(str(v['name']) for v in queue)}",
        )


def _balances(vcpus: list[dict[str, Any]], paid: Mapping[str, int]) -> dict[str, int]:
    """Each vCPU's credit after a payment, kept within ±300 as the model keeps it: a payment
    the ceiling swallows leaves the model's state as it was, so it is no departure."""
    ceiling = CREDITS_PER_SLICE
    return {
        v["name"]: max(-ceiling, min(ceiling, v["credit"] + paid.get(v["name"], 0))) for v in vcpus
    }


def run_against_model(
    pcpus: int,
    domains: list[dict[str, Any]],
    account: Account,
    pick: Pick,
    run_ms: int,
    trace: Trace,
) -> dict[str, Any]:
    """Run ``domains`` (``CreditScheduler.add`` keywords plus ``name``) on a learner's
    ``account`` and ``pick`` for ``run_ms``, putting every decision to ``xen_account`` and
    ``xen_pick`` as well. Returns the run's state (each vCPU's share, who ran on each pCPU every
    tick) and the first decision that changed the run, with what the learner's function saw;
    with no such decision the run is the model's own."""
    first: list[dict[str, Any]] = []

    def checked_account(vcpus: list[dict[str, Any]], n: int) -> Mapping[str, int]:
        seen = [dict(v) for v in vcpus]
        earned = account(vcpus, n)
        paid = {name: c for name, c in dict(earned).items() if c}
        if not first and _balances(seen, paid) != _balances(seen, xen_account(seen, n)):
            first.append({"t": sched.now_ms, "account": seen, "paid": paid})
        return earned

    def checked_pick(queue: list[dict[str, Any]]) -> str:
        seen = [dict(v) for v in queue]
        name = pick(queue)
        if not first and name != xen_pick(seen):
            first.append({"t": sched.now_ms, "queue": seen, "picked": name})
        return name

    sched = PolicyCreditScheduler(pcpus, trace, account=checked_account, pick=checked_pick)
    for domain in domains:
        sched.add(**domain)
    sched.run(run_ms)
    return {
        "shares": {name: round(sched.share(name), 3) for name in sched.vcpus},
        "ticks": [e["running"] for e in sched.trace.of_kind("sched.tick")],
        "first_departure": first[0] if first else None,
    }
