"""Live migration by pre-copy and Xen's stop rules (lesson 11: precopy-loop, defeat-precopy)."""

EXPLANATIONS = {
    "rules": {
        "xen_v2": {
            "en": "Xen's migration v2 (xen-v2) allows at most 5 live rounds and stops after a "
            "round that sent fewer than 50 pages; each rule is judged on the round just sent",
            "zh": "Xen 的迁移 v2（xen-v2）最多进行 5 轮实时复制，某一轮发送少于 50 页后即停止；"
            "每条规则都按刚刚发送完的那一轮来判断",
        },
        "xen_4_5": {
            "en": "Xen ≤ 4.5 (xen-4.5) allows at most 29 live rounds, stops after a round that "
            "sent fewer than 50 pages, and stops once more than 3× memory has been sent in "
            "all; each rule is judged on the round just sent",
            "zh": "Xen ≤ 4.5（xen-4.5）最多进行 29 轮实时复制，某一轮发送少于 50 页后停止，"
            "累计发送超过内存的 3 倍后也停止；每条规则都按刚刚发送完的那一轮来判断",
        },
    },
    "pause": {
        "xen_v2": {
            "en": "xen-v2 stops after a round that sent under 50 pages or after the 5th live "
            "round, then pauses the guest to send what the last round left dirty",
            "zh": "xen-v2 在某一轮发送少于 50 页后或第 5 轮实时复制后停止，然后暂停客户机，"
            "发送最后一轮留下的脏内存",
        },
        "xen_4_5": {
            "en": "xen-4.5 stops after a round that sent under 50 pages, after the 29th live "
            "round, or once more than 3× memory has been sent, then pauses the guest to send "
            "what the last round left dirty",
            "zh": "xen-4.5 在某一轮发送少于 50 页后、第 29 轮实时复制后，或累计发送超过内存的 "
            "3 倍后停止，然后暂停客户机，发送最后一轮留下的脏内存",
        },
    },
    "next_round": {
        "en": "a live round sends exactly what the guest dirtied during the round before it "
        "(round 0 sends all of memory)",
        "zh": "每一轮实时复制发送的正是客户机在上一轮期间写脏的内容（第 0 轮发送全部内存）",
    },
    "closed_form": {
        "en": "V_i = M·(d/B)^i for every live round i, so V_0 = M, all of memory",
        "zh": "每一轮实时复制 i 都有 V_i = M·(d/B)^i，所以 V_0 = M，即全部内存",
    },
    "downtime": {
        "en": "the downtime is the memory the last live round left dirty, sent while the guest is "
        "paused at the link's own bandwidth: pass stop_and_copy that amount, and no rate_mbps of "
        "your own",
        "zh": "停机时间就是最后一轮实时复制留下的脏内存，在客户机暂停期间以链路自身的带宽发送所用的"
        "时间：把这个量传给 stop_and_copy，不要自己另给 rate_mbps",
    },
    "one_per_round": {
        "en": "list one V_i per live round your migration sent",
        "zh": "迁移进行了几轮实时复制，就列出几个 V_i",
    },
    "departs": {
        "en": "the model's round equals V_i until V_i would exceed the memory: a guest cannot "
        "dirty more than all of its memory, so from then on the model sends M where V_i keeps "
        "growing",
        "zh": "在 V_i 超过内存之前，模型的每一轮都等于 V_i：客户机写脏的内容不可能超过它的全部"
        "内存，所以此后模型发送的是 M，而 V_i 还在继续增长",
    },
    "round_wrong": {
        "en": "round {i} sent {mb} MB, which is wrong: {why}",
        "zh": "第 {i} 轮发送了 {mb} MB，这个值不对：{why}",
    },
    "too_many_rounds": {
        "en": "your loop sent {n} live rounds: it kept sending live rounds after the stop rules "
        "had ended them. {why}",
        "zh": "你的循环进行了 {n} 轮实时复制：停止规则已经结束实时复制后它还在继续发送。{why}",
    },
    "too_few_rounds": {
        "en": "your loop sent {n} live rounds: it stopped the live rounds too early. {why}",
        "zh": "你的循环进行了 {n} 轮实时复制：它过早结束了实时复制。{why}",
    },
    "expected_rounds": {"en": " (expected {n} rounds)", "zh": "（应为 {n} 轮）"},
    "expected_mb": {"en": " (expected {mb} MB)", "zh": "（应为 {mb} MB）"},
    "not_finished": {
        "en": "migrate() returned without link.stop_and_copy(...): the guest never finished moving",
        "zh": "migrate() 没有调用 link.stop_and_copy(...) 就返回了：客户机始终没有迁移完成",
    },
    "dirty_out_of_range": {
        "en": "dirty_mbps must be above 0 and at most 100 × the link rate, not {dirty}",
        "zh": "dirty_mbps 必须大于 0 且不超过链路速率的 100 倍，而不是 {dirty}",
    },
    "within_budget": {
        "en": "with {dirty} Mb/s the guest is paused for only {ms} ms, within the {budget} ms "
        "budget: pre-copy still wins; dirty faster. {why}",
        "zh": "写脏速度为 {dirty} Mb/s 时，客户机只暂停了 {ms} ms，没有超出 {budget} ms 的预算："
        "预复制仍然奏效，需要写脏得更快。{why}",
    },
    "gentler_exists": {
        "en": "{dirty} Mb/s breaks the budget, but a gentler workload also does: find the "
        "slowest dirty rate whose pause exceeds the budget (up to 1 % above it passes). {why}",
        "zh": "{dirty} Mb/s 确实超出了预算，但更温和的工作负载也可以：找出暂停时间超出预算的"
        "最慢写脏速度（高出它 1 % 以内都算通过）。{why}",
    },
    "about_rate": {"en": " (about {rate} Mb/s)", "zh": "（大约 {rate} Mb/s）"},
    "rounds_predicted": {
        "en": "you predicted {predicted} live rounds, but with your workload pre-copy made "
        "{rounds}: {why}",
        "zh": "你预测了 {predicted} 轮实时复制，但在你的工作负载下预复制进行了 {rounds} 轮：{why}",
    },
}
