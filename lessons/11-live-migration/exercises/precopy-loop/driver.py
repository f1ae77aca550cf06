"""Hands a learner's migrate() a guest being migrated (tutor.sim.MigrationLink) and grades the
migration it drove: its rounds, stop rule and downtime, then its comparison with V_i = M·(d/B)^i.
Public (runs in the browser)."""

import math

from tutor.grading.feedback import Feedback
from tutor.sim import ConstantDirtyRate, MigrationLink

# The loop is the point: rounds copied from a formula without driving the link leave no trace.
GRADE_TRACE = True
MODEL_ANSWERS = {
    "tutor.sim": (
        "precopy",
        "live_migrate",
        "STOP_RULES",
        "XEN_V2",
        "XEN_LEGACY",
        "stop_rules",
    ),
    "tutor.sim.migration": (
        "precopy",
        "live_migrate",
        "STOP_RULES",
        "XEN_V2",
        "XEN_LEGACY",
        "stop_rules",
    ),
}
RETURNS = {"migrate": {"closed_form_mb": [float], "departs_at": (int, None)}}

RULES = {
    "xen-v2": {
        "en": "Xen's migration v2 (xen-v2) allows at most 5 live rounds and stops after a round "
        "that sent fewer than 50 pages; each rule is judged on the round just sent",
        "zh": "Xen 的迁移 v2（xen-v2）最多进行 5 轮在线复制，某一轮发送少于 50 页后即停止；"
        "每条规则都按刚刚发送完的那一轮来判断",
    },
    "xen-4.5": {
        "en": "Xen ≤ 4.5 (xen-4.5) allows at most 29 live rounds, stops after a round that sent "
        "fewer than 50 pages, and stops once more than 3× memory has been sent in all; each "
        "rule is judged on the round just sent",
        "zh": "Xen ≤ 4.5（xen-4.5）最多进行 29 轮在线复制，某一轮发送少于 50 页后停止，累计发送"
        "超过内存的 3 倍后也停止；每条规则都按刚刚发送完的那一轮来判断",
    },
}
NEXT_ROUND = {
    "en": "a live round sends exactly what the guest dirtied during the round before it "
    "(round 0 sends all of memory)",
    "zh": "每一轮在线复制发送的正是客户机在上一轮期间写脏的内容（第 0 轮发送全部内存）",
}
CLOSED_FORM = {
    "en": "V_i = M·(d/B)^i for every live round i, so V_0 = M, all of memory",
    "zh": "每一轮在线复制 i 都有 V_i = M·(d/B)^i，所以 V_0 = M，即全部内存",
}
DEPARTS = {
    "en": "the model's round equals V_i until V_i would exceed the memory: a guest cannot dirty "
    "more than all of its memory, so from then on the model sends M where V_i keeps growing",
    "zh": "在 V_i 超过内存之前，模型的每一轮都等于 V_i：客户机写脏的内容不可能超过它的全部内存，"
    "所以此后模型发送的是 M，而 V_i 还在继续增长",
}


def run(submission, args, trace):
    dirty = ConstantDirtyRate(args["memory_mb"], args["dirty_mbps"])
    link = MigrationLink(
        args["memory_mb"],
        dirty,
        args["bandwidth_mbps"],
        rules=args["rules"],
        trace=trace,
    )
    answer = submission.migrate(link, dict(args))
    if link.finished is None:
        error = RuntimeError(
            "migrate() returned without link.stop_and_copy(...): the guest never finished moving"
        )
        error.zh = "migrate() 没有调用 link.stop_and_copy(...) 就返回了：客户机始终没有迁移完成"
        raise error
    done = link.finished
    return {
        "sent_mb": [r.sent_mb for r in done.rounds],
        "stop_reason": done.stop_reason,
        "downtime_ms": done.downtime_ms,
        "closed_form_mb": answer["closed_form_mb"],
        "departs_at": answer["departs_at"],
    }


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _rounds(args, expected, actual, reveal):
    want, got = expected["sent_mb"], actual["sent_mb"]
    why = RULES[args["rules"]]
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        if not _close(w, g):
            return {
                "en": f"round {i} sent {g:.4g} MB, which is wrong: {NEXT_ROUND['en']}"
                + (f" (expected {w:.4g} MB)" if reveal else ""),
                "zh": f"第 {i} 轮发送了 {g:.4g} MB，这个值不对：{NEXT_ROUND['zh']}"
                + (f"（应为 {w:.4g} MB）" if reveal else ""),
            }
    if len(got) > len(want):
        return {
            "en": f"your loop sent {len(got)} live rounds: it kept sending live rounds after the "
            f"stop rules had ended them. {why['en']}"
            + (f" (expected {len(want)} rounds)" if reveal else ""),
            "zh": f"你的循环进行了 {len(got)} 轮在线复制："
            f"停止规则已经结束在线复制后它还在继续发送。{why['zh']}"
            + (f"（应为 {len(want)} 轮）" if reveal else ""),
        }
    if len(got) < len(want):
        return {
            "en": f"your loop sent {len(got)} live rounds: it stopped the live rounds too early. "
            f"{why['en']}" + (f" (expected {len(want)} rounds)" if reveal else ""),
            "zh": f"你的循环进行了 {len(got)} 轮在线复制：它过早结束了在线复制。{why['zh']}"
            + (f"（应为 {len(want)} 轮）" if reveal else ""),
        }
    return None


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    return check.first(
        _rounds(args, expected, actual, reveal),
        check.equal(
            "stop_and_copy's reason",
            expected["stop_reason"],
            actual["stop_reason"],
            why=RULES[args["rules"]],
        ),
        _closed_form(expected, actual, check),
        check.equal(
            "departs_at", expected["departs_at"], actual["departs_at"], why=DEPARTS
        ),
    )


def _closed_form(expected, actual, check):
    want, got = expected["closed_form_mb"], actual["closed_form_mb"]
    if len(got) != len(want):
        return check.say(
            "value",
            {
                "en": "list one V_i per live round your migration sent",
                "zh": "迁移进行了几轮在线复制，就列出几个 V_i",
            },
            expected=len(want),
            field="len(closed_form_mb)",
            actual=len(got),
        )
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        if not _close(w, g):
            return check.say(
                "value",
                CLOSED_FORM,
                expected=f"{w:.4g}",
                field=f"closed_form_mb[{i}]",
                actual=f"{g:.4g}",
            )
    return None
