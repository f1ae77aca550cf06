"""Runs the model's credit scheduler on the learner's account() and pick(); public (browser)."""

from tutor.explanations.credit import departure
from tutor.grading.feedback import Feedback
from tutor.sim.credit_policy import run_against_model

# The model's own accountant and picker would be the answer itself.
MODEL_ANSWERS = {
    "tutor.sim": ("CreditScheduler",),
    "tutor.sim.sched": ("CreditScheduler",),
    "tutor.sim.credit_policy": (
        "xen_account",
        "xen_pick",
        "PolicyCreditScheduler",
        "run_against_model",
    ),
}
RETURNS = {"account": {str: int}, "pick": str}
RUN_MS = 600


def run(submission, args, trace):
    return run_against_model(
        args["pcpus"], args["domains"], submission.account, submission.pick, RUN_MS, trace
    )


def compare(args, expected, actual, reveal=False):
    if actual["first_departure"] is not None:
        return departure(actual["first_departure"], args["pcpus"], reveal)
    check = Feedback(reveal)
    return check.first(
        check.sequence("ticks", expected["ticks"], actual["ticks"]),
        check.items("shares", expected["shares"], actual["shares"]),
    )
