"""Gives ffd() the model's pool through place(vm, host) and grades the packing it built; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import announced_pool, place_by_name, placement_of

# The order of placement is the algorithm: the trace must match FFD's, not only the result.
GRADE_TRACE = True
MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool",)}
RETURNS = {"ffd": int}


def run(submission, args, trace):
    pool, specs = announced_pool(args["hosts"], args["vms"], trace)
    vms, hosts = [dict(v) for v in args["vms"]], [dict(h) for h in args["hosts"]]
    used = submission.ffd(vms, hosts, place_by_name(pool, specs))
    order = [e["vm"] for e in trace.events if e["kind"] == "pool.place"]
    placement = placement_of(pool, specs)
    return {"placement": placement, "order": order, "hosts_on": pool.hosts_on(), "used": used}


def compare(args, expected, actual, reveal=False):
    check, rule, got = Feedback(reveal), explain("packing.ffd_rule"), actual["placement"]
    for vm in (vm for vm in expected["placement"] if got.get(vm) is None):
        return explain("packing.never_placed", vm=vm)
    for i, (want, vm) in enumerate(zip(expected["order"], actual["order"], strict=False)):
        if want != vm:
            message = explain("packing.wrong_order", i=i + 1, vm=vm, why=rule)
            return check.revealing(message, explain("packing.expected", value=want))
    for vm, host in ((vm, h) for vm, h in expected["placement"].items() if got[vm] != h):
        message = explain("packing.not_first_host", vm=vm, host=got[vm], why=rule)
        return check.revealing(message, explain("packing.expected", value=host))
    if actual["used"] != actual["hosts_on"]:
        return explain("packing.hosts_count", returned=actual["used"], lit=actual["hosts_on"])
    return None
