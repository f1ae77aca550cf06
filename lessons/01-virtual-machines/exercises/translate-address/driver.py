"""Checks the learner's address translation against the hypervisor model's, access by access.

The model carves the layout's guests out of a ``SlicedHost`` and performs each access: it emits
``slice.read`` with the host address, or ``slice.refused``. The learner's answer follows as a
``slice.translated`` event, so a replay departs at the first access translated wrong.
"""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim import Disk, Host, IsolationViolation, Nic, SlicedHost

RETURNS = {"translate": (int, None)}
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}
SIZE = {"memory": "memory_pages", "disk": "disk_blocks"}


def run(submission, args, trace):
    layout = args["layout"]
    guests = layout["guests"]
    host = SlicedHost(
        Host(
            "host",
            cores=len(guests),
            memory_pages=layout["hypervisor_pages"] + sum(g["memory_pages"] for g in guests) + 8,
            disks=(Disk("sda", sum(g["disk_blocks"] for g in guests) + 8),),
            nics=(Nic("eth0", 1000),),
        ),
        trace=trace,
        hypervisor_pages=layout["hypervisor_pages"],
    )
    for g in guests:
        host.carve(g["name"], 1, g["memory_pages"], g["disk_blocks"], 0)
    model, yours = [], []
    for guest, resource, address in args["accesses"]:
        try:
            host.read(guest, resource, address)
            model.append(host.host_address(guest, resource, address))
        except IsolationViolation:
            model.append(None)
        answer = submission.translate(
            {"hypervisor_pages": layout["hypervisor_pages"], "guests": [dict(g) for g in guests]},
            guest,
            resource,
            address,
        )
        yours.append(answer)
        trace.emit(
            "slice.translated", guest=guest, resource=resource, address=address, host_address=answer
        )
    return {"model": model, "yours": yours}


def compare(args, expected, actual, reveal=False):
    layout = args["layout"]
    for (guest, resource, address), want, got in zip(
        args["accesses"], actual["model"], actual["yours"], strict=True
    ):
        if want != got:
            head = explain(f"slices.access.{resource}", guest=guest, address=address, got=got)
            why = _why(layout, guest, resource, address, want, got)
            message = Feedback.because(head, why)
            return Feedback(reveal).revealing(message, explain("slices.model_answer", want=want))
    return None


def _why(layout, guest, resource, address, want, got):
    size = next(g for g in layout["guests"] if g["name"] == guest)[SIZE[resource]]
    own = explain(f"slices.slice.{resource}", size=size, guest=guest, last=size - 1)
    pages = layout["hypervisor_pages"]
    if want is None:
        owner = _owner(layout, resource, got) if isinstance(got, int) else None
        tail = explain(f"slices.belongs.{resource}", got=got, owner=owner) if owner else {}
        refused = explain("slices.refused", address=address, slice=own)
        return {lang: refused[lang] + tail.get(lang, "") for lang in refused}
    if got is None:
        return explain("slices.inside", address=address, slice=own)
    if got == address:
        return explain("slices.own_number")
    if resource == "memory" and got == want - pages:
        return explain("slices.hypervisor_pages", pages=pages)
    if resource == "disk" and got == want + pages:
        return explain("slices.disk_from_zero")
    return explain("slices.carved_in_order", guest=guest)


def _owner(layout, resource, where):
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    if resource == "memory" and 0 <= where < start:
        return explain("slices.hypervisor_itself")
    for g in layout["guests"]:
        size = g[SIZE[resource]]
        if start <= where < start + size:
            return repr(g["name"])
        start += size
    return None
