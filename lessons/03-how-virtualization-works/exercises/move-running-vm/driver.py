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
    start, target, name = len(trace.events), args["target"], guest.name
    moved = submission.move(guest, target, trace)
    events = trace.events[start:]
    copied = any(e["kind"] == "guest.copy" and e["host"] == target for e in events)
    # A VM moves as files: the original suspended (save) before its files are copied, and the
    # guest returned opened from the copy on the target (restore). Relocating the original
    # object, or copying a running VM's files and stopping it afterwards, only looks like it.
    first_copy = next((i for i, e in enumerate(events) if e["kind"] == "guest.copy"), len(events))
    halted = ("guest.save", "guest.stop")  # a stop first loses memory: said by same_on_arrival
    copied_running = first_copy < len(events) and not any(
        e["kind"] in halted and e["guest"] == name for e in events[:first_copy]
    )
    restored = any(e["kind"] == "guest.restore" and e["host"] == target for e in events)
    # a second copy opened from the files anywhere else (the source, say) runs beside it
    elsewhere = [
        e["host"]
        for e in events
        if e["kind"] == "guest.restore" and e["guest"] == name and e["host"] != moved.host
    ]
    arrived, kept = moved.state_hash() == twin.state_hash(), False
    if moved.state == "running":
        for each in (moved, twin):
            each.run(args["after"], random.Random(args["seed"] + 1))
        kept = moved.state_hash() == twin.state_hash()
    original = "same object" if moved is guest else guest.state
    outcome = {"host": moved.host, "state": moved.state, "original": original, "name": name}
    return dict(
        outcome,
        copied_to_target=copied,
        elsewhere=elsewhere[0] if elsewhere else None,
        copied_while_running=copied_running,
        restored_on_target=restored and moved is not guest,
        same_on_arrival=arrived,
        same_after_work=kept,
    )


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("moving")
    rules = [
        (actual["host"] != args["target"], "wrong_host"),
        (not actual["copied_to_target"], "not_copied"),
        (actual["original"] == "running", "two_copies"),
        (actual.get("elsewhere") is not None, "opened_twice"),
        (actual["state"] != "running", "not_running"),
        (actual["original"] == "same object", "original_relocated"),
        (actual["copied_while_running"], "not_saved_first"),
        (not actual["restored_on_target"], "not_restored"),
    ]
    return Feedback.broken("moving", rules, **{**args, **actual}) or check.first(
        *(check.equal(key, expected[key], actual[key], why=why[key]) for key in SAME)
    )
