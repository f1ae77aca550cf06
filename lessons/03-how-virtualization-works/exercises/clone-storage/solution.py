def predict_storage(plan):
    own = {plan["golden"]: set()}  # each guest's current copy-on-write delta
    frozen = []  # layers frozen into shared, read-only bases
    for step in plan["steps"]:
        if step[0] == "write":
            _, guest, blocks = step
            own[guest].update(blocks)
        else:
            _, parent, clone = step
            frozen.append(own[parent])
            own[parent] = set()
            own[clone] = set()
    per_guest = {guest: len(blocks) for guest, blocks in own.items()}
    total = sum(per_guest.values()) + sum(len(layer) for layer in frozen)
    return {"per_guest": per_guest, "total": total}
