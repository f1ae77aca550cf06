"""Every kind with every operation; hidden cases also change what some layers cost.

A case's ``costs`` replaces the cycle cost of some layers for that machine (a faster disk, a CPU
with cheaper VM exits, a slower device model...). The driver applies it to the events of a real
model run, so a learner who reads the trace passes and one who copies the textbook table does not.
Kinds: the hypervisor kind, the operation, whether the machine's costs are the textbook's, and
"tied layers" for a machine on which two overhead layers tie for the most cycles (dominant is
the one met first on the way down): one such case in practice and on every hidden seed.
"""

from tutor.sim.hypervisor import LAYERS, NATIVE_PATHS, PATHS, Kind

KINDS = tuple(kind.value for kind in Kind)
FACTORS = (0.25, 0.5, 0.75, 1.5, 2, 3)
OPERATIONS = ("disk_read", "net_send", "privileged")
# What the report calls each design and operation on the Chinese page.
KIND_ZH = {
    "type1": "type1（单体式）",
    "type1_partition": "type1_partition（特权分区式）",
    "type2": "type2（托管型）",
    "kvm": "kvm",
}
OPERATION_ZH = {"disk_read": "磁盘读取", "net_send": "网络发送", "privileged": "特权指令"}


def _case(kind, operation, costs=None, tied=False):
    changes = [f"{layer} x{factor:.3g}" for layer, (_, factor) in (costs or {}).items()]
    measured = ", ".join(changes)
    return {
        "title": {
            "en": f"{kind} {operation}" + (f", measured: {measured}" if changes else ""),
            "zh": f"{KIND_ZH[kind]} · {OPERATION_ZH[operation]}"
            + (f"，实测：{measured}" if changes else ""),
        },
        "args": {
            "kind": kind,
            "operation": operation,
            "costs": {layer: cycles for layer, (cycles, _) in (costs or {}).items()},
        },
        "kinds": [kind, operation, "measured costs" if changes else "textbook costs"]
        + (["tied layers"] if tied else []),
    }


def _scaled(layer, factor):
    return round(LAYERS[layer].cycles * factor), factor


PRACTICE = [_case(kind, ("disk_read", "net_send")[i % 2]) for i, kind in enumerate(KINDS)] + [
    _case(KINDS[-1], "privileged"),
    _case("type2", "net_send", {"vmm_app": _scaled("vmm_app", 0.5)}),
    _case("kvm", "disk_read", {"disk": _scaled("disk", 0.25), "vm_exit": _scaled("vm_exit", 2)}),
    # vm_exit and hypervisor_driver both cost 1500: vm_exit, met first on the way down, dominates
    _case("type1", "net_send", {"vm_exit": _scaled("vm_exit", 1.25)}, tied=True),
]


def _tied(rng):
    """Two overhead layers of one path cost the same, more than any other overhead layer."""
    kind, operation = rng.choice(KINDS), rng.choice(OPERATIONS)
    layers = [layer for layer, _ in PATHS[(Kind(kind), operation)]]
    overhead = [layer for layer in layers if layer not in NATIVE_PATHS[operation]]
    tied = sorted(rng.sample(overhead, k=2), key=layers.index)
    cycles = max(LAYERS[layer].cycles for layer in overhead) * rng.choice((2, 3))
    costs = {layer: (cycles, cycles / LAYERS[layer].cycles) for layer in tied}
    return _case(kind, operation, costs, tied=True)


def hidden(rng):
    cases = []
    for i, (kind, operation) in enumerate((k, o) for k in KINDS for o in OPERATIONS):
        layers = [layer for layer, _ in PATHS[(Kind(kind), operation)]]
        costs = {}
        if i % 3 != 1:  # two cases in three run on a machine whose costs differ from the table
            chosen = set(rng.sample(layers, k=max(1, len(layers) // 2)))
            if chosen <= set(NATIVE_PATHS[operation]):  # change at least one overhead layer
                chosen.add(rng.choice([x for x in layers if x not in NATIVE_PATHS[operation]]))
            for layer in sorted(chosen, key=layers.index):
                costs[layer] = _scaled(layer, rng.choice(FACTORS))
        cases.append(_case(kind, operation, costs))
    return [*cases, _tied(rng)]
