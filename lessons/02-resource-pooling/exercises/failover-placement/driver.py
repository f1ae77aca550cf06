"""Places guests where plan() says, then fails each host in turn: none may strand a guest.

Many plans are right: the grader checks the property, not one answer."""

from tutor.explanations import explain
from tutor.sim.testbed import stranded_guests

RETURNS = {"plan": {str: str}}


def run(submission, args, trace):
    hosts, guests = args["hosts"], args["guests"]
    placement = submission.plan([dict(h) for h in hosts], [dict(g) for g in guests])
    stranded = stranded_guests(hosts, guests, placement, trace)
    return {"stranded": stranded, "hosts_used": len(set(placement.values()))}


def compare(args, expected, actual, reveal=False):
    for host, lost in actual["stranded"].items():
        return explain("placement.stranded", host=host, lost=", ".join(map(repr, lost)))
    return None
