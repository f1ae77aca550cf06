# expect: stop_and_copy(reason) is
PAGE_MB = 4096 / 1_000_000


def migrate(link, workload):
    memory = workload["memory_mb"]
    rules = workload["rules"]
    max_rounds = 5 if rules == "xen-v2" else 29
    to_send = memory
    total = 0.0
    rounds = 0
    while True:
        if rules == "xen-v2" and rounds > 0 and to_send == 0:
            reason = "clean"
            break
        dirtied = link.send(to_send)
        rounds += 1
        total += to_send
        # The rules judge the round just sent, in Xen's order.
        if to_send < 50 * PAGE_MB:
            reason = "converged"
        elif rounds >= max_rounds:
            reason = "max_rounds"
        elif rules == "xen-4.5" and total > 3 * memory:
            reason = "max_sent"
        else:
            reason = None
        to_send = dirtied
        if reason:
            break
    link.stop_and_copy(to_send, "converged")

    ratio = workload["dirty_mbps"] / workload["bandwidth_mbps"]
    closed_form = [memory * ratio**i for i in range(rounds)]
    sent = [r.sent_mb for r in link.rounds]
    departs_at = None
    for i, (model, formula) in enumerate(zip(sent, closed_form)):
        if abs(model - formula) > 0.001 * formula:
            departs_at = i
            break
    return {"closed_form_mb": closed_form, "departs_at": departs_at}
