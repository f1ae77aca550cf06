"""Every hypervisor kind with every operation.

The practice cases meet every kind and every operation at least once, so a Run that passes has
met each one; the hidden cases ask for all of the pairs.
"""

from tutor.sim.hypervisor import Kind

OPERATIONS = ("disk_read", "net_send", "privileged")
KINDS = tuple(kind.value for kind in Kind)


# What the report calls each design and operation on the Chinese page.
KIND_ZH = {
    "type1": "type1（单体式）",
    "type1_partition": "type1_partition（特权分区式）",
    "type2": "type2（托管型）",
    "kvm": "kvm",
}
OPERATION_ZH = {"disk_read": "磁盘读取", "net_send": "网络发送", "privileged": "特权指令"}


def _case(kind, operation):
    return {
        "title": {
            "en": f"{kind} · {operation}",
            "zh": f"{KIND_ZH[kind]} · {OPERATION_ZH[operation]}",
        },
        "args": {"kind": kind, "operation": operation},
        "kinds": [kind, operation],
    }


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
