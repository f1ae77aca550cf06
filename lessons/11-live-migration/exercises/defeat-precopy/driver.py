"""Runs the learner's designed workload through the model's pre-copy, grades the design."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim.testbed import precopy_with

_HIDDEN = ("precopy", "live_migrate")
MODEL_ANSWERS = {
    "tutor.sim": _HIDDEN,
    "tutor.sim.migration": _HIDDEN,
    "tutor.sim.testbed": ("precopy_with",),
}
RETURNS = {"design": {"dirty_mbps": (float, int), "rounds": int}}
# A design may dirty at most this much faster than the gentlest one that breaks the budget.
SLACK = 1.01


def run(submission, args, trace):
    answer = submission.design(dict(args))
    dirty = float(answer["dirty_mbps"])
    if not 0 < dirty <= 100 * args["bandwidth_mbps"]:
        raise mistake(explain("migration.dirty_out_of_range", dirty=f"{dirty:g}"))
    result = precopy_with(args, dirty, trace)
    return {
        "dirty_mbps": dirty,
        "downtime_ms": result.downtime_ms,
        "rounds": len(result.rounds),
        "predicted_rounds": answer["rounds"],
    }


def compare(args, expected, actual, reveal=False):
    why = explain(f"migration.pause.{args['rules'].replace('-', '_').replace('.', '_')}")
    dirty, ms, budget = f"{actual['dirty_mbps']:.6g}", actual["downtime_ms"], args["budget_ms"]
    if ms <= budget:
        return explain(
            "migration.within_budget", dirty=dirty, ms=f"{ms:.4g}", budget=f"{budget:g}", why=why
        )
    if actual["dirty_mbps"] > expected["dirty_mbps"] * SLACK:
        message = explain("migration.gentler_exists", dirty=dirty, why=why)
        rate = explain("migration.about_rate", rate=f"{expected['dirty_mbps']:.4g}")
        return Feedback(reveal).revealing(message, rate)
    if actual["predicted_rounds"] != actual["rounds"]:
        rounds = {"predicted": actual["predicted_rounds"], "rounds": actual["rounds"]}
        return explain("migration.rounds_predicted", why=why, **rounds)
    return None
