# expect: a tie goes to 'hw'
def compare_techniques(events):
    cycles = {t: sum(e["count"] * e["per_op"][t] for e in events) for t in ("native", "bt", "hw")}
    # a tie goes to binary translation instead of hardware assist
    cheaper = "bt" if cycles["bt"] <= cycles["hw"] else "hw"
    loser = "hw" if cheaper == "bt" else "bt"
    gaps = [(e["count"] * (e["per_op"][loser] - e["per_op"][cheaper]), e["op"]) for e in events]
    best = max(g for g, _ in gaps)
    return {"cycles": cycles, "cheaper": cheaper, "decisive": next(o for g, o in gaps if g == best)}
