"""Builds the guests in the model's MachineMemory, shares, writes, and counts frames; public."""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import shared_frames

MODEL_ANSWERS = {"tutor.sim.testbed": ("shared_frames",)}
RETURNS = {"frames_used": {"after_share": int, "after_writes": int}}


def run(submission, args, trace):
    guests, salts, writes = args["guests"], args["salts"], args["writes"]
    copies = {g: list(pages) for g, pages in guests.items()}, dict(salts), [list(w) for w in writes]
    predicted = submission.frames_used(*copies)
    return {"predicted": dict(predicted), "model": shared_frames(guests, salts, writes, trace)}


def compare(args, expected, actual, reveal=False):
    got, model, rules = actual["predicted"], actual["model"], table("paging.sharing.rule")
    salted = len({args["salts"].get(g) for g in args["guests"]}) > 1
    for key in ("after_share", "after_writes"):
        if got[key] != model[key]:
            message = explain("paging.sharing.frames", key=key, got=got[key], rule=rules[key])
            if key == "after_share" and salted:
                message = Feedback.joined(message, explain("paging.sharing.salted"))
            return Feedback(reveal).revealing(
                message, explain("paging.sharing.model_uses", n=model[key])
            )
    return None
