"""Runs the learner's weights and caps on the model's credit scheduler; public (browser)."""

from tutor.sim import CreditScheduler

RETURNS = {"configure": {str: {"weight": int, "cap": int}}}
RUN_MS = 3000
TOLERANCE = 0.03


def run(submission, args, trace):
    domains = args["domains"]
    settings = submission.configure(args["pcpus"], [dict(d) for d in domains])
    for d in domains:
        if d["name"] not in settings:
            error = KeyError(f"configure() returned no settings for domain {d['name']!r}")
            error.zh = f"configure() 没有返回域 {d['name']!r} 的设置"
            raise error
    sched = CreditScheduler(args["pcpus"], trace)
    for d in domains:
        chosen = settings[d["name"]]
        sched.add(d["name"], weight=chosen["weight"], cap=chosen["cap"], vcpus=d["vcpus"])
    sched.run(RUN_MS)
    return {
        "shares": {d["name"]: round(sched.share(d["name"]), 3) for d in domains},
        "settings": {d["name"]: dict(settings[d["name"]]) for d in domains},
    }


def _why(d, share, setting, busy):
    """Why a domain's share missed its target, from the rule it ran into."""
    name, target, vcpus, cap = d["name"], d["target"], d["vcpus"], setting["cap"]
    if share > target and not busy and not cap:
        return {
            "en": "on a host with idle pCPUs a weight cannot hold a domain back, since nobody "
            "competes for the idle time: only a cap limits it",
            "zh": "宿主机上还有空闲的物理 CPU 时，没有谁来争抢空闲的时间，权重限制不了一个域："
            "只有上限才能限制它",
        }
    if cap and vcpus > 1 and abs(cap / 100 * vcpus - target) < TOLERANCE:
        return {
            "en": f"a cap is a percentage of one pCPU for the whole domain, not per vCPU: "
            f"{name}'s {vcpus} vCPUs share its cap of {cap}",
            "zh": f"上限是整个域占一个物理 CPU 的百分比，而不是每个 vCPU 的：{name} 的 {vcpus} "
            f"个 vCPU 共用它的上限 {cap}",
        }
    if cap and share < target:
        return {
            "en": f"its cap of {cap} % holds it below its target",
            "zh": f"它的上限 {cap} % 把它压在了目标之下",
        }
    if busy:
        return {
            "en": "on a busy host each domain gets CPU in proportion to its weight times its "
            "active vCPUs: Xen's csched_acct counts a weight once per active vCPU",
            "zh": "宿主机繁忙时，每个域得到的 CPU 与“权重 × 活跃 vCPU 数”成正比：Xen 的 "
            "csched_acct 对每个活跃的 vCPU 都计一次权重",
        }
    return {
        "en": "an uncapped busy vCPU takes a whole idle pCPU",
        "zh": "没有上限的忙碌 vCPU 会占满一个空闲的物理 CPU",
    }


def compare(args, expected, actual, reveal=False):
    busy = sum(d["target"] for d in args["domains"]) >= args["pcpus"] - 1e-9
    for d in args["domains"]:
        share, target = actual["shares"][d["name"]], d["target"]
        if abs(share - target) <= TOLERANCE:
            continue
        why = _why(d, share, actual["settings"][d["name"]], busy)
        side = ("more", "多") if share > target else ("less", "少")
        return {
            "en": f"{d['name']} got {share:.2f} pCPU, {side[0]} than its target {target:.2f}: "
            + why["en"],
            "zh": f"{d['name']} 得到了 {share:.2f} 个物理 CPU，比目标 {target:.2f} {side[1]}："
            + why["zh"],
        }
    return None
