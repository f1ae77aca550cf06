def predict(guests, ops):
    sizes = {"memory": "memory_pages", "disk": "disk_blocks"}
    stored = {name: {} for name in guests}  # each guest's own slice: (resource, address) -> value
    seen = []
    for op in ops:
        kind, guest = op[0], op[1]
        if kind == "restart":
            stored[guest] = {key: v for key, v in stored[guest].items() if key[0] == "disk"}
            continue
        resource, address = op[2], op[3]
        inside = 0 <= address < guests[guest][sizes[resource]]
        if kind == "write":
            if inside:
                stored[guest][(resource, address)] = op[4]
        else:
            seen.append(stored[guest].get((resource, address), 0) if inside else "refused")
    return seen
