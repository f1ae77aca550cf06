"""Runs a learner's run_vm against a fresh vCPU and device model; public (runs in the browser)."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim import DeviceModel, Vcpu

# The exit loop is the point: a run_vm that fills in registers from a lookup table, without
# calling vcpu.run(), reaches the right state by the wrong road and must not pass.
GRADE_TRACE = True


def run(submission, args, trace):
    vcpu = Vcpu([tuple(insn) for insn in args["program"]], trace=trace)
    devices = DeviceModel(trace=trace, disk=list(args["disk"]), pending_input=list(args["input"]))
    submission.run_vm(vcpu, devices)
    return {
        "halted": vcpu.state == "halted",
        "serial": devices.serial,
        "regs": dict(vcpu.regs),
        "exits": dict(vcpu.exits),
    }


def compare(args, expected, actual, reveal=False):
    # Unless ``reveal``, say what is wrong, never the value the reference produced.
    check = Feedback(reveal)
    if not actual["halted"]:
        return explain("run_loop.halted")
    if actual["serial"] != expected["serial"]:
        message = explain("run_loop.serial", serial=actual["serial"])
        return check.revealing(message, explain("run_loop.guest_wrote", serial=expected["serial"]))
    for reg, value in expected["regs"].items():
        if actual["regs"].get(reg) != value:
            message = explain("run_loop.register", reg=reg, value=actual["regs"].get(reg))
            return check.revealing(message, explain("run_loop.register_should", value=value))
    exits = set(expected["exits"]) | set(actual["exits"])
    wrong = sorted(r for r in exits if expected["exits"].get(r) != actual["exits"].get(r))
    if wrong:
        return explain("run_loop.exits", reasons={"en": ", ".join(wrong), "zh": "、".join(wrong)})
    return None
