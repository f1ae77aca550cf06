"""Starts guests in a pool through the learner's ``start`` and checks how each one runs; public.

The pool is the model's ``ResourcePool``: ``place`` refuses a guest built for an instruction set
no host speaks with ``ArchitectureMismatch``, and one that fits on no host with
``CapacityExceeded``. ``emulate(vm)`` runs a guest under QEMU TCG on the first host (the
``arch.emulate`` event). Graded: what each guest became, and where the virtualised ones run.
"""

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

WHY = {
    "virtualised": {
        "en": "a guest built for an instruction set that some host speaks runs on that host "
        "under the VMM: pool.place finds it, mixed pools included",
        "zh": "如果有宿主机使用客户机所针对的指令集，客户机就在那台宿主机上由 VMM 运行："
        "pool.place 会找到它，混合资源池也一样",
    },
    "emulated": {
        "en": "no host speaks this guest's instruction set, so a VMM alone cannot run it "
        "(ArchitectureMismatch): it needs emulation",
        "zh": "没有宿主机使用这台客户机的指令集，仅靠 VMM 无法运行它（ArchitectureMismatch）："
        "需要模拟",
    },
    "refused": {
        "en": "this guest's architecture is fine but no host has room (CapacityExceeded): "
        "emulation translates instructions, it does not create capacity, so the guest is refused",
        "zh": "这台客户机的架构没有问题，只是没有宿主机还有空间（CapacityExceeded）："
        "模拟翻译的是指令，并不能创造容量，所以这台客户机被拒绝",
    },
}


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
            return check.say("value", why, expected=want, field=guest["name"], actual=repr(got))
    return check.equal("hosts", expected["hosts"], actual["hosts"], why=WHY["virtualised"])


def _chinese(error, name):
    """The pool's refusals in Chinese, for a learner whose start() let one escape."""
    if isinstance(error, ArchitectureMismatch):
        return (
            f"准入控制拒绝了 {name}：资源池里没有使用它的指令集的宿主机；运行它需要模拟或"
            "二进制翻译（例如 QEMU TCG），仅靠 VMM 不够"
        )
    if isinstance(error, CapacityExceeded):
        return f"准入控制拒绝了 {name}：没有一台宿主机还能容纳它"
    return "模型拒绝了这个操作：" + str(error)
