def predict(guests, ops):
    """Predict what every read in ops sees: a value, or "refused".

    guests: {"a": {"memory_pages": 8, "disk_blocks": 16}, ...}
    ops: ["write", guest, resource, address, value], ["read", guest, resource, address]
         or ["restart", guest]; resource is "memory" or "disk".
    """
    seen = []
    memory = {}  # one machine, one memory... or is it?
    for op in ops:
        if op[0] == "write":
            memory[(op[2], op[3])] = op[4]
        elif op[0] == "read":
            seen.append(memory.get((op[2], op[3]), 0))
    return seen
