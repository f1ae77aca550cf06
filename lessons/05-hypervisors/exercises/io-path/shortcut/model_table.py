import tutor.sim.hypervisor as hv


def path(kind, operation):
    return [layer for layer, _ in hv.PATHS[(hv.Kind(kind), operation)]]
