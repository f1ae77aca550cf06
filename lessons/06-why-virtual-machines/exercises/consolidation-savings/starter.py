def savings(fleet):
    """Predict what consolidating this fleet saves.

    fleet: {"servers": 10, "utilisation_pct": 15, "cores": 16, "p_max": 200.0,
            "p_idle": 100.0, "target_pct": 75, "hours": 8760, "pue": 1.0}
    """
    servers = fleet["servers"]
    watts_before = servers * fleet["p_max"]  # is a server at 15 % really drawing its peak power?
    hosts_after = servers  # how many servers' loads fit on one host under the target?
    watts_after = watts_before
    return {
        "hosts_after": hosts_after,
        "watts_before": watts_before,
        "watts_after": watts_after,
        "kwh_saved": 0.0,
    }
