# expect: is a different host frame
def predict(guests, ops):
    # Misconception: all guests share the host's memory, so page 3 is page 3 for everyone.
    sizes = {"memory": "memory_pages", "disk": "disk_blocks"}
    store, seen = {}, []
    for op in ops:
        if op[0] == "restart":
            store = {k: v for k, v in store.items() if k[0] == "disk"}
        elif 0 <= op[3] < guests[op[1]][sizes[op[2]]]:
            if op[0] == "write":
                store[(op[2], op[3])] = op[4]
            else:
                seen.append(store.get((op[2], op[3]), 0))
        elif op[0] == "read":
            seen.append("refused")
    return seen
