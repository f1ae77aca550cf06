# expect: not the sum over the events of count
def compare_techniques(events):
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        for t in cycles:
            cycles[t] += event["per_op"][t]  # forgot the count
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    return {"cycles": cycles, "cheaper": cheaper, "decisive": events[0]["op"]}
