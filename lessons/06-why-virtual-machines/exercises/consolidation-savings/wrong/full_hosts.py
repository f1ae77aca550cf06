# expect: every host still running draws P_idle plus its share of the work
import math


def savings(fleet):
    # Misconception: a consolidated host runs flat out at P_max.
    servers, u = fleet["servers"], fleet["utilisation_pct"] / 100
    p_idle, p_max = fleet["p_idle"], fleet["p_max"]
    hosts_after = math.ceil(servers / (fleet["target_pct"] // fleet["utilisation_pct"]))
    before = servers * (p_idle + (p_max - p_idle) * u)
    after = hosts_after * p_max
    return {
        "hosts_after": hosts_after,
        "watts_before": before,
        "watts_after": after,
        "kwh_saved": (before - after) * fleet["hours"] / 1000 * fleet["pue"],
    }
