# expect: with fewer cycles by your own
def compare_techniques(events):
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        for t in cycles:
            cycles[t] += event["count"] * event["per_op"][t]
    # "hardware is always faster than software"
    return {"cycles": cycles, "cheaper": "hw", "decisive": events[0]["op"]}
