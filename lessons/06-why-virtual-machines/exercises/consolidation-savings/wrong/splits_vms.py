# expect: a VM is never split across hosts
import math


def savings(fleet):
    # Misconception: the pool's total load can be spread freely, as if a VM could be cut up.
    servers, u = fleet["servers"], fleet["utilisation_pct"] / 100
    p_idle, p_max = fleet["p_idle"], fleet["p_max"]
    hosts_after = math.ceil(servers * fleet["utilisation_pct"] / fleet["target_pct"])
    before = servers * (p_idle + (p_max - p_idle) * u)
    after = hosts_after * p_idle + (p_max - p_idle) * servers * u
    return {
        "hosts_after": hosts_after,
        "watts_before": before,
        "watts_after": after,
        "kwh_saved": (before - after) * fleet["hours"] / 1000 * fleet["pue"],
    }
