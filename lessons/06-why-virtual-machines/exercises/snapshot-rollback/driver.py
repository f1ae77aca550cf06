"""Tries the learner's updates on a running guest and checks the state it leaves; public.

The guest does some deterministic work first, then stores its service configuration on memory
page 0; the smoke test (``tutor.sim.staging.smoke_test``) passes while that page still holds it.
Each case tries one or more updates through the learner's ``try_update``. Graded: whether each
update was kept, the guest's state hash after each one (a rolled-back update must leave the hash
it had before, to the bit) and the order in which the model was driven.
"""

import random

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim import Guest, SimError, Trace
from tutor.sim.staging import Write, smoke_test

RETURNS = {"try_update": bool}
CONFIG_PAGE = 0

WHY = table("snapshots.why")

SAME_NAME = explain("snapshots.same_name")

STEP = {
    "guest.snapshot": "snapshot",
    "guest.mem_write": "write",
    "guest.disk_write": "write",
    "test.run": "test",
    "guest.rollback": "rollback",
}


def _writes(update):
    return [Write(w["target"], w["value"], w.get("disk")) for w in update]


def run(submission, args, trace: Trace):
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    guest.start("host1")
    guest.run(args["work"], random.Random(args["seed"]))
    guest.write_memory(CONFIG_PAGE, args["config"])
    start = len(trace.events)
    kept, hashes, restored = [], [], []
    for update in args["updates"]:
        before = guest.state_hash()
        writes = _writes(update)

        def test():
            return smoke_test(guest, CONFIG_PAGE, args["config"])

        try:
            result = submission.try_update(guest, [w.__dict__.copy() for w in writes], test)
        except SimError as error:
            if error.zh is None:
                refused = explain("snapshots.refused", error=str(error))["zh"]
                error.zh = SAME_NAME["zh"] if "already has a snapshot" in str(error) else refused
            raise
        kept.append(result)
        hashes.append(guest.state_hash()[:12])
        restored.append(None if result else guest.state_hash() == before)
    steps = [STEP[e["kind"]] for e in trace.events[start:] if e["kind"] in STEP]
    return {"kept": kept, "restored": restored, "hashes": hashes, "steps": steps}


def _order(expected, actual):
    """Which rule of snapshot-test-rollback the learner's sequence of steps breaks first."""
    i = next(
        (k for k, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    want = expected[i] if i < len(expected) else None
    got = actual[i] if i < len(actual) else None
    undoes = "snapshot" not in actual and any(
        step == "write" and "test" in actual[:k] for k, step in enumerate(actual)
    )
    if (want == "rollback" and got == "write") or (want == "snapshot" and undoes):
        return WHY["by_hand"]
    if want == "snapshot" and got == "write":
        return WHY["snapshot_first"]
    if want == "rollback":
        return WHY["no_rollback"]
    if got == "rollback":
        return WHY["rolled_back_good"]
    return WHY["order"]


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    order = _order(expected["steps"], actual["steps"])
    return check.first(
        check.equal("kept", expected["kept"], actual["kept"], why=WHY["kept"]),
        check.equal("steps", expected["steps"], actual["steps"], why=order),
        check.equal("restored", expected["restored"], actual["restored"], why=WHY["restored"]),
        check.equal("hashes", expected["hashes"], actual["hashes"], why=WHY["hashes"]),
    )
