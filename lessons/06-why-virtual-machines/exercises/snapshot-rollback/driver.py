"""Tries the learner's updates on a running guest and checks the state it leaves; public."""

from tutor.explanations import table
from tutor.explanations.snapshots import order_rule, refusal_zh
from tutor.grading.feedback import Feedback
from tutor.sim import SimError
from tutor.sim.staging import Write, smoke_test
from tutor.sim.testbed import configured_guest

RETURNS = {"try_update": bool}
CONFIG_PAGE = 0
STEP = {"guest.snapshot": "snapshot", "guest.mem_write": "write", "guest.disk_write": "write"}
STEP |= {"test.run": "test", "guest.rollback": "rollback"}


def run(submission, args, trace):
    guest, start = configured_guest(args, CONFIG_PAGE, trace), len(trace.events)
    kept, hashes, restored = [], [], []
    for update in args["updates"]:
        before = guest.state_hash()
        writes = [Write(w["target"], w["value"], w.get("disk")).__dict__.copy() for w in update]
        try:
            result = submission.try_update(
                guest, writes, lambda: smoke_test(guest, CONFIG_PAGE, args["config"])
            )
        except SimError as error:
            error.zh = error.zh or refusal_zh(error)
            raise
        kept.append(result)
        hashes.append(guest.state_hash()[:12])
        restored.append(None if result else guest.state_hash() == before)
    steps = [STEP[e["kind"]] for e in trace.events[start:] if e["kind"] in STEP]
    return {"kept": kept, "restored": restored, "hashes": hashes, "steps": steps}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("snapshots.why")
    return check.first(
        check.equal("kept", expected["kept"], actual["kept"], why=why["kept"]),
        check.equal(
            "steps",
            expected["steps"],
            actual["steps"],
            why=order_rule(expected["steps"], actual["steps"]),
        ),
        check.equal("restored", expected["restored"], actual["restored"], why=why["restored"]),
        check.equal("hashes", expected["hashes"], actual["hashes"], why=why["hashes"]),
    )
