"""Starts guests in a pool through the learner's ``start`` and checks how each one runs; public.

The pool is the model's ``ResourcePool``: ``place`` refuses a guest built for an instruction set
no host speaks with ``ArchitectureMismatch``, and one that fits on no host with
``CapacityExceeded``. ``emulate(vm)`` runs a guest under QEMU TCG on the first host (the
``arch.emulate`` event). Graded: what each guest became, and where the virtualised ones run.
"""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim import (
    Arch,
    ArchitectureMismatch,
    CapacityExceeded,
    Host,
    SimError,
    Trace,
    VmSpec,
)
from tutor.sim.architecture import mixed_pool

MODEL_ANSWERS = {"tutor.sim.architecture": ("run_guest",)}
RETURNS = {"start": str}

WHY = table("architectures.why")


def run(submission, args, trace: Trace):
    hosts = [Host(h["name"], h["cores"], h["pages"], arch=Arch(h["arch"])) for h in args["hosts"]]
    pool = mixed_pool(hosts, trace)

    def emulate(vm):
        host = pool.hosts[0]
        trace.emit(
            "arch.emulate",
            vm=vm.name,
            guest_arch=str(vm.arch),
            host=host.name,
            host_arch=host.arch.value,
            translator="QEMU TCG",
        )

    results, where = [], {}
    for g in args["guests"]:
        vm = VmSpec(g["name"], g["vcpus"], g["pages"], 0.5, arch=Arch(g["arch"]))
        try:
            results.append(submission.start(pool, vm, emulate))
        except SimError as error:
            if error.zh is None:
                error.zh = _chinese(error, vm.name)
            raise
        placed = any(e["kind"] == "pool.place" and e["vm"] == vm.name for e in trace.events)
        where[vm.name] = pool.host_of(vm.name) if placed else None
    return {"results": results, "hosts": where}


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    for i, guest in enumerate(args["guests"]):
        want, got = expected["results"][i], actual["results"][i]
        if got != want:
            why = WHY.get(want)
            return check.equal(guest["name"], want, got, why=why)
    return check.equal("hosts", expected["hosts"], actual["hosts"], why=WHY["virtualised"])


def _chinese(error, name):
    """The pool's refusals in Chinese, for a learner whose start() let one escape."""
    kind = {ArchitectureMismatch: "mismatch", CapacityExceeded: "no_capacity"}.get(type(error))
    key = f"architectures.{kind}" if kind else "architectures.refused"
    return explain(key, vm=name, error=str(error))["zh"]
