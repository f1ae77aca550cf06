# expect: decisive is
def compare_techniques(events):
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        for t in cycles:
            cycles[t] += event["count"] * event["per_op"][t]
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    # the operation that costs the winner most, instead of the one that makes the difference
    decisive = max(events, key=lambda e: e["count"] * e["per_op"][cheaper])["op"]
    return {"cycles": cycles, "cheaper": cheaper, "decisive": decisive}
