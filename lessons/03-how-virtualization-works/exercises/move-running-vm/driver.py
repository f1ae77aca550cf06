"""Runs a guest, hands it to move(), then keeps it working beside an unmoved twin; public."""

import random

from tutor.explanations import table
from tutor.grading.feedback import Feedback
from tutor.sim import Guest, Trace
from tutor.sim.testbed import worked_guest

RETURNS = {"move": Guest}
SNAPSHOT = "before-move"
SAME = ("same_on_arrival", "same_after_work")


def run(submission, args, trace):
    guest, twin = worked_guest(args, trace, SNAPSHOT), worked_guest(args, Trace(), SNAPSHOT)
    start, target = len(trace.events), args["target"]
    moved = submission.move(guest, target, trace)
    copied = any(e["kind"] == "guest.copy" and e["host"] == target for e in trace.events[start:])
    arrived, kept = moved.state_hash() == twin.state_hash(), False
    if moved.state == "running":
        for each in (moved, twin):
            each.run(args["after"], random.Random(args["seed"] + 1))
        kept = moved.state_hash() == twin.state_hash()
    original = "same object" if moved is guest else guest.state
    outcome = {"host": moved.host, "state": moved.state, "original": original}
    return dict(outcome, copied_to_target=copied, same_on_arrival=arrived, same_after_work=kept)


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("moving")
    rules = [
        (actual["host"] != args["target"], "wrong_host"),
        (not actual["copied_to_target"], "not_copied"),
        (actual["original"] == "running", "two_copies"),
        (actual["state"] != "running", "not_running"),
    ]
    return Feedback.broken("moving", rules, **{**args, **actual}) or check.first(
        *(check.equal(key, expected[key], actual[key], why=why[key]) for key in SAME)
    )
