"""Places guests where the learner's plan() says, then fails each host in turn; public. A plan
that overfills a host fails with the rule it broke; the case passes when no failure leaves a
guest stopped (each copy of the pool restarts a failed host's guests First Fit, largest first).
Many plans are right: the grader checks the property, not one answer. The replay shows the
plan and the first failure that strands a guest (or, if none does, the busiest host's)."""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim import Trace
from tutor.sim.testbed import planned_pool

RETURNS = {"plan": {str: str}}


def run(submission, args, trace):
    hosts, guests = args["hosts"], args["guests"]
    placement = submission.plan([dict(h) for h in hosts], [dict(g) for g in guests])
    for g in (g for g in guests if placement.get(g["name"]) not in {h["name"] for h in hosts}):
        raise mistake(
            explain("placement.plan_unplaced", vm=g["name"], host=placement.get(g["name"]))
        )
    stranded = {}
    for h in hosts:
        lost = planned_pool(hosts, guests, placement, Trace()).fail_host(h["name"])
        if any(where is None for where in lost.values()):
            stranded[h["name"]] = sorted(vm for vm, where in lost.items() if where is None)
    busiest = max(hosts, key=lambda h: sum(1 for v in placement.values() if v == h["name"]))
    planned_pool(hosts, guests, placement, trace).fail_host(next(iter(stranded), busiest["name"]))
    return {"stranded": stranded, "hosts_used": len(set(placement.values()))}


def compare(args, expected, actual, reveal=False):
    for host, lost in actual["stranded"].items():
        return explain("placement.stranded", host=host, lost=", ".join(map(repr, lost)))
    return None
