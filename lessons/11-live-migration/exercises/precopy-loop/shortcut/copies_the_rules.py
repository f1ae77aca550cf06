from tutor.sim.migration import STOP_RULES, MigrationLink


def migrate(link, workload):
    rules = STOP_RULES[workload["rules"]]
    to_send = workload["memory_mb"]
    for _ in range(rules.max_live_rounds):
        to_send = link.send(to_send)
    link.stop_and_copy(to_send, "max_rounds")
    return {"closed_form_mb": [], "departs_at": None}
