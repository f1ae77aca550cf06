"""Places guests where the learner's plan() says, then fails each host in turn; public.

Every placement goes through the model, so a plan that overfills a host fails with the rule it
broke. Then, for each host, a copy of the pool loses that host and restarts its guests First Fit
(largest first): the case passes when no failure leaves a guest stopped. Many plans are right;
the grader checks the property, not one answer. The trace replays the plan and the first failure
that strands a guest (or, if none does, the failure of the busiest host).
"""

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
            error = ValueError(
                f"your plan puts {g['name']!r} on {where!r}, which has no room left for it: "
                "the guests you put on one host must fit in its cores and pages together"
            )
            error.zh = (
                f"你的方案把 {g['name']!r} 放到 {where!r}，而那里已经没有放得下它的空间："
                "放在同一台宿主机上的客户机，加起来不能超过它的 cores 和 pages"
            )
            raise error from None
    return pool


def run(submission, args, trace):
    placement = submission.plan([dict(h) for h in args["hosts"]], [dict(g) for g in args["guests"]])
    names = {h["name"] for h in args["hosts"]}
    for g in args["guests"]:
        where = placement.get(g["name"])
        if where not in names:
            error = ValueError(
                f"your plan does not place {g['name']!r} on a host of the pool (got {where!r})"
            )
            error.zh = (
                f"你的方案没有把 {g['name']!r} 放到资源池中的某台宿主机上（得到的是 {where!r}）"
            )
            raise error
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
    if actual["stranded"]:
        host, lost = next(iter(actual["stranded"].items()))
        return {
            "en": f"if {host!r} fails, {', '.join(map(repr, lost))} cannot restart: the other "
            "hosts lack the headroom (they restart largest first, First Fit). Leave enough free "
            "on the others for every host's guests",
            "zh": f"如果 {host!r} 发生故障，{', '.join(map(repr, lost))} 无法重启："
            "其他宿主机的余量不够（按从大到小的顺序、用首次适应重启）。"
            "要在其他宿主机上为每台宿主机的客户机留足余量",
        }
    return None
