def compare_techniques(events):
    """一个操作组合在每种技术下的总周期数、更便宜的技术，以及原因。

    events：组合中每种操作一个事件，例如
        {"kind": "cost.op", "op": "pte_write", "count": 2000,
         "per_op": {"native": 1, "bt": 391, "hw": 12733}, ...}
    """
    cycles = {"native": 0, "bt": 0, "hw": 0}
    for event in events:
        cycles["native"] += event["count"] * event["per_op"]["native"]
        # bt 和 hw：同样把 count × 每次操作的周期数加上去
    return {"cycles": cycles, "cheaper": "hw", "decisive": events[0]["op"]}
