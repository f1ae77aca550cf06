# expect: a refused write lands nowhere
def predict(guests, ops):
    # Misconception: slices sit side by side with nothing checking where a guest's address ends.
    sizes = {"memory": "memory_pages", "disk": "disk_blocks"}
    starts = {"memory": {}, "disk": {}}
    for r in starts:
        at = 0
        for name, size in guests.items():
            starts[r][name] = at
            at += size[sizes[r]]
    flat, seen = {}, []
    for op in ops:
        if op[0] == "restart":
            lo = starts["memory"][op[1]]
            for f in range(lo, lo + guests[op[1]]["memory_pages"]):
                flat.pop(("memory", f), None)
        elif op[0] == "write":
            flat[(op[2], starts[op[2]][op[1]] + op[3])] = op[4]
        else:
            seen.append(flat.get((op[2], starts[op[2]][op[1]] + op[3]), 0))
    return seen
