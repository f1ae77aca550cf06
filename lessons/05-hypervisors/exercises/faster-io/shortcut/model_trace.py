from tutor.sim import Hypervisor, InvalidOperation, Trace


def predict(kind, io, slow_path, costs):
    trace = Trace()
    try:
        Hypervisor(kind, trace=trace, io=io, costs=costs).perform("net_send")
    except InvalidOperation:
        return None
    path = [e["layer"] for e in trace.events if e["kind"] == "layer.enter" and e["dir"] == "down"]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
