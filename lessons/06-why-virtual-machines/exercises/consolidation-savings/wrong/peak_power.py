# expect: not P_max, and not zero when idle
import math


def savings(fleet):
    # Misconception: a server always draws its rated peak power.
    servers = fleet["servers"]
    hosts_after = math.ceil(servers / (fleet["target_pct"] // fleet["utilisation_pct"]))
    before = servers * fleet["p_max"]
    after = hosts_after * fleet["p_max"]
    return {
        "hosts_after": hosts_after,
        "watts_before": before,
        "watts_after": after,
        "kwh_saved": (before - after) * fleet["hours"] / 1000 * fleet["pue"],
    }
