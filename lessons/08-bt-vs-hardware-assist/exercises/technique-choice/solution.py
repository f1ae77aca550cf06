def compare_techniques(events):
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        for technique in cycles:
            cycles[technique] += event["count"] * event["per_op"][technique]
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    loser = "hw" if cheaper == "bt" else "bt"
    decisive = None
    best = None
    for event in events:  # in mix order: the first one wins a tie
        gap = event["count"] * (event["per_op"][loser] - event["per_op"][cheaper])
        if best is None or gap > best:
            decisive, best = event["op"], gap
    return {"cycles": cycles, "cheaper": cheaper, "decisive": decisive}
