# expect: was frozen into the shared, read-only base
def predict_storage(plan):
    written = {plan["golden"]: set()}
    for step in plan["steps"]:
        if step[0] == "write":
            written[step[1]].update(step[2])
        else:
            written[step[2]] = set()  # Misconception: the parent's disk is unchanged by cloning.
    per_guest = {g: len(b) for g, b in written.items()}
    return {"per_guest": per_guest, "total": sum(per_guest.values())}
