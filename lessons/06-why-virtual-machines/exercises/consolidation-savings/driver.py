"""Runs the fleet through the consolidation model and checks the learner's prediction; public.

The model (``consolidate_fleet``) places one VM per server, drains hosts up to the target and
reads the power meter after every move: that trace is what the animation replays. The learner
predicts the outcome from the fleet's figures alone.
"""

from tutor.explanations import table
from tutor.grading.feedback import Feedback
from tutor.sim import Trace
from tutor.sim.consolidation import Fleet, consolidate_fleet

MODEL_ANSWERS = {"tutor.sim.consolidation": ("consolidate_fleet",)}

RETURNS = {
    "savings": {
        "hosts_after": int,
        "watts_before": float,
        "watts_after": float,
        "kwh_saved": float,
    }
}

WHY = table("consolidation.why")


def run(submission, args, trace: Trace):
    fleet = Fleet(
        servers=args["servers"],
        utilisation_pct=args["utilisation_pct"],
        cores=args["cores"],
        p_max=args["p_max"],
        p_idle=args["p_idle"],
        target_pct=args["target_pct"],
    )
    consolidate_fleet(fleet, trace)
    prediction = submission.savings(dict(args))
    return {key: prediction[key] for key in RETURNS["savings"]}


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    return check.first(
        check.equal(
            "hosts_after", expected["hosts_after"], actual["hosts_after"], WHY["hosts_after"]
        ),
        *(
            check.close(f, expected[f], actual[f], WHY[f])
            for f in ("watts_before", "watts_after", "kwh_saved")
        ),
    )
