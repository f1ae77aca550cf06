from tutor.sim import Hypervisor, Trace


def path(kind, operation):
    trace = Trace()
    Hypervisor(kind, trace=trace).perform(operation)
    return [e["layer"] for e in trace.events if e["kind"] == "layer.enter" and e["dir"] == "down"]
