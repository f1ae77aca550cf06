"""Checks the learner's address translations against the model's, access by access; public."""

from tutor.explanations import explain
from tutor.explanations.slices import why_translated
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import carved_host, translate_each

RETURNS = {"translate": (int, None)}
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}


def run(submission, args, trace):
    layout = args["layout"]
    host = carved_host(
        {g["name"]: g for g in layout["guests"]}, layout["hypervisor_pages"], 8, trace
    )
    model, yours = translate_each(host, layout, args["accesses"], submission.translate, trace)
    return {"model": model, "yours": yours}


def compare(args, expected, actual, reveal=False):
    accesses = zip(args["accesses"], actual["model"], actual["yours"], strict=True)
    for (guest, resource, address), want, got in accesses:
        if want != got:
            head = explain(f"slices.access.{resource}", guest=guest, address=address, got=got)
            why = why_translated(args["layout"], guest, resource, address, want, got)
            return Feedback(reveal).revealing(
                Feedback.because(head, why), explain("slices.model_answer", want=want)
            )
    return None
