# expect: decisive is
def compare_techniques(events):
    cycles = {t: sum(e["count"] * e["per_op"][t] for e in events) for t in ("native", "bt", "hw")}
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    # the largest gap either way, even one that favours the loser
    decisive = max(events, key=lambda e: abs(e["count"] * (e["per_op"]["bt"] - e["per_op"]["hw"])))
    return {"cycles": cycles, "cheaper": cheaper, "decisive": decisive["op"]}
