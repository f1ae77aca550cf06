def break_even(mix, costs):
    totals = {t: sum(n * costs[op][t] for op, n in mix.items()) for t in ("bt", "hw")}
    lead = totals["bt"] - totals["hw"]  # how far hardware assist is ahead (>= 0: ahead or tied)
    if lead < 0:
        return 0  # binary translation is already cheaper
    extra = costs["pte_write"]["hw"] - costs["pte_write"]["bt"]  # what each write costs hw more
    if extra <= 0:
        return None  # each write helps hardware assist: BT never catches up
    return lead // extra + 1  # the first n with n * extra > lead
