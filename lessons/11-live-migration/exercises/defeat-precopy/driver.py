"""Runs the learner's designed workload through the model's pre-copy and grades the design:
its pause must exceed the downtime budget, it must be (nearly) the gentlest workload that does,
and the learner must predict how many live rounds pre-copy makes. Public (runs in the browser)."""

from tutor.sim import ConstantDirtyRate, precopy

MODEL_ANSWERS = {
    "tutor.sim": ("precopy", "live_migrate"),
    "tutor.sim.migration": ("precopy", "live_migrate"),
}
RETURNS = {"design": {"dirty_mbps": (float, int), "rounds": int}}
# A design may dirty at most this much faster than the gentlest one that breaks the budget.
SLACK = 1.01

RULES = {
    "xen-v2": {
        "en": "xen-v2 stops after a round that sent under 50 pages or after the 5th live round, "
        "then pauses the guest to send what the last round left dirty",
        "zh": "xen-v2 在某一轮发送少于 50 页后或第 5 轮在线复制后停止，然后暂停客户机，"
        "发送最后一轮留下的脏内存",
    },
    "xen-4.5": {
        "en": "xen-4.5 stops after a round that sent under 50 pages, after the 29th live round, "
        "or once more than 3× memory has been sent, then pauses the guest to send what the "
        "last round left dirty",
        "zh": "xen-4.5 在某一轮发送少于 50 页后、第 29 轮在线复制后，或累计发送超过内存的 3 倍后"
        "停止，然后暂停客户机，发送最后一轮留下的脏内存",
    },
}


def run(submission, args, trace):
    answer = submission.design(dict(args))
    dirty = float(answer["dirty_mbps"])
    if not 0 < dirty <= 100 * args["bandwidth_mbps"]:
        error = ValueError(
            f"dirty_mbps must be above 0 and at most 100 × the link rate, not {dirty:g}"
        )
        error.zh = f"dirty_mbps 必须大于 0 且不超过链路速率的 100 倍，而不是 {dirty:g}"
        raise error
    memory = args["memory_mb"]
    result = precopy(
        memory,
        ConstantDirtyRate(memory, dirty),
        bandwidth_mbps=args["bandwidth_mbps"],
        rules=args["rules"],
        trace=trace,
    )
    return {
        "dirty_mbps": dirty,
        "downtime_ms": result.downtime_ms,
        "rounds": len(result.rounds),
        "predicted_rounds": answer["rounds"],
    }


def compare(args, expected, actual, reveal=False):
    why = RULES[args["rules"]]
    budget = args["budget_ms"]
    if actual["downtime_ms"] <= budget:
        return {
            "en": f"with {actual['dirty_mbps']:.6g} Mb/s the guest is paused for only "
            f"{actual['downtime_ms']:.4g} ms, within the {budget:g} ms budget: pre-copy "
            f"still wins; dirty faster. {why['en']}",
            "zh": f"写脏速度为 {actual['dirty_mbps']:.6g} Mb/s 时，客户机只暂停了 "
            f"{actual['downtime_ms']:.4g} ms，没有超出 {budget:g} ms 的预算：预复制仍然奏效，"
            f"需要写脏得更快。{why['zh']}",
        }
    if actual["dirty_mbps"] > expected["dirty_mbps"] * SLACK:
        message = {
            "en": f"{actual['dirty_mbps']:.6g} Mb/s breaks the budget, but a gentler workload "
            "also does: find the slowest dirty rate whose pause exceeds the budget (up to 1 % "
            f"above it passes). {why['en']}",
            "zh": f"{actual['dirty_mbps']:.6g} Mb/s 确实超出了预算，但更温和的工作负载也可以："
            f"找出暂停时间超出预算的最慢写脏速度（高出它 1 % 以内都算通过）。{why['zh']}",
        }
        if reveal:
            message["en"] += f" (about {expected['dirty_mbps']:.4g} Mb/s)"
            message["zh"] += f"（大约 {expected['dirty_mbps']:.4g} Mb/s）"
        return message
    if actual["predicted_rounds"] != actual["rounds"]:
        return {
            "en": f"you predicted {actual['predicted_rounds']} live rounds, but with your "
            f"workload pre-copy made {actual['rounds']}: {why['en']}",
            "zh": f"你预测了 {actual['predicted_rounds']} 轮在线复制，但在你的工作负载下预复制"
            f"进行了 {actual['rounds']} 轮：{why['zh']}",
        }
    return None
