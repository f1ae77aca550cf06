"""Running a guest on a host of another instruction set: virtualise, emulate or refuse "
"(lesson 6, emulate-or-virtualize)."""

from __future__ import annotations

from . import explain

EXPLANATIONS = {
    "why": {
        "virtualised": {
            "en": "a guest built for an instruction set that some host speaks "
            "runs on that host under the VMM: pool.place finds it, mixed "
            "pools included",
            "zh": "如果有宿主机使用客户机所针对的指令集，客户机就在那台宿主机上由 VMM "
            "运行：pool.place "
            "会找到它，混合资源池也一样",
        },
        "emulated": {
            "en": "no host speaks this guest's instruction set, so a VMM alone "
            "cannot run it (ArchitectureMismatch): it needs emulation",
            "zh": "没有宿主机使用这台客户机的指令集，仅靠 VMM "
            "无法运行它（ArchitectureMismatch）：需要模拟",
        },
        "refused": {
            "en": "this guest's architecture is fine but no host has room "
            "(CapacityExceeded): emulation translates instructions, it does "
            "not create capacity, so the guest is refused",
            "zh": "这台客户机的架构没有问题，只是没有宿主机还有空间（CapacityExceeded）："
            "模拟翻译的是指令，并不能创造容量，所以这台客户机被拒绝",
        },
    },
    # The pool's refusals, for a learner whose start() let one escape.
    "mismatch": {
        "en": "admission control refused {vm}: no host in the pool speaks its instruction set; "
        "running it needs emulation or binary translation (for example QEMU TCG), a VMM alone "
        "is not enough",
        "zh": "准入控制拒绝了 {vm}：资源池里没有使用它的指令集的宿主机；运行它需要模拟或"
        "二进制翻译（例如 QEMU TCG），仅靠 VMM 不够",
    },
    "no_capacity": {
        "en": "admission control refused {vm}: no host has room left for it",
        "zh": "准入控制拒绝了 {vm}：没有一台宿主机还能容纳它",
    },
    "refused": {
        "en": "the model refused this operation: {error}",
        "zh": "模型拒绝了这个操作：{error}",
    },
}


def refusal_zh(error: Exception, vm: str) -> str:
    """The pool's refusal of ``vm`` in Chinese, for a learner whose start() let one escape."""
    kind = {"ArchitectureMismatch": "mismatch", "CapacityExceeded": "no_capacity"}
    key = kind.get(type(error).__name__, "refused")
    return explain(f"architectures.{key}", vm=vm, error=str(error))["zh"]
