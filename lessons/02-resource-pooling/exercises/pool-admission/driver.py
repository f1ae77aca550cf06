"""Asks a resource pool for guests in turn; the learner's admit() decides each one; public."""

from tutor.explanations import explain, table
from tutor.explanations.admission import wrong_verdict
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import admit_each, pool_of

_HIDDEN = ("ResourcePool", "REFUSALS")
MODEL_ANSWERS = {"tutor.sim": _HIDDEN, "tutor.sim.pool": _HIDDEN}
SIZE = {"vcpus": int, "pages": int}
RETURNS = {"admit": {"capacity": SIZE, "headroom": SIZE, "verdict": str}}


def run(submission, args, trace):
    pool = pool_of(args["hosts"], trace)
    verdicts = table("admission.verdict")
    answers, placed = admit_each(pool, args["guests"], submission.admit, verdicts)
    return {"answers": answers, "placed": placed}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("admission.why")
    for guest, want, got in zip(
        args["guests"], expected["answers"], actual["answers"], strict=True
    ):
        problem = check.first(
            *(
                check.equal(key, want[key], got[key], why=why[key])
                for key in ("capacity", "headroom")
            )
        )
        if problem:
            return Feedback.joined(explain("admission.before", name=guest["name"]), problem)
        if got["verdict"] != want["verdict"]:
            yours = explain("admission.your_verdict", name=guest["name"], verdict=got["verdict"])
            message = Feedback.because(
                yours, wrong_verdict(want["verdict"], got["verdict"], reveal)
            )
            return check.revealing(message, expected=repr(want["verdict"]))
    return None if actual["placed"] == expected["placed"] else explain("admission.pool_differs")
