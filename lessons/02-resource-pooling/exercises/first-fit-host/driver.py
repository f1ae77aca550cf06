"""Places guests into a pool with the learner's first_fit() as the policy; public. The model
checks every choice against the host's free capacity; a legal but different host is compared
with First Fit's choice, guest by guest."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import learner_policy, place_each, pool_of

MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool", "_FitIndex")}
RETURNS = {"first_fit": (str, None)}


def run(submission, args, trace):
    pool = pool_of(args["hosts"], trace)
    placed = place_each(pool, args["guests"], learner_policy(submission.first_fit))
    pool.check()
    return {"placed": placed, "on": [v.name for v in pool.views() if v.powered_on]}


def compare(args, expected, actual, reveal=False):
    names = [h["name"] for h in args["hosts"]]
    for guest, want, got in zip(args["guests"], expected["placed"], actual["placed"], strict=True):
        if got != want:
            why = "earlier_host" if names.index(got) > names.index(want) else "not_first"
            went = explain("placement.went_to", vm=guest["name"], host=got)
            message = Feedback.because(went, explain(f"placement.{why}"))
            return Feedback(reveal).revealing(message, expected=repr(want))
    return None if actual["on"] == expected["on"] else explain("placement.hosts_on")
