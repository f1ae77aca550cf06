"""Every hypervisor kind with every operation; hidden variants shuffle the order."""

KINDS = ("type1", "type2", "kvm")
OPERATIONS = ("disk_read", "net_send", "privileged")


def generate(rng, variant):
    if variant == "practice":
        pairs = [("type1", "disk_read"), ("type2", "disk_read"), ("kvm", "disk_read")]
    else:
        pairs = [(k, o) for k in KINDS for o in OPERATIONS]
        rng.shuffle(pairs)
    return [{"name": f"{k} {o}", "args": {"kind": k, "operation": o}} for k, o in pairs]
