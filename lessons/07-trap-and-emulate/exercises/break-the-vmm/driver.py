"""Runs the learner's guest kernel natively and under trap-and-emulate on a given machine.

The machine is the toy ISA with some instructions allowed to run in user mode
(``tutor.sim.isa.isa_variant``). If one of them is sensitive, Popek and Goldberg's Theorem 1 no
longer holds and some kernel must behave differently under the VMM; the learner designs one, or
answers None when every sensitive instruction still traps. The model decides: it runs the
kernel both ways (``compare_runs``) and names what differs.
"""

from tutor.sim.isa import compare_runs, isa_variant

MAX_INSTRUCTIONS = 8

# The checker would name the answer to "is there any such kernel?" outright.
MODEL_ANSWERS = {
    "tutor.sim": ("classify", "diverges"),
    "tutor.sim.isa": ("classify", "diverges"),
}

RETURNS = {"divergent_program": ([[(str, int)]], None)}


def run(submission, args, trace):
    isa = isa_variant("this machine", args["runs_in_user_mode"])
    program = submission.divergent_program(list(args["runs_in_user_mode"]))
    if program is None:
        return {"program": None, "diverges": False, "differences": [], "too_long": False}
    program = [tuple(insn) for insn in program]
    if len(program) > MAX_INSTRUCTIONS:
        return {
            "program": [list(i) for i in program],
            "diverges": False,
            "differences": [],
            "too_long": True,
        }
    result = compare_runs(isa, program, trace=trace, max_steps=50)
    return {
        "program": [list(insn) for insn in program],
        "diverges": result.diverges,
        "differences": list(result.differences),
        "too_long": False,
    }


def compare(args, expected, actual, reveal=False):
    possible = expected["program"] is not None
    if actual["too_long"]:
        return {
            "en": f"the kernel has {len(actual['program'])} instructions; at most "
            f"{MAX_INSTRUCTIONS} are allowed: one well-chosen instruction is usually enough",
            "zh": f"这个内核有 {len(actual['program'])} 条指令；最多允许 {MAX_INSTRUCTIONS} 条："
            "通常一条选得好的指令就够了",
        }
    if not possible:
        if actual["program"] is None:
            return None
        return {
            "en": "on this machine every sensitive instruction still traps (the ones that run in "
            "user mode are innocuous), so by Theorem 1 no kernel can tell the VMM from bare "
            "metal: your kernel behaved the same both ways, and the answer is None",
            "zh": "在这台机器上，每条敏感指令仍然会陷入（能在用户态运行的都是无害指令），"
            "所以根据定理 1，没有任何内核能分辨 VMM 和裸机：你的内核两次运行结果相同，"
            "答案应是 None",
        }
    if actual["program"] is None:
        return {
            "en": "you answered None, but on this machine a sensitive instruction runs in user "
            "mode without trapping, so the VMM never sees it: Theorem 1 does not hold, and some "
            "kernel shows the difference",
            "zh": "你回答了 None，但在这台机器上有一条敏感指令能在用户态运行而不陷入，"
            "VMM 根本看不到它：定理 1 不成立，一定有内核能暴露这种差别",
        }
    if not actual["diverges"]:
        message = {
            "en": "your kernel ends in the same state natively and under the VMM: use an "
            "instruction that is sensitive and runs in user mode here, in a way whose effect "
            "(a register, the interrupt flag, the relocation register, the output) differs "
            "from what the guest would see on bare metal",
            "zh": "你的内核在裸机上和在 VMM 下结束时状态相同：要用一条在这里能于用户态运行的"
            "敏感指令，并让它的效果（某个寄存器、中断标志、重定位寄存器或输出）与客户机在裸机上"
            "看到的不同",
        }
        if reveal:
            shown = "; ".join(" ".join(str(p) for p in insn) for insn in expected["program"])
            message["en"] += f" (one kernel that does: {shown})"
            message["zh"] += f"（例如这个内核就可以：{shown}）"
        return message
    return None
