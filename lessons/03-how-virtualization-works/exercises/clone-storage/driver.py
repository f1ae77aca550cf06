"""Plays writes and linked clones on the model and checks the learner's forecast; public."""

import copy

from tutor.explanations.clones import forecast_reasons
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import cloned_storage

RETURNS = {"predict_storage": {"per_guest": {str: int}, "total": int}}
# Running the plan on the model would be measuring, not predicting.
MODEL_ANSWERS = {
    "tutor.sim": ("Guest", "DiskImage", "storage_blocks", "DesktopPool"),
    "tutor.sim.guest": ("Guest", "DiskImage", "storage_blocks"),
    "tutor.sim.scenarios": ("DesktopPool",),
    "tutor.sim.testbed": ("cloned_storage",),
}


def run(submission, args, trace):
    forecast = submission.predict_storage(copy.deepcopy(args["plan"]))
    return {"predicted": forecast, "measured": cloned_storage(args["plan"], trace)}


def compare(args, expected, actual, reveal=False):
    check, measured, got = Feedback(reveal), actual["measured"], actual["predicted"]
    per_guest, total = forecast_reasons(args["plan"], measured)
    return check.first(
        check.items("per_guest", measured["per_guest"], got["per_guest"], **per_guest),
        check.equal("total", measured["total"], got["total"], **total),
    )
