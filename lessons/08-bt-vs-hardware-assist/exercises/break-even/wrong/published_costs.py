# expect: the answer is larger
def break_even(mix, costs):
    # Uses Adams & Agesen's published PTE-write costs instead of this CPU's.
    totals = {t: sum(n * costs[op][t] for op, n in mix.items()) for t in ("bt", "hw")}
    lead = totals["bt"] - totals["hw"]
    if lead < 0:
        return 0
    if costs["pte_write"]["hw"] <= costs["pte_write"]["bt"]:
        return None
    return lead // (12733 - 391) + 1
