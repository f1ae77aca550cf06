from tutor.sim import ConstantDirtyRate, precopy


def migrate(link, workload):
    m = workload["memory_mb"]
    done = precopy(
        m,
        ConstantDirtyRate(m, workload["dirty_mbps"]),
        bandwidth_mbps=workload["bandwidth_mbps"],
        rules=workload["rules"],
    )
    for r in done.rounds:
        link.send(r.sent_mb)
    link.stop_and_copy(done.final_mb, done.stop_reason)
    ratio = workload["dirty_mbps"] / workload["bandwidth_mbps"]
    return {"closed_form_mb": [m * ratio**i for i in range(len(done.rounds))], "departs_at": None}
