from tutor.sim.isa import cheaper, technique_cycles


def compare_techniques(events):
    mix = {e["op"]: e["count"] for e in events}
    return {"cycles": technique_cycles(mix), "cheaper": cheaper(mix), "decisive": events[0]["op"]}
