import tutor.sim.hypervisor as hv


def predict(kind, io, slow_path, costs):
    steps = hv.FAST_PATHS.get((hv.Kind(kind), "net_send", hv.Io(io)))
    if steps is None:
        return None
    path = [layer for layer, _ in steps]
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
