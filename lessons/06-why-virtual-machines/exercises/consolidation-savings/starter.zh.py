def savings(fleet):
    """预测整合这批服务器能节省多少。

    fleet: {"servers": 10, "utilisation_pct": 15, "cores": 16, "p_max": 200.0,
            "p_idle": 100.0, "target_pct": 75, "hours": 8760, "pue": 1.0}
    """
    servers = fleet["servers"]
    watts_before = servers * fleet["p_max"]  # 利用率 15 % 的服务器真的在消耗峰值功率吗？
    hosts_after = servers  # 在目标利用率以内，一台宿主机能装下几台服务器的负载？
    watts_after = watts_before
    return {
        "hosts_after": hosts_after,
        "watts_before": watts_before,
        "watts_after": watts_after,
        "kwh_saved": 0.0,
    }
