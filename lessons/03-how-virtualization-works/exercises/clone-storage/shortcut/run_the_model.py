from tutor.sim import Guest, storage_blocks


def predict_storage(plan):
    golden = Guest(plan["golden"], memory_pages=4, disk_blocks={"disk0": plan["blocks"]})
    golden.start("h")
    guests = {golden.name: golden}
    value = 0
    for step in plan["steps"]:
        if step[0] == "write":
            for block in step[2]:
                value += 1
                guests[step[1]].write_disk("disk0", block, value)
        else:
            clone = guests[step[1]].linked_clone(step[2])
            clone.start()
            guests[clone.name] = clone
    per_guest = {n: g.own_blocks() for n, g in guests.items()}
    return {"per_guest": per_guest, "total": storage_blocks(list(guests.values()))}
