"""Why Xen's credit scheduler pays and picks as it does (lesson 9, credit-scheduler): the rules
of csched_acct and of the run queue that a learner's account() and pick() must follow, and the
one a learner's first departing decision broke."""

from __future__ import annotations

from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "said": {
        "paid_nothing": {
            "en": "at {t} ms account() paid no credit",
            "zh": "在 {t} 毫秒时 account() 没有发放任何信用值",
        },
        "paid_inactive": {
            "en": "at {t} ms account() paid {name!r}, which was not active",
            "zh": "在 {t} 毫秒时 account() 给 {name!r} 发了信用值，但它并不活跃",
        },
        "over_cap": {
            "en": "at {t} ms account() paid domain {domain!r} {total} credits, more than its "
            "cap allows",
            "zh": "在 {t} 毫秒时 account() 给域 {domain!r} 发了 {total} 个信用值，超过了它的上限"
            "所允许的",
        },
        "over_pcpu": {
            "en": "at {t} ms account() paid {name!r} {total} credits",
            "zh": "在 {t} 毫秒时 account() 给 {name!r} 发了 {total} 个信用值",
        },
        "uneven": {
            "en": "at {t} ms account() paid the vCPUs of {domain!r} {got}",
            "zh": "在 {t} 毫秒时 account() 给 {domain!r} 的各个 vCPU 发了 {got}",
        },
        "kept_back": {
            "en": "at {t} ms account() paid {total} credits in all and kept the rest of the "
            "{available} back, although a domain below its limit could use them",
            "zh": "在 {t} 毫秒时 account() 一共只发了 {total} 个信用值，留下了 {available} 中的"
            "其余部分，但还有没达到限额的域能用上它们",
        },
        "per_domain": {
            "en": "at {t} ms account() paid domain {domain!r} {total} credits for its {vcpus} "
            "active vCPUs",
            "zh": "在 {t} 毫秒时 account() 给有 {vcpus} 个活跃 vCPU 的域 {domain!r} 发了 "
            "{total} 个信用值",
        },
        "proportion": {
            "en": "at {t} ms account() paid domain {domain!r} {total} credits, out of "
            "proportion to its weight",
            "zh": "在 {t} 毫秒时 account() 给域 {domain!r} 发了 {total} 个信用值，与它的权重"
            "不成比例",
        },
        "off_by_one": {
            "en": "at {t} ms account() paid {got}, off by a credit",
            "zh": "在 {t} 毫秒时 account() 发放了 {got}，差了 1 个信用值",
        },
        "boost_waiting": {
            "en": "at {t} ms pick() chose {name!r} (credit {credit}), but a BOOSTed vCPU was "
            "waiting",
            "zh": "在 {t} 毫秒时 pick() 选择了 {name!r}（信用值 {credit}），但有一个 BOOST 的 "
            "vCPU 在等待",
        },
        "over_first": {
            "en": "at {t} ms pick() chose {name!r} (credit {credit}), which is OVER, while an "
            "UNDER vCPU was waiting",
            "zh": "在 {t} 毫秒时 pick() 选择了 {name!r}（信用值 {credit}），它是 OVER，而有一个 "
            "UNDER 的 vCPU 在等待",
        },
        "not_first": {
            "en": "at {t} ms pick() chose {name!r} (credit {credit}), but it was not the first "
            "of its priority in the queue",
            "zh": "在 {t} 毫秒时 pick() 选择了 {name!r}（信用值 {credit}），但它不是队列中同一"
            "优先级的第一个",
        },
        "skipped_zero": {
            "en": "at {t} ms pick() chose {name!r} (credit {credit}) as if a vCPU with credit 0 "
            "were OVER",
            "zh": "在 {t} 毫秒时 pick() 选择了 {name!r}（信用值 {credit}），"
            "就好像信用值为 0 的 vCPU 是 OVER 一样",
        },
        "model_pays": {"en": " (the model pays {x})", "zh": "（模型发放的是 {x}）"},
        "model_runs": {"en": " (the model runs {x!r})", "zh": "（模型运行的是 {x!r}）"},
        "because": {"en": "{what}: {why}", "zh": "{what}：{why}"},
    },
    "refill": {
        "en": "every 30 ms the accountant hands out 300 credits per pCPU; without that refill "
        "every vCPU that runs sinks into debt (OVER) and stays there, so weights stop mattering",
        "zh": "记账程序每 30 毫秒按每个物理 CPU 300 的量发放信用值；没有这次补充，运行过的 "
        "vCPU 都会陷入负债（OVER）并一直停在那里，权重也就不起作用了",
    },
    "inactive": {
        "en": "csched_acct shares credit only among active vCPUs (runnable, or ran since the "
        "last accounting); a sleeping vCPU earns nothing, or it would hoard credit",
        "zh": "csched_acct 只在活跃的 vCPU（可运行的，或自上次记账以来运行过的）之间分配信用值；"
        "睡眠的 vCPU 什么也得不到，否则它会囤积信用值",
    },
    "cap": {
        "en": "a cap is a percentage of one pCPU for the whole domain: cap {cap} is "
        "{limit} credits per 30 ms for all its vCPUs together",
        "zh": "上限是整个域占一个物理 CPU 的百分比：上限 {cap} 就是它所有 vCPU 加起来每 30 毫秒 "
        "{limit} 个信用值",
    },
    "one_pcpu": {
        "en": "a vCPU never runs on two pCPUs at once, so it can use at most 300 credits per "
        "30 ms; a domain's part is at most 300 per active vCPU",
        "zh": "一个 vCPU 不会同时在两个物理 CPU 上运行，所以它每 30 毫秒最多只能用掉 300 个信用值；"
        "一个域的份额最多是每个活跃 vCPU 300",
    },
    "even": {
        "en": "a domain's part is split evenly among its active vCPUs (integer division, the "
        "remainder one credit each to the first)",
        "zh": "一个域的份额在它活跃的 vCPU 之间平分（整数除法，余数从第一个开始每个多给 1）",
    },
    "leftover": {
        "en": "a domain that would get more than its limit (its cap, or 300 per active vCPU) "
        "gets its limit, and the credits it cannot use are shared again among the others",
        "zh": "份额超过自身限额（上限，或每个活跃 vCPU 300）的域只得到它的限额，它用不了的信用值"
        "会在其他域之间重新分配",
    },
    "per_vcpu": {
        "en": "csched_acct counts a domain's weight once per active vCPU: its part is "
        "weight × active vCPUs / Σ(weight × active vCPUs) of 300 × pCPUs",
        "zh": "csched_acct 对一个域的每个活跃 vCPU 都计一次权重：它的份额是 300 × 物理 CPU 数的 "
        "“权重 × 活跃 vCPU 数 / Σ（权重 × 活跃 vCPU 数）”",
    },
    "integer": {
        "en": "csched_acct works in whole credits: each part is remaining × weight // total "
        "weight (rounded down)",
        "zh": "csched_acct 以整数个信用值计算：每份是 remaining × weight // 总权重（向下取整）",
    },
    "boost": {
        "en": "a vCPU that wakes with credit left is BOOSTed and runs before every UNDER and "
        "OVER vCPU, so an I/O-bound guest answers quickly",
        "zh": "带着剩余信用值醒来的 vCPU 处于 BOOST 优先级，排在所有 UNDER 和 OVER 的 vCPU 前面"
        "运行，这样以 I/O 为主的客户机能很快响应",
    },
    "under": {
        "en": "a vCPU with credit left (UNDER) always runs before one in debt (OVER)",
        "zh": "还有信用值的 vCPU（UNDER）总是先于负债的 vCPU（OVER）运行",
    },
    "zero_under": {
        "en": "a vCPU is OVER only in debt, with credit below 0; with credit 0 it is still UNDER, "
        "and within one priority vCPUs take turns in queue order",
        "zh": "vCPU 只有在负债（信用值小于 0）时才是 OVER；信用值为 0 时它仍是 UNDER，"
        "而同一优先级内的 vCPU 按队列顺序轮流运行",
    },
    "fifo": {
        "en": "within one priority vCPUs take turns in queue order, front first, whatever "
        "their credit",
        "zh": "同一优先级内，vCPU 按队列顺序从队首开始轮流运行，与信用值多少无关",
    },
}


