# expect: a restart keeps the disk
def predict(guests, ops):
    sizes = {"memory": "memory_pages", "disk": "disk_blocks"}
    stored = {name: {} for name in guests}
    seen = []
    for op in ops:
        if op[0] == "restart":
            stored[op[1]] = {}  # Misconception: powering off loses the disk too.
            continue
        inside = 0 <= op[3] < guests[op[1]][sizes[op[2]]]
        if op[0] == "write":
            if inside:
                stored[op[1]][(op[2], op[3])] = op[4]
        else:
            seen.append(stored[op[1]].get((op[2], op[3]), 0) if inside else "refused")
    return seen
