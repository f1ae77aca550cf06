"""Runs a guest on its source host, hands it to the learner's move(), then keeps it working.

A twin of the guest does the same work without moving, in a trace of its own. The moved guest
must arrive running on the target, be the same VM there (equal state hash), and, given the same
further work as the twin, stay equal to it: a guest that was moved cannot tell it was moved.
"""

import random

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim import Guest, Trace

RETURNS = {"move": Guest}


def busy_guest(args, trace):
    guest = Guest(
        args["name"], memory_pages=args["pages"], disk_blocks=dict(args["disks"]), trace=trace
    )
    guest.start(args["source"])
    rng = random.Random(args["seed"])
    for steps in args["work"]:
        if steps == "snapshot":
            guest.snapshot("before-move")
        else:
            guest.run(steps, rng)
    return guest


def run(submission, args, trace):
    guest = busy_guest(args, trace)
    twin = busy_guest(args, Trace())
    start = len(trace.events)
    moved = submission.move(guest, args["target"], trace)
    events = trace.events[start:]
    copies = [e for e in events if e["kind"] == "guest.copy" and e["host"] == args["target"]]
    arrived = moved.state_hash() == twin.state_hash()
    kept = False
    if moved.state == "running":
        moved.run(args["after"], random.Random(args["seed"] + 1))
        twin.run(args["after"], random.Random(args["seed"] + 1))
        kept = moved.state_hash() == twin.state_hash()
    return {
        "host": moved.host,
        "state": moved.state,
        "original": "same object" if moved is guest else guest.state,
        "copied_to_target": bool(copies),
        "same_on_arrival": arrived,
        "same_after_work": kept,
    }


def compare(args, expected, actual, reveal=False):
    check, target = Feedback(reveal), args["target"]
    where = {"name": args["name"], "source": args["source"], "target": target}
    problems = [
        (actual["host"] != target, "wrong_host"),
        (not actual["copied_to_target"], "not_copied"),
        (actual["original"] == "running", "two_copies"),
        (actual["state"] != "running", "not_running"),
    ]
    for broken, key in problems:
        if broken:
            return explain(f"moving.{key}", host=actual["host"], state=actual["state"], **where)
    return check.first(
        *(
            check.equal(key, expected[key], actual[key], why=explain(f"moving.{key}"))
            for key in ("same_on_arrival", "same_after_work")
        )
    )
