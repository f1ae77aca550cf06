"""Placing guests on the hosts of a pool with First Fit (lesson 2, first-fit-host,
failover-placement)."""

EXPLANATIONS = {
    "returned_none": {
        "en": "first_fit returned None for {vm!r}, but a host has room for it (every guest here "
        "passed admission control)",
        "zh": "first_fit 对 {vm!r} 返回了 "
        "None，但有宿主机放得下它（这里的每台客户机都已通过准入控制）",
    },
    "does_not_fit": {
        "en": "{broken}: a host has room only if both its free vCPUs and its free pages suffice",
        "zh": "{broken}：只有空闲 vCPU 和空闲内存页都足够时，宿主机才放得下",
    },
    "no_room": {
        "en": "you placed {vm!r} on a host that has no room for it",
        "zh": "你把 {vm!r} 放到了放不下它的宿主机上",
    },
    "went_to": {"en": "{vm!r} went to {host!r}", "zh": "{vm!r} 被放到了 {host!r}"},
    "earlier_host": {
        "en": "a host earlier in the list also has room for it: First Fit takes the first host "
        "that fits (a guest that exactly fills the free space still fits)",
        "zh": "列表中更靠前的一台宿主机也放得下它：首次适应选第一台放得下的宿主机"
        "（恰好占满空闲空间也算放得下）",
    },
    "not_first": {
        "en": "First Fit does not stop there: something about that choice differs from taking the "
        "first host with room",
        "zh": "首次适应不会停在那里：这个选择与“选第一台放得下的宿主机”不一致",
    },
    "hosts_on": {
        "en": "the hosts left powered on differ from First Fit's",
        "zh": "最终开机的宿主机与首次适应的结果不同",
    },
    "plan_no_room": {
        "en": "your plan puts {vm!r} on {host!r}, which has no room left for it: the guests you "
        "put on one host must fit in its cores and pages together",
        "zh": "你的方案把 {vm!r} 放到 {host!r}，而那里已经没有放得下它的空间："
        "放在同一台宿主机上的客户机，加起来不能超过它的 cores 和 pages",
    },
    "plan_unplaced": {
        "en": "your plan does not place {vm!r} on a host of the pool (got {host!r})",
        "zh": "你的方案没有把 {vm!r} 放到资源池中的某台宿主机上（得到的是 {host!r}）",
    },
    "stranded": {
        "en": "if {host!r} fails, {lost} cannot restart: the other hosts lack the headroom (they "
        "restart largest first, First Fit). Leave enough free on the others for every host's "
        "guests",
        "zh": "如果 {host!r} 发生故障，{lost} 无法重启：其他宿主机的余量不够（按从大到小的顺序、"
        "用首次适应重启）。要在其他宿主机上为每台宿主机的客户机留足余量",
    },
}
