"""Starts guests in a pool of mixed instruction sets through the learner's ``start`` and checks
how each one runs: the pool refuses a guest no host speaks (``ArchitectureMismatch``) or none
has room for (``CapacityExceeded``); ``emulate(vm)`` runs it under QEMU TCG; public."""

from tutor.explanations import table
from tutor.explanations.architectures import refusal_zh
from tutor.grading.feedback import Feedback
from tutor.sim import Arch, SimError, VmSpec
from tutor.sim.testbed import arch_pool

MODEL_ANSWERS = {"tutor.sim.architecture": ("run_guest",)}
RETURNS = {"start": str}


def run(submission, args, trace):
    pool, emulate = arch_pool(args["hosts"], trace)
    results, where = [], {}
    for g in args["guests"]:
        vm = VmSpec(g["name"], g["vcpus"], g["pages"], 0.5, arch=Arch(g["arch"]))
        try:
            results.append(submission.start(pool, vm, emulate))
        except SimError as error:
            error.zh = error.zh or refusal_zh(error, vm.name)
            raise
        placed = any(e["kind"] == "pool.place" and e["vm"] == vm.name for e in trace.events)
        where[vm.name] = pool.host_of(vm.name) if placed else None
    return {"results": results, "hosts": where}


def compare(args, expected, actual, reveal=False):
    check, why = Feedback(reveal), table("architectures.why")
    for guest, want, got in zip(
        args["guests"], expected["results"], actual["results"], strict=True
    ):
        if got != want:
            return check.equal(guest["name"], want, got, why=why.get(want))
    return check.equal("hosts", expected["hosts"], actual["hosts"], why=why["virtualised"])
