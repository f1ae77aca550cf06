# expect: it leaves out the frozen layers
def predict_storage(plan):
    own = {plan["golden"]: set()}
    for step in plan["steps"]:
        if step[0] == "write":
            own[step[1]].update(step[2])
        else:
            own[step[1]] = set()
            own[step[2]] = set()
    per_guest = {g: len(b) for g, b in own.items()}
    return {"per_guest": per_guest, "total": sum(per_guest.values())}
