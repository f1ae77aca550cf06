# expect: a block written twice is stored once
def predict_storage(plan):
    own = {plan["golden"]: []}
    frozen = []
    for step in plan["steps"]:
        if step[0] == "write":
            own[step[1]] += step[2]
        else:
            frozen.append(own[step[1]])
            own[step[1]] = []
            own[step[2]] = []
    per_guest = {g: len(b) for g, b in own.items()}
    return {"per_guest": per_guest, "total": sum(per_guest.values()) + sum(len(f) for f in frozen)}
