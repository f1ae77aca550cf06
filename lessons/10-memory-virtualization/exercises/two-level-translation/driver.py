"""Builds the case's guests in the model's MachineMemory and, before each access, asks the
learner to translate it with the guest's page table and pmap as they are; public."""

from tutor.explanations import explain
from tutor.explanations.two_level import departure, zero_as_missing
from tutor.grading.feedback import Feedback
from tutor.sim import InvalidOperation, MachineMemory

MODEL_ANSWERS = {"tutor.sim": ("MachineMemory",), "tutor.sim.memory": ("MachineMemory",)}
RETURNS = {"translate": {"gppn": (int, None), "mpn": (int, None), "fault": (str, None)}}


def run(submission, args, trace):
    memory = MachineMemory(args["frames"], trace=trace)
    for name, guest in args["guests"].items():
        memory.add_guest(name, guest["pages"])
        for gvpn, gppn in guest["page_table"]:
            memory.map(name, gvpn, gppn)
    for name, gvpn, value in args["touch"]:
        memory.write(name, gvpn, value)
    if args["share"]:
        memory.share()
    steps = []
    for name, gvpn, value in args["accesses"]:
        guest = memory.guests[name]
        page_table, pmap = dict(guest.page_table), dict(guest.pmap)
        answer = submission.translate(dict(page_table), dict(pmap), gvpn)
        yours = {key: answer[key] for key in ("gppn", "mpn", "fault")}
        try:
            gppn, mpn = memory.translate(name, gvpn)
            model = {"gppn": gppn, "mpn": mpn, "fault": None if mpn is not None else "pmap"}
        except InvalidOperation:  # the guest's own page fault: its page table has no entry
            model = {"gppn": None, "mpn": None, "fault": "page_table"}
        else:
            memory.write(name, gvpn, value)  # the hypervisor backs, swaps in or copies the page
        tables = {"page_table": sorted(page_table.items()), "pmap": sorted(pmap.items())}
        steps.append({"guest": name, "gvpn": gvpn, "model": model, "yours": yours, **tables})
    memory.check()
    return {"steps": steps}


def compare(args, expected, actual, reveal=False):
    found = []  # departing accesses, each with its diagnosis; the first sure one is named
    zeros = []  # and whether page 0 or frame 0 taken for a missing entry explains each
    for n, step in enumerate(actual["steps"], 1):
        want, got = step["model"], step["yours"]
        if got != want:
            tables = dict(map(tuple, step["page_table"])), dict(map(tuple, step["pmap"]))
            found.append((n, step, *departure(*tables, step["gvpn"], want, got)))
            zeros.append(zero_as_missing(step["gvpn"], want, got))
    if not found:
        return None
    n, step, field, why, _ = next((f for f in found if f[-1]), found[0])
    if all(zeros):
        (n, step, *_), (field, why) = found[0], zeros[0]
    where = {"n": n, "guest": step["guest"], "gvpn": step["gvpn"]}
    head = explain("two_level.access", **where, field=field, got=step["yours"][field])
    answer = explain("two_level.model", **{k: repr(v) for k, v in step["model"].items()})
    return Feedback(reveal).revealing(Feedback.because(head, why), answer)
