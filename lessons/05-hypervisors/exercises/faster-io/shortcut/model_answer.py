from tutor.sim import Hypervisor, InvalidOperation, path_of


def predict(kind, io, slow_path, costs):
    try:
        path = path_of(kind, "net_send", io)
    except InvalidOperation:
        return None
    return {"path": path, "saved": sum(costs[l] for l in slow_path) - sum(costs[l] for l in path)}
