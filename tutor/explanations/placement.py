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
}
