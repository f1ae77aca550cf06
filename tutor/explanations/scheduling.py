"""Round robin's turns and the credit scheduler's shares (lesson 9: round-robin,
credit-settings): the rule each wrong turn or missed share runs into."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "turn": {
        "bad": {
            "en": "turn {step} is {turn!r}: each turn is [job, ran], job a number from 0 to "
            "{last} and ran a positive time",
            "zh": "第 {step} 轮是 {turn!r}：每一轮是 [job, ran]，job 是 0 到 {last} 之间的编号，"
            "ran 是正的时间",
        },
        "finished": {
            "en": "turn {step}: job {job} runs again, but it had already finished: a finished "
            "job leaves the queue",
            "zh": "第 {step} 轮：作业 {job} 又运行了，但它已经完成：完成的作业会离开队列",
        },
        "out_of_turn": {
            "en": "turn {step}: job {job} runs out of turn: the job at the front of the queue "
            "runs next, and a job that used up its quantum goes to the back, behind every "
            "job that was waiting",
            "zh": "第 {step} 轮：作业 {job} 插队运行了：下一个运行的是队首的作业，用完时间片的作业"
            "要排到队尾，排在所有正在等待的作业后面",
        },
        "front": {"en": " (job {job} is at the front)", "zh": "（队首是作业 {job}）"},
        "too_long": {
            "en": "turn {step}: job {job} runs for {ran}, longer than one quantum ({quantum}): "
            "round robin takes the CPU away after one quantum",
            "zh": "第 {step} 轮：作业 {job} 运行了 {ran}，比一个时间片（{quantum}）还长：时间片轮转"
            "在一个时间片之后就收回 CPU",
        },
        "past_end": {
            "en": "turn {step}: job {job} runs for {ran} but had only {left} left: a job "
            "that finishes early gives the CPU back at once (OSTEP's scheduler.py advances "
            "the clock by the time the job really ran)",
            "zh": "第 {step} 轮：作业 {job} 运行了 {ran}，但它只剩下 {left}：提前完成的作业会"
            "立即交还 CPU（OSTEP 的 scheduler.py 按作业实际运行的时间推进时钟）",
        },
        "too_short": {
            "en": "turn {step}: job {job} runs for only {ran}, although it had {left} left and "
            "the quantum is {quantum}: a job keeps the CPU for a whole quantum unless it "
            "finishes first",
            "zh": "第 {step} 轮：作业 {job} 只运行了 {ran}，但它还剩 {left}，时间片是 {quantum}："
            "除非提前完成，作业会占用 CPU 整整一个时间片",
        },
        "unfinished": {
            "en": "the schedule ends after {turns} turn(s) but job(s) {unfinished} never finish: "
            "keep taking turns until every job has run its whole length",
            "zh": "调度在 {turns} 轮后就结束了，但作业 {unfinished} 始终没有完成："
            "要一直轮下去，直到每个作业都运行完它的全部长度",
        },
    },
    "share": {
        "missed": {
            "en": "{name} got {share:.2f} pCPU, {side} than its target {target:.2f}: {why}",
            "zh": "{name} 得到了 {share:.2f} 个物理 CPU，比目标 {target:.2f} {side}：{why}",
        },
        "more": {"en": "more", "zh": "多"},
        "less": {"en": "less", "zh": "少"},
        "no_settings": {
            "en": "configure() returned no settings for domain {name!r}",
            "zh": "configure() 没有返回域 {name!r} 的设置",
        },
        "idle_host": {
            "en": "on a host with idle pCPUs a weight cannot hold a domain back, since nobody "
            "competes for the idle time: only a cap limits it",
            "zh": "宿主机上还有空闲的物理 CPU 时，没有谁来争抢空闲的时间，权重限制不了一个域："
            "只有上限才能限制它",
        },
        "cap_per_domain": {
            "en": "a cap is a percentage of one pCPU for the whole domain, not per vCPU: "
            "{name}'s {vcpus} vCPUs share its cap of {cap}",
            "zh": "上限是整个域占一个物理 CPU 的百分比，而不是每个 vCPU 的：{name} 的 {vcpus} "
            "个 vCPU 共用它的上限 {cap}",
        },
        "capped": {
            "en": "its cap of {cap} % holds it below its target",
            "zh": "它的上限 {cap} % 把它压在了目标之下",
        },
        "busy_host": {
            "en": "on a busy host each domain gets CPU in proportion to its weight times its "
            "active vCPUs: Xen's csched_acct counts a weight once per active vCPU",
            "zh": "宿主机繁忙时，每个域得到的 CPU 与“权重 × 活跃 vCPU 数”成正比：Xen 的 "
            "csched_acct 对每个活跃的 vCPU 都计一次权重",
        },
        "uncapped": {
            "en": "an uncapped busy vCPU takes a whole idle pCPU",
            "zh": "没有上限的忙碌 vCPU 会占满一个空闲的物理 CPU",
        },
    },
}


def share_missed(
    domain: Mapping[str, Any], share: float, cap: int, busy: bool, tolerance: float
) -> Text:
    """Why a domain's share missed its target, from the credit scheduler's rule it ran into:
    an idle host ignores weights, a cap is per domain, a cap holds it down, a busy host shares
    by weight × active vCPUs, an uncapped vCPU takes a whole pCPU."""
    name, target, vcpus = domain["name"], domain["target"], domain["vcpus"]
    rules = (
        (share > target and not busy and not cap, "idle_host"),
        (cap and vcpus > 1 and abs(cap / 100 * vcpus - target) < tolerance, "cap_per_domain"),
        (cap and share < target, "capped"),
        (busy, "busy_host"),
    )
    key = next((key for condition, key in rules if condition), "uncapped")
    why = explain(f"scheduling.share.{key}", name=name, vcpus=vcpus, cap=cap)
    side = explain("scheduling.share.more" if share > target else "scheduling.share.less")
    values = {"name": name, "share": share, "side": side, "target": target, "why": why}
    return explain("scheduling.share.missed", **values)
