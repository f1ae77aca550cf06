"""Admission control in a resource pool (lesson 2, pool-admission): capacity, headroom "
"and the four verdicts."""

from __future__ import annotations

from . import Text, exists, explain

EXPLANATIONS = {
    "why": {
        "capacity": {
            "en": "capacity is everything the hosts have, reserved or not: add up cores and pages",
            "zh": "capacity 是宿主机拥有的全部资源，不论是否已预留：把 cores 和 pages 加起来",
        },
        "headroom": {
            "en": "headroom is what the guests have not reserved yet, summed over all hosts",
            "zh": "headroom 是客户机还没有预留的部分，对所有宿主机求和",
        },
    },
    "verdict": {
        "admit": {
            "en": "a host has room for both its vCPUs and its pages, so it must be admitted",
            "zh": "有一台宿主机同时放得下它的 vCPU 和内存页，所以必须准入",
        },
        "too_big": {
            "en": "it is larger than any one host, and a guest must fit on one host",
            "zh": "它比任何一台宿主机都大，而一台客户机必须放进一台宿主机",
        },
        "pool_full": {
            "en": "it asks for more than the whole pool's headroom",
            "zh": "它申请的超过了整个资源池的余量",
        },
        "fragmented": {
            "en": "the headroom is enough in total, but no single host has "
            "room for it: a guest cannot span hosts",
            "zh": "余量总数够，但没有一台宿主机放得下它：客户机不能跨宿主机运行",
        },
    },
    "not": {
        "admit": {
            "en": "no host has room for both its vCPUs and its pages at once, so "
            "admitting it would reserve more than a host's capacity: a guest "
            "cannot span hosts",
            "zh": "没有一台宿主机同时放得下它的 vCPU 和内存页，准入它就会预留超过宿主机容"
            "量的资源：客户机不能跨宿主机运行",
        },
        "too_big": {
            "en": "some host is at least as large as it asks for (cores and pages), "
            "so it is not too big for the pool",
            "zh": "有宿主机的 cores 和 pages 都不小于它的申请，所以它对这个资源池来说并不算太大",
        },
        "pool_full": {
            "en": "the pool's headroom covers what it asks for, so the pool is not full",
            "zh": "资源池的余量足以满足它的申请，所以资源池并没有满",
        },
        "fragmented": {
            "en": "fragmented means the headroom is enough but no host has room; "
            "that is not the case here",
            "zh": "fragmented 指余量够但没有宿主机放得下；这里并不是这种情况",
        },
    },
    "order": {
        "en": "the order of the questions matters: before the headroom, ask whether any "
        "host, even empty, could hold it at all",
        "zh": "提问的顺序很重要：在看余量之前，先问有没有任何一台宿主机（即使是空的）能放得下它",
    },
    "before": {"en": "before {name!r}: ", "zh": "申请 {name!r} 之前："},
    "your_verdict": {
        "en": "{name!r}: your verdict is {verdict!r}, but that cannot be right",
        "zh": "{name!r}：你的结论是 {verdict!r}，但这不可能对",
    },
    "unknown_verdict": {
        "en": "verdict {verdict!r} is not one of {verdicts}",
        "zh": "verdict {verdict!r} 不是 {verdicts} 之一",
    },
    "pool_differs": {
        "en": "the pool the model is left with differs from the reference's",
        "zh": "模型最终留下的资源池与参考答案的不同",
    },
}


def wrong_verdict(want: str, got: str, reveal: bool) -> Text:
    """Why the learner's verdict is impossible; why the right one holds only when the right
    one may be named."""
    if reveal:
        return dict(explain(f"admission.verdict.{want}"))
    if want == "too_big" and got != "admit":
        return explain("admission.order")
    return (
        explain(f"admission.not.{got}")
        if exists(f"admission.not.{got}")
        else explain("admission.verdict.admit")
    )
