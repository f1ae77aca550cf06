# expect: not zero when idle
import math


def savings(fleet):
    # Misconception: power is proportional to load, so an idle server costs nothing.
    servers, u = fleet["servers"], fleet["utilisation_pct"] / 100
    hosts_after = math.ceil(servers / (fleet["target_pct"] // fleet["utilisation_pct"]))
    before = servers * fleet["p_max"] * u
    after = before
    return {
        "hosts_after": hosts_after,
        "watts_before": before,
        "watts_after": after,
        "kwh_saved": 0.0,
    }
