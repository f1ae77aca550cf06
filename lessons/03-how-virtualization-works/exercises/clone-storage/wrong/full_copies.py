# expect: as if every clone were a full copy
def predict_storage(plan):
    own = {plan["golden"]: set()}
    sees = {plan["golden"]: set()}  # every block each guest can read
    for step in plan["steps"]:
        if step[0] == "write":
            own[step[1]].update(step[2])
            sees[step[1]].update(step[2])
        else:
            own[step[1]] = set()
            own[step[2]] = set()
            sees[step[2]] = set(sees[step[1]])
    per_guest = {g: len(b) for g, b in own.items()}
    # Misconception: each clone stores its whole disk.
    return {"per_guest": per_guest, "total": sum(len(b) for b in sees.values())}
