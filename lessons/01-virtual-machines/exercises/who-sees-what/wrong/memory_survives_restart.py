# expect: a restart wipes the guest's memory
def predict(guests, ops):
    sizes = {"memory": "memory_pages", "disk": "disk_blocks"}
    stored = {name: {} for name in guests}
    seen = []
    for op in ops:
        if op[0] == "restart":
            continue  # Misconception: a reboot keeps what was in RAM.
        inside = 0 <= op[3] < guests[op[1]][sizes[op[2]]]
        if op[0] == "write":
            if inside:
                stored[op[1]][(op[2], op[3])] = op[4]
        else:
            seen.append(stored[op[1]].get((op[2], op[3]), 0) if inside else "refused")
    return seen
