# expect: a guest's addresses start at 0
def predict(guests, ops):
    # Misconception: a guest's memory and disk are lists, so only an index past the end fails.
    memory = {g: [0] * size["memory_pages"] for g, size in guests.items()}
    disk = {g: [0] * size["disk_blocks"] for g, size in guests.items()}
    seen = []
    for op in ops:
        if op[0] == "restart":
            memory[op[1]] = [0] * guests[op[1]]["memory_pages"]
            continue
        cells = (memory if op[2] == "memory" else disk)[op[1]]
        try:
            if op[0] == "write":
                cells[op[3]] = op[4]
            else:
                seen.append(cells[op[3]])
        except IndexError:
            if op[0] == "read":
                seen.append("refused")
    return seen
