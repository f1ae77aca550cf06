"""Every hypervisor kind with every operation.

The practice cases meet every kind and every operation at least once, so a Run that passes has
met each one; the hidden cases ask for all of the pairs.
"""

from tutor.sim.hypervisor import Kind

OPERATIONS = ("disk_read", "net_send", "privileged")
KINDS = tuple(kind.value for kind in Kind)


def _case(kind, operation):
    return {"args": {"kind": kind, "operation": operation}, "kinds": [kind, operation]}


# Every kind on an I/O path (alternating the device), and one privileged instruction: together
# they meet every kind and every operation the hidden cases ask for.
IO_OPERATIONS = ("disk_read", "net_send")
PRACTICE = [_case(kind, IO_OPERATIONS[i % 2]) for i, kind in enumerate(KINDS)] + [
    _case(KINDS[-1], "privileged")
]


def hidden(rng):
    """All pairs, in an order of this learner's own (the same on every submission)."""
    cases = [_case(kind, operation) for kind in KINDS for operation in OPERATIONS]
    rng.shuffle(cases)
    return cases
