from tutor.sim import ConstantDirtyRate, precopy


def design(link):
    m, b = link["memory_mb"], link["bandwidth_mbps"]
    low, high = 0.0, b
    for _ in range(60):
        mid = (low + high) / 2
        r = precopy(m, ConstantDirtyRate(m, mid), bandwidth_mbps=b, rules=link["rules"])
        if r.downtime_ms > link["budget_ms"]:
            high = mid
        else:
            low = mid
    r = precopy(m, ConstantDirtyRate(m, high), bandwidth_mbps=b, rules=link["rules"])
    return {"dirty_mbps": high, "rounds": len(r.rounds)}
