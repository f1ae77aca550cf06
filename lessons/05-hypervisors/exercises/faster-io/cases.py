"""Every design with both faster network paths; hidden machines change what some layers cost.

Kinds: the design, the faster path, whether the design has it, and (where it has) whether the
machine's costs are the lesson's table or measured ones. A learner who predicts the path from the
lesson's reasons and reads the costs off ``costs`` passes; one who copies the table does not.
"""

from tutor.sim import InvalidOperation, path_of
from tutor.sim.hypervisor import LAYERS, Io, Kind

KINDS = tuple(kind.value for kind in Kind)
FAST = (Io.VHOST.value, Io.SRIOV.value)
FACTORS = (0.25, 0.5, 0.75, 1.5, 2, 3)
# What the report calls each design and faster path on the Chinese page.
KIND_ZH = {
    "type1": "type1（单体式）",
    "type1_partition": "type1_partition（特权分区式）",
    "type2": "type2（托管型）",
    "kvm": "kvm",
}
IO_ZH = {"vhost": "vhost（内核中的 vhost-net 后端）", "sriov": "sriov（SR-IOV 虚拟功能直通）"}


def _has_path(kind, io):
    try:
        path_of(kind, "net_send", io)
    except InvalidOperation:
        return False
    return True


def _case(kind, io, changed=None):
    changed = changed or {}
    if not _has_path(kind, io):
        kinds = [kind, io, "no such path"]
    else:
        kinds = [kind, io, "has the path", "measured costs" if changed else "textbook costs"]
    measured = ", ".join(f"{layer} x{factor}" for layer, (_, factor) in changed.items())
    # Neither the name nor the title says whether the design has the path: that is part of the
    # prediction (though measured costs can only be those of a path the design has).
    name = f"{kind} · {io}" + (" · measured costs" if changed else "")
    title = {
        "en": f"{kind} · {io}" + (f", measured: {measured}" if changed else ""),
        "zh": f"{KIND_ZH[kind]} · {IO_ZH[io]}" + (f"，实测：{measured}" if changed else ""),
    }
    return {
        "name": name,
        "title": title,
        "args": {
            "kind": kind,
            "io": io,
            "costs": {layer: cycles for layer, (cycles, _) in changed.items()},
        },
        "kinds": kinds,
    }


def _scaled(layer, factor):
    return round(LAYERS[layer].cycles * factor), factor


PRACTICE = [
    _case("kvm", "vhost"),
    _case("type1_partition", "sriov", {"partition_switch": _scaled("partition_switch", 2)}),
    _case("type1", "vhost"),
    _case("type2", "sriov"),
]


def hidden(rng):
    """Every design with both paths, in this learner's own order; two machines in three measure
    some layers of the slow and the fast path at other costs."""
    cases = []
    pairs = [(kind, io) for kind in KINDS for io in FAST]
    rng.shuffle(pairs)
    for i, (kind, io) in enumerate(pairs):
        changed = {}
        if _has_path(kind, io) and i % 3 != 1:
            layers = sorted(set(path_of(kind, "net_send")) | set(path_of(kind, "net_send", io)))
            for layer in rng.sample(layers, k=3):
                changed[layer] = _scaled(layer, rng.choice(FACTORS))
        cases.append(_case(kind, io, changed))
    return cases
