# expect: take each operation's cost from per_op in its event
TABLE = {
    "pte_write": {"native": 1, "bt": 391, "hw": 12733},
    "page_fault": {"native": 1093, "bt": 3927, "hw": 11242},
    "plain": {"native": 1, "bt": 1, "hw": 1},
    "syscall": {"native": 250, "bt": 2300, "hw": 250},
    "tlb_miss": {"native": 40, "bt": 40, "hw": 40},
}


def compare_techniques(events):
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        for t in cycles:
            cycles[t] += event["count"] * TABLE[event["op"]][t]
    cheaper = "bt" if cycles["bt"] < cycles["hw"] else "hw"
    return {"cycles": cycles, "cheaper": cheaper, "decisive": "pte_write"}
