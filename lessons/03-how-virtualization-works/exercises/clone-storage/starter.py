def predict_storage(plan):
    """Predict, without running it, the storage that `plan` will use.

    plan["steps"] lists, in order:
        ["write", guest, [block, ...]]   the guest writes these disk blocks
        ["clone", parent, name]          a linked clone `name` is made from `parent`
    """
    per_guest = {plan["golden"]: 0}
    total = 0
    for step in plan["steps"]:
        if step[0] == "write":
            per_guest[step[1]] += len(step[2])  # every write a new block?
        else:
            per_guest[step[2]] = 0  # and what happens to the parent's disk?
    total = sum(per_guest.values())  # is anything stored outside the guests' own deltas?
    return {"per_guest": per_guest, "total": total}
