"""Packs the case's guests with the model (First Fit and FFD on a ResourcePool, the exact
optimum by branch and bound) and checks the learner's three counts against them; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import ffd_packing

MODEL_ANSWERS = {
    "tutor.sim": ("optimal_bin_count", "ResourcePool"),
    "tutor.sim.pool": ("optimal_bin_count", "ResourcePool"),
    "tutor.sim.testbed": ("ffd_packing",),
}
RETURNS = {"compare": {"first_fit": int, "ffd": int, "optimum": int}}


def run(submission, args, trace):
    ffd_packing(args["sizes"], args["capacity"], trace)  # the replay: hosts as bins filling up
    answer = submission.compare(list(args["sizes"]), args["capacity"])
    return {key: answer[key] for key in RETURNS["compare"]}


def compare(args, expected, actual, reveal=False):
    for key in (key for key in ("first_fit", "ffd", "optimum") if actual[key] != expected[key]):
        why = explain(f"packing.counts.{key}")
        message = explain("packing.count_wrong", field=key, value=actual[key], why=why)
        return Feedback(reveal).revealing(message, explain("packing.expected", value=expected[key]))
    return None
