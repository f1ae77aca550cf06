"""Page replacement and page sharing (lesson 10: belady-anomaly, page-sharing)."""

EXPLANATIONS = {
    "belady": {
        "bad_page": {
            "en": "the string uses page {page}, but only pages 1 to {pages} exist here: an "
            "anomaly needs at least frames + 2 distinct pages, and this case has them",
            "zh": "序列用到了页 {page}，但这里只有页 1 到 {pages}：异常至少需要 "
            "frames + 2 个不同的页，这个用例正好有这么多",
        },
        "too_long": {
            "en": "the string has {length} references, more than the {limit} allowed",
            "zh": "序列有 {length} 次访问，超过了允许的 {limit} 次",
        },
        "no_anomaly": {
            "en": "FIFO misses {fewer} times with {frames} frames and {more} with {more_frames}: "
            "no more often with the extra frame, so this is no anomaly. The extra frame must "
            "keep an old page whose eviction comes just before it is needed",
            "zh": "FIFO 用 {frames} 个页框缺页 {fewer} 次，用 {more_frames} 个页框缺页 {more} "
            "次：多一个页框并没有让缺页更多，所以这不是异常。多出来的页框必须留住一个旧页，"
            "而这个旧页恰好在再次被需要之前被换出",
        },
    },
    "sharing": {
        "frames": {
            "en": "{key} is {got}, but the model uses a different number of frames: {rule}",
            "zh": "{key} 是 {got}，但模型使用的页框数与此不同：{rule}",
        },
        "rule": {
            "after_share": {
                "en": "after share(), each group of pages with the same contents and the same "
                "salt uses one frame (a guest's own duplicates too); guests with different "
                "salts are never compared",
                "zh": "执行 share() 之后，内容相同且盐值相同的每一组页只占一个页框（同一台客户机"
                "内部的重复页也一样）；盐值不同的客户机之间从不比较",
            },
            "after_writes": {
                "en": "a write to a page whose frame is still used by another page costs a new "
                "frame (copy-on-write); a write to a page that has its frame alone costs nothing",
                "zh": "写一个页时，如果它的页框此刻仍被别的页使用，就要多花一个新页框（写时复制）；"
                "如果它独占页框，就不花任何页框",
            },
        },
        "salted": {
            "en": ". Here some guests have different salts: pages are merged only between guests "
            "with the same salt (or both unsalted), so identical pages of differently salted "
            "guests keep their own frames",
            "zh": "。这里有些客户机的盐值不同：只有盐值相同（或都不加盐）的客户机之间才合并页，"
            "所以盐值不同的客户机即使页内容相同，也各自保留页框",
        },
        "model_uses": {"en": " (the model uses {n})", "zh": "（模型使用 {n} 个）"},
    },
}
