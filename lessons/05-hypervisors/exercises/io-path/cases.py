"""Every hypervisor kind with every operation.

Three practice cases cover every kind and every operation once (a Latin square), so a Run that
passes has met each one; the hidden cases ask for all of the pairs.
"""

from tutor.sim.hypervisor import Kind

OPERATIONS = ("disk_read", "net_send", "privileged")
KINDS = tuple(kind.value for kind in Kind)


def _case(kind, operation):
    return {"args": {"kind": kind, "operation": operation}, "kinds": [kind, operation]}


# Each kind once and each operation once, in a rotation that covers any number of kinds.
PRACTICE = [_case(kind, OPERATIONS[i % len(OPERATIONS)]) for i, kind in enumerate(KINDS)] + [
    _case(KINDS[0], operation) for operation in OPERATIONS[len(KINDS) :]
]


def hidden(rng):
    """All pairs, in an order of this learner's own (the same on every submission)."""
    cases = [_case(kind, operation) for kind in KINDS for operation in OPERATIONS]
    rng.shuffle(cases)
    return cases
