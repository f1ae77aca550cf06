"""Runs an operation mix through the cost model and hands its events to the learner; public.

``measure_techniques`` (``tutor/sim/isa.py``) costs the mix under native execution, binary
translation and hardware assist on the case's hardware: first-generation VT-x (2006) or a CPU
with nested paging (EPT/NPT). Some cases measured a particular CPU (``args["measured"]``), so a
learner who copies the published table instead of reading ``per_op`` from the events fails.
"""

import copy

from tutor.sim.isa import HARDWARE, measure_techniques

MODEL_ANSWERS = {
    "tutor.sim": ("cheaper", "technique_cycles"),
    "tutor.sim.isa": ("cheaper", "technique_cycles", "measure_techniques"),
}

RETURNS = {"compare_techniques": {"cycles": {str: int}, "cheaper": str, "decisive": str}}

NAMES = {
    "bt": {"en": "binary translation", "zh": "二进制翻译"},
    "hw": {"en": "hardware assist", "zh": "硬件辅助"},
    "native": {"en": "native", "zh": "原生"},
}


def run(submission, args, trace):
    mix = {op: int(count) for op, count in args["mix"].items()}
    measure_techniques(mix, args["hardware"], trace, measured=args.get("measured"))
    ops = [event for event in trace.events if event["kind"] == "cost.op"]
    result = submission.compare_techniques(copy.deepcopy(ops))
    return {key: result[key] for key in RETURNS["compare_techniques"]}


def compare(args, expected, actual, reveal=False):
    measured = args.get("measured") or {}
    for technique in ("native", "bt", "hw"):
        want, got = expected["cycles"][technique], actual["cycles"].get(technique)
        if got == want:
            continue
        name = NAMES[technique]
        if got is None:
            return {
                "en": f"cycles has no entry {technique!r} ({name['en']})",
                "zh": f"cycles 里缺少 {technique!r}（{name['zh']}）",
            }
        published = sum(
            count * HARDWARE[args["hardware"]][op][technique] for op, count in args["mix"].items()
        )
        if measured and got == published:
            message = {
                "en": f"cycles[{technique!r}] is {got}, what the published table gives, but this "
                "CPU was measured: take each operation's cost from per_op in its event",
                "zh": f"cycles[{technique!r}] 是 {got}，这是公开表格给出的值，"
                "但这台 CPU 是实测过的：每种操作的代价要从它的事件里的 per_op 读取",
            }
        else:
            message = {
                "en": f"cycles[{technique!r}] is {got}, not the sum over the events of count × "
                f"per_op[{technique!r}] ({name['en']})",
                "zh": f"cycles[{technique!r}] 是 {got}，不等于各事件的 count × "
                f"per_op[{technique!r}] 之和（{name['zh']}）",
            }
        return _with_value(message, reveal, want)
    if actual["cheaper"] != expected["cheaper"]:
        return {
            "en": f"cheaper is {actual['cheaper']!r}, but it must name the technique, 'bt' or "
            "'hw', with fewer cycles by your own (correct) totals; a tie goes to 'hw'",
            "zh": f"cheaper 是 {actual['cheaper']!r}，但它必须是周期数更少的技术（'bt' 或 'hw'），"
            "按你自己（正确）的总数来判断；相等时算 'hw'",
        }
    if actual["decisive"] != expected["decisive"]:
        return _with_value(
            {
                "en": f"decisive is {actual['decisive']!r}, but that is not the operation whose "
                "count × (loser's cost − winner's cost) is largest: the one that decided the "
                "comparison",
                "zh": f"decisive 是 {actual['decisive']!r}，但它不是 count ×（落败者的代价 − "
                "胜出者的代价）最大的那种操作，也就是决定胜负的那种操作",
            },
            reveal,
            repr(expected["decisive"]),
        )
    return None


def _with_value(message, reveal, value):
    """Name the reference's value only where the learner may see it (see the harness)."""
    if not reveal:
        return message
    return {"en": f"{message['en']} (expected {value})", "zh": f"{message['zh']}（应为 {value}）"}
