"""Starts guests in a mixed-ISA pool through start() and checks how each one runs; public."""

from tutor.explanations import table
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import arch_pool, start_each

MODEL_ANSWERS = {"tutor.sim.architecture": ("run_guest",)}
RETURNS = {"start": str}


def run(submission, args, trace):
    pool, emulate = arch_pool(args["hosts"], trace)
    results, hosts = start_each(pool, args["guests"], submission.start, emulate, trace)
    return {"results": results, "hosts": hosts}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("architectures.why")
    rows = zip(args["guests"], expected["results"], actual["results"], strict=True)
    for guest, want, got in rows:
        if got != want:
            return check.equal(guest["name"], want, got, why=why.get(want))
    return check.equal("hosts", expected["hosts"], actual["hosts"], why=why["virtualised"])
