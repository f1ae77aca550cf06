import math


def power(p_idle, p_max, u):
    return p_idle + (p_max - p_idle) * u


def savings(fleet):
    servers, u = fleet["servers"], fleet["utilisation_pct"] / 100
    p_idle, p_max = fleet["p_idle"], fleet["p_max"]
    per_host = fleet["target_pct"] // fleet["utilisation_pct"]
    hosts_after = math.ceil(servers / per_host)
    watts_before = servers * power(p_idle, p_max, u)
    busy = servers * u  # in hosts' worth of cores: the same work, wherever it runs
    watts_after = hosts_after * p_idle + (p_max - p_idle) * busy
    kwh_saved = (watts_before - watts_after) * fleet["hours"] / 1000 * fleet["pue"]
    return {
        "hosts_after": hosts_after,
        "watts_before": watts_before,
        "watts_after": watts_after,
        "kwh_saved": kwh_saved,
    }
