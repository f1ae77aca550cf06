"""Runs the model's idle memory tax on the case's clients and compares the learner's
allocation with the one it reaches; public."""

from tutor.explanations import explain
from tutor.explanations.idle_tax import misallocation
from tutor.grading.feedback import Feedback
from tutor.sim import DEFAULT_TAU, TaxClient, idle_tax_allocation, shares_per_page

ANSWERS = ("idle_tax_allocation", "shares_per_page")
MODEL_ANSWERS = {"tutor.sim": ANSWERS, "tutor.sim.memory": ANSWERS}
RETURNS = {"allocate": {str: int}}


def _allocation(args, tau, trace=None):
    clients = [TaxClient(**client) for client in args["clients"]]
    return idle_tax_allocation(args["total_pages"], clients, tau, trace)


def run(submission, args, trace):
    clients = [dict(client) for client in args["clients"]]
    yours = submission.allocate(args["total_pages"], clients, args["tau"])
    return {"yours": dict(yours), "model": _allocation(args, args["tau"], trace)}


def compare(args, expected, actual, reveal=False):
    got, want, tau = actual["yours"], actual["model"], args["tau"]
    if got == want:
        return None
    message = misallocation(args["total_pages"], args["clients"], tau, got, shares_per_page)
    message = message or explain("idle_tax.lowest_rule")
    if tau != 0 and got == _allocation(args, 0.0):
        message = Feedback.joined(
            message, explain("idle_tax.no_tax", tau=tau, k=f"{1 / (1 - tau):.4g}")
        )
    elif tau != DEFAULT_TAU and got == _allocation(args, DEFAULT_TAU):
        message = Feedback.joined(message, explain("idle_tax.default_tau", tau=tau))
    pages = ", ".join(f"{name} {n}" for name, n in want.items())
    return Feedback(reveal).revealing(message, explain("idle_tax.model", pages=pages))
