# expect: a tie goes to the first one
def compare_techniques(events):
    cycles = {t: sum(e["count"] * e["per_op"][t] for e in events) for t in ("native", "bt", "hw")}
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    loser = "hw" if cheaper == "bt" else "bt"
    best, decisive = None, None
    for e in events:
        gap = e["count"] * (e["per_op"][loser] - e["per_op"][cheaper])
        if best is None or gap >= best:  # a later event takes a tie
            best, decisive = gap, e["op"]
    return {"cycles": cycles, "cheaper": cheaper, "decisive": decisive}
