"""Every kind with every operation; hidden cases also change what some layers cost.

A case's ``costs`` replaces the cycle cost of some layers for that machine (a faster disk, a CPU
with cheaper VM exits, a slower device model...). The driver applies it to the events of a real
model run, so a learner who reads the trace passes and one who copies the textbook table does not.
"""

from tutor.sim.hypervisor import LAYERS, NATIVE_PATHS, PATHS, Kind

KINDS = ("type1", "type2", "kvm")
FACTORS = (0.25, 0.5, 0.75, 1.5, 2, 3)
OPERATIONS = ("disk_read", "net_send", "privileged")


def _case(name, kind, operation, costs=None):
    return {"name": name, "args": {"kind": kind, "operation": operation, "costs": costs or {}}}


def generate(rng, variant):
    if variant == "practice":
        return [
            _case("type1 disk_read", "type1", "disk_read"),
            _case("type2 disk_read", "type2", "disk_read"),
            _case("kvm disk_read", "kvm", "disk_read"),
            _case("kvm privileged", "kvm", "privileged"),
            _case("type2 disk_read from a fast SSD", "type2", "disk_read", {"disk": 20_000}),
        ]
    pairs = [(k, o) for k in KINDS for o in OPERATIONS]
    rng.shuffle(pairs)
    cases = []
    for i, (kind, operation) in enumerate(pairs):
        layers = [layer for layer, _ in PATHS[(Kind(kind), operation)]]
        costs = {}
        changes = []
        if i % 3 != 0:  # two cases in three run on a machine whose costs differ from the table
            chosen = set(rng.sample(layers, k=max(1, len(layers) // 2)))
            if chosen <= set(NATIVE_PATHS[operation]):  # change at least one overhead layer
                chosen.add(rng.choice([x for x in layers if x not in NATIVE_PATHS[operation]]))
            for layer in sorted(chosen, key=layers.index):
                factor = rng.choice(FACTORS)
                costs[layer] = round(LAYERS[layer].cycles * factor)
                changes.append(f"{layer} x{factor}")
        name = f"{kind} {operation}" + (f", measured: {', '.join(changes)}" if changes else "")
        cases.append(_case(name, kind, operation, costs))
    return cases
