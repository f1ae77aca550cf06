# expect: multiply by the PUE
import math


def savings(fleet):
    # Misconception: only the servers' own watts count; cooling is somebody else's bill.
    servers, u = fleet["servers"], fleet["utilisation_pct"] / 100
    p_idle, p_max = fleet["p_idle"], fleet["p_max"]
    hosts_after = math.ceil(servers / (fleet["target_pct"] // fleet["utilisation_pct"]))
    before = servers * (p_idle + (p_max - p_idle) * u)
    after = hosts_after * p_idle + (p_max - p_idle) * servers * u
    return {
        "hosts_after": hosts_after,
        "watts_before": before,
        "watts_after": after,
        "kwh_saved": (before - after) * fleet["hours"] / 1000,
    }
