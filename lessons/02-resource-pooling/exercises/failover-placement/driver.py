"""Places guests where the learner's plan() says, then fails each host in turn; public.

Every placement goes through the model, so a plan that overfills a host fails with the rule it
broke. Then, for each host, a copy of the pool loses that host and restarts its guests First Fit
(largest first): the case passes when no failure leaves a guest stopped. Many plans are right;
the grader checks the property, not one answer. The trace replays the plan and the first failure
that strands a guest (or, if none does, the failure of the busiest host).
"""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim import CapacityExceeded, Host, ResourcePool, Trace, VmSpec

RETURNS = {"plan": {str: str}}


def _pool(args, placement, trace):
    pool = ResourcePool(
        (Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in args["hosts"]),
        trace=trace,
    )
    for g in args["guests"]:
        where = placement[g["name"]]

        def planned(vm, views, where=where):
            return where

        planned.__name__ = "plan"
        try:
            if pool.try_place(VmSpec(g["name"], g["vcpus"], g["pages"]), planned) is None:
                raise CapacityExceeded("refused")
        except CapacityExceeded:
            raise mistake(explain("placement.plan_no_room", vm=g["name"], host=where)) from None
    return pool


def run(submission, args, trace):
    placement = submission.plan([dict(h) for h in args["hosts"]], [dict(g) for g in args["guests"]])
    names = {h["name"] for h in args["hosts"]}
    for g in args["guests"]:
        where = placement.get(g["name"])
        if where not in names:
            raise mistake(explain("placement.plan_unplaced", vm=g["name"], host=where))
    stranded = {}
    for h in args["hosts"]:
        pool = _pool(args, placement, Trace())
        lost = [vm for vm, host in pool.fail_host(h["name"]).items() if host is None]
        if lost:
            stranded[h["name"]] = sorted(lost)
    # The replay: the plan, then the failure that matters most.
    shown = next(iter(stranded), None)
    if shown is None:
        busiest = max(
            args["hosts"], key=lambda h: sum(1 for v in placement.values() if v == h["name"])
        )
        shown = busiest["name"]
    _pool(args, placement, trace).fail_host(shown)
    return {"stranded": stranded, "hosts_used": len(set(placement.values()))}


def compare(args, expected, actual, reveal=False):
    for host, lost in actual["stranded"].items():
        return explain("placement.stranded", host=host, lost=", ".join(map(repr, lost)))
    return None