def departure(found: dict[str, Any], pcpus: int, reveal: bool = False) -> Text:
    """The rule a learner's first departing decision (``run_against_model``'s
    ``first_departure``) broke, and with ``reveal`` what the model decided instead."""
    from tutor.sim.credit_policy import xen_account, xen_pick  # not offered to learner code

    if "paid" in found:
        paid = xen_account(found["account"], pcpus)
        key, values = _payment(found, pcpus, paid)
        model: Any = {n: c for n, c in paid.items() if c}
        answer = "credit.said.model_pays"
    else:
        key, values = _choice(found, xen_pick(found["queue"]))
        model, answer = xen_pick(found["queue"]), "credit.said.model_runs"
    what = explain(f"credit.said.{key}", t=found["t"], **values)
    limit = values.get("cap", 0) * 3  # only the cap's rule has placeholders: cap and limit
    why = explain(f"credit.{_RULE[key]}", cap=values.get("cap"), limit=limit)
    message = explain("credit.said.because", what=what, why=why)
    if reveal:
        extra = explain(answer, x=model)
        message = {lang: message[lang] + extra[lang] for lang in message}
    return message


_RULE = {
    "paid_nothing": "refill",
    "paid_inactive": "inactive",
    "over_cap": "cap",
    "over_pcpu": "one_pcpu",
    "uneven": "even",
    "kept_back": "leftover",
    "per_domain": "per_vcpu",
    "proportion": "per_vcpu",
    "off_by_one": "integer",
    "boost_waiting": "boost",
    "over_first": "under",
    "skipped_zero": "zero_under",
    "not_first": "fifo",
}


