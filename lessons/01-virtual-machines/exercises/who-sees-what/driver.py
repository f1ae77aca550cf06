"""Runs the guests' writes and reads on the model and checks the learner's predictions; public.

The model decides what every read sees: ``SlicedHost`` translates each guest address into that
guest's own slice and refuses one outside it. After each read the learner's prediction is put into
the trace (``slice.predicted``), so a replay marks the first read predicted wrong.
"""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim import Disk, Host, IsolationViolation, Nic, SlicedHost

RETURNS = {"predict": [(int, str)]}
# The exercise is to predict the model, not to run it.
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}
SIZE = {"memory": "memory_pages", "disk": "disk_blocks"}


def run(submission, args, trace):
    guests, ops = args["guests"], args["ops"]
    predicted = submission.predict(
        {name: dict(sizes) for name, sizes in guests.items()}, [list(op) for op in ops]
    )
    host = SlicedHost(
        Host(
            "host",
            cores=len(guests),
            memory_pages=8 + sum(g["memory_pages"] for g in guests.values()),
            disks=(Disk("sda", sum(g["disk_blocks"] for g in guests.values())),),
            nics=(Nic("eth0", 1000),),
        ),
        trace=trace,
        hypervisor_pages=8,
    )
    for name, sizes in guests.items():
        host.carve(name, 1, sizes["memory_pages"], sizes["disk_blocks"], 0)
    observed = []
    for op in ops:
        try:
            if op[0] == "restart":
                host.restart(op[1])
            elif op[0] == "write":
                host.write(op[1], op[2], op[3], op[4])
            else:
                observed.append(host.read(op[1], op[2], op[3]))
        except IsolationViolation:
            if op[0] == "read":
                observed.append("refused")
        if op[0] == "read":
            i = len(observed) - 1
            guess = predicted[i] if i < len(predicted) else None
            trace.emit("slice.predicted", guest=op[1], read=i, predicted=guess)
    return {"observed": observed, "predicted": predicted}


def compare(args, expected, actual, reveal=False):
    observed, predicted = actual["observed"], actual["predicted"]
    if len(predicted) != len(observed):
        return explain("isolation.count", predicted=len(predicted), reads=len(observed))
    reads = [op for op in args["ops"] if op[0] == "read"]
    for i, (seen, guess) in enumerate(zip(observed, predicted, strict=True)):
        if seen != guess:
            _, guest, resource, address = reads[i]
            unit = explain(f"isolation.unit.{resource}", address=address)
            message = explain("isolation.read", n=i + 1, guest=guest, unit=unit, guess=guess)
            message = Feedback.because(message, _why(args, i, guess, seen))
            return Feedback(reveal).revealing(message, explain("isolation.model_sees", seen=seen))
    return None


def _why(args, index, guess, seen):
    """The rule this prediction breaks, worked out from the ops before the read."""
    reads = [i for i, op in enumerate(args["ops"]) if op[0] == "read"]
    history = args["ops"][: reads[index]]
    _, guest, resource, address = args["ops"][reads[index]]
    size = args["guests"][guest][SIZE[resource]]
    own = explain(f"slices.slice.{resource}", size=size, guest=guest, last=size - 1)
    if seen == "refused" or guess == "refused":
        key = "outside" if seen == "refused" else "inside"
        return explain(f"isolation.{key}", address=address, own=own)
    for op in (op for op in history if op[0] == "write" and op[4] == guess):
        if not 0 <= op[3] < args["guests"][op[1]][SIZE[op[2]]]:
            return explain("isolation.refused_write", guess=guess, writer=op[1])
        if op[1] != guest:
            values = {"guess": guess, "writer": op[1], "resource": resource, "address": address}
            return explain("isolation.other_guest", guest=guest, **values)
    if any(op[0] == "restart" and op[1] == guest for op in history):
        return explain(f"isolation.restart.{resource}")
    return explain("isolation.last_write")
