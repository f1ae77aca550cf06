"""Bin packing at scale: FFD, overload relief and the optimum (lesson 12: ffd-placement,
overload-relief, versus-optimum)."""

EXPLANATIONS = {
    "ffd_rule": {
        "en": "FFD takes the guests largest first (most memory, then most vCPUs, then by name) "
        "and puts each on the first host, in the given order, that still has room for both its "
        "vCPUs and its memory",
        "zh": "首次适应递减按从大到小的顺序取客户机（内存最多的在前，其次 vCPU 最多，再按名字），"
        "把每一台放到按给定顺序第一台 vCPU 和内存都还放得下它的宿主机上",
    },
    "never_placed": {
        "en": "guest {vm} was never placed: every guest must land on a host",
        "zh": "客户机 {vm} 始终没有被放置：每一台客户机都必须放到某台宿主机上",
    },
    "wrong_order": {
        "en": "placement {i} was {vm}, too early or too late: {why}",
        "zh": "第 {i} 次放置的是 {vm}，顺序不对：{why}",
    },
    "not_first_host": {
        "en": "{vm} landed on {host}, which is not the first host with room: {why}",
        "zh": "{vm} 被放到了 {host}，但那不是第一台放得下它的宿主机：{why}",
    },
    "expected": {"en": " (expected {value})", "zh": "（应为 {value}）"},
    "hosts_count": {
        "en": "ffd returned {returned}, but your packing lit {lit} hosts: count the hosts that "
        "hold at least one guest",
        "zh": "ffd 返回了 {returned}，但你的装法用到了 {lit} 台宿主机：要数的是至少放了一台"
        "客户机的宿主机",
    },
    "no_guest": {
        "en": "there is no guest named {vm}",
        "zh": "没有名为 {vm} 的客户机",
    },
    "no_host": {
        "en": "there is no host named {host}",
        "zh": "没有名为 {host} 的宿主机",
    },
    "does_not_fit": {
        "en": "{vm} ({vcpus} vCPUs, {pages} pages) does not fit on {host}, which has "
        "{free_vcpus} vCPUs and {free_pages} pages free: check both resources before you place",
        "zh": "{vm}（{vcpus} 个 vCPU，{pages} 页）放不进 {host}，它只剩 {free_vcpus} 个 vCPU "
        "和 {free_pages} 页：放置之前两种资源都要检查",
    },
    "copy_cost": {
        "en": "a live migration copies at least the guest's whole memory over the network, so "
        "move the guests with the least memory that still bring each host under the threshold",
        "zh": "一次实时迁移至少要通过网络复制这台客户机的全部内存，所以应该迁移内存最少、"
        "又能让每台宿主机降到阈值以下的客户机",
    },
    "still_hot": {
        "en": "{host} is still at {util} % CPU, above the {pct} % threshold: keep migrating "
        "guests off it, to hosts that stay at or under the threshold",
        "zh": "{host} 的 CPU 利用率仍是 {util} %，超过 {pct} % 的阈值：继续把它上面的客户机"
        "迁移到接收后仍不超过阈值的宿主机上",
    },
    "pushed": {
        "en": "your moves pushed {host} to {util} % CPU, over the {pct} % threshold: a target "
        "must stay at or under the threshold with the guest it receives",
        "zh": "你的迁移把 {host} 的 CPU 利用率推到了 {util} %，超过 {pct} % 的阈值："
        "目标宿主机接收客户机之后也必须不超过阈值",
    },
    "moved_more": {
        "en": "you live-migrated {pages} pages of memory, but a relief that moves less exists: "
        "{why}",
        "zh": "你实时迁移了 {pages} 页内存，但存在迁移量更少的减负方案：{why}",
    },
    "model_moves": {
        "en": " (the model's rule moves {pages} pages)",
        "zh": "（模型的规则迁移 {pages} 页）",
    },
    "counts": {
        "first_fit": {
            "en": "First Fit takes the guests in the given order and puts each on the first "
            "host with room, opening a new host only when none has",
            "zh": "首次适应按给定顺序取客户机，把每台放到第一台有空间的宿主机上，"
            "只有都放不下时才开一台新的",
        },
        "ffd": {
            "en": "FFD is First Fit on the guests sorted largest first",
            "zh": "首次适应递减就是先把客户机从大到小排序，再做首次适应",
        },
        "optimum": {
            "en": "the optimum is the fewest hosts any packing can use: at least the total size "
            "divided by the capacity, rounded up, and sometimes more; search all packings "
            "(small cases only) rather than trust a bound or a heuristic",
            "zh": "最优解是任何装法所能用的最少宿主机数：至少是总大小除以容量再向上取整，"
            "有时更多；要搜索所有装法（只适用于小规模），不能依赖某个界或启发式算法",
        },
    },
    "count_wrong": {
        "en": "{field} is {value}, which is wrong: {why}",
        "zh": "{field} 是 {value}，这个值不对：{why}",
    },
}
