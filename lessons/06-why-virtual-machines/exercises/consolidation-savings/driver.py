"""Runs the fleet through the consolidation model and checks the learner's prediction; public."""

from tutor.explanations import table
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import consolidated_fleet

MODEL_ANSWERS = {"tutor.sim.consolidation": ("consolidate_fleet",)}
FIELDS = {"hosts_after": int, "watts_before": float, "watts_after": float, "kwh_saved": float}
RETURNS = {"savings": FIELDS}


def run(submission, args, trace):
    consolidated_fleet(args, trace)
    prediction = submission.savings(dict(args))
    return {key: prediction[key] for key in FIELDS}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("consolidation.why")
    return check.first(
        check.equal(
            "hosts_after", expected["hosts_after"], actual["hosts_after"], why["hosts_after"]
        ),
        *(
            check.close(f, expected[f], actual[f], why[f])
            for f in ("watts_before", "watts_after", "kwh_saved")
        ),
    )
