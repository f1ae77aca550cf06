# expect: no number of writes makes BT cheaper
def break_even(mix, costs):
    totals = {t: sum(n * costs[op][t] for op, n in mix.items()) for t in ("bt", "hw")}
    lead = totals["bt"] - totals["hw"]
    if lead < 0:
        return 0
    extra = abs(costs["pte_write"]["hw"] - costs["pte_write"]["bt"]) or 1
    return lead // extra + 1