def _payment(
    found: dict[str, Any], pcpus: int, model: dict[str, int]
) -> tuple[str, dict[str, Any]]:
    """Which csched_acct rule a payment breaks, checked in the order a learner should fix them."""
    paid = found["paid"]
    active = {v["name"]: v for v in found["account"] if v["active"]}
    if not paid:
        return "paid_nothing", {}
    for name in paid:
        if name not in active:
            return "paid_inactive", {"name": name}
    domains: dict[str, list[str]] = {}
    for v in active.values():
        domains.setdefault(v["domain"], []).append(v["name"])
    total = {d: sum(paid.get(n, 0) for n in names) for d, names in domains.items()}
    for d, names in domains.items():
        cap = active[names[0]]["cap"]
        if cap and total[d] > cap * 3:
            return "over_cap", {"domain": d, "total": total[d], "cap": cap}
    for name, credits in paid.items():
        if credits > 300:
            return "over_pcpu", {"name": name, "total": credits}
    for d, names in domains.items():
        got = [paid.get(n, 0) for n in names]
        if max(got) - min(got) > 1 or got != sorted(got, reverse=True):
            return "uneven", {"domain": d, "got": got}
    # Rounding each vCPU's share down loses at most one credit a vCPU: a shortfall that small
    # is the split (per domain, below), not credits held back from domains under their cap.
    if sum(model.values()) - sum(paid.values()) > len(active):
        return "kept_back", {"total": sum(paid.values()), "available": 300 * pcpus}
    expected = {d: sum(model.get(n, 0) for n in names) for d, names in domains.items()}
    wrong = [d for d in domains if total[d] != expected[d]]
    for d in wrong:
        if len(domains[d]) > 1:
            return "per_domain", {"domain": d, "total": total[d], "vcpus": len(domains[d])}
    for d in wrong:
        if abs(total[d] - expected[d]) > 1:
            return "proportion", {"domain": d, "total": total[d]}
    return "off_by_one", {"got": paid}


def _choice(found: dict[str, Any], model: str) -> tuple[str, dict[str, Any]]:
    """Which run-queue rule a choice breaks: BOOST first, credit 0 is UNDER, then UNDER before
    OVER, then FIFO."""
    from tutor.sim.credit_policy import priority_of

    queue, name = found["queue"], found["picked"]
    mine = next(v for v in queue if v["name"] == name)
    best = next(v for v in queue if v["name"] == model)
    values = {"name": name, "credit": mine["credit"]}
    if best["boost"] and not mine["boost"]:
        return "boost_waiting", values
    # what a picker that takes credit 0 for debt (OVER) chooses
    zero_over = min(queue, key=lambda v: 0 if v["boost"] else 1 if v["credit"] > 0 else 2)
    if zero_over["name"] == name:
        return "skipped_zero", values
    if priority_of(mine) > priority_of(best):
        return "over_first", values
    return "not_first", values
