"""Runs a learner's run_vm against a fresh vCPU and device model; public (runs in the browser)."""

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
    # Unless ``reveal`` (practice, after several tries or a hint), say what is wrong, never the
    # value the reference produced: hidden cases must not hand out their answers.
    if not actual["halted"]:
        return {
            "en": "run_vm returned before the guest halted: keep calling vcpu.run() until it "
            "returns an HLT exit",
            "zh": "客户机还没有停机，run_vm 就返回了：要一直调用 vcpu.run()，直到它返回 HLT 退出",
        }
    if actual["serial"] != expected["serial"]:
        en = (
            f"the serial console shows {actual['serial']!r}, not what the guest wrote: every "
            "OUT exit must reach devices.port_write(port, data)"
        )
        zh = (
            f"串口控制台显示的是 {actual['serial']!r}，与客户机写出的内容不同：每个 OUT 退出都"
            "必须交给 devices.port_write(port, data)"
        )
        if reveal:
            en += f" (the guest wrote {expected['serial']!r})"
            zh += f"（客户机写出的是 {expected['serial']!r}）"
        return {"en": en, "zh": zh}
    for reg, value in expected["regs"].items():
        if actual["regs"].get(reg) != value:
            en = (
                f"guest register {reg} ends as {actual['regs'].get(reg)}, which is wrong: an IN "
                "or MMIO-read exit was answered with the wrong value; pass the device's answer "
                "to vcpu.complete(value)"
            )
            zh = (
                f"客户机寄存器 {reg} 最后是 {actual['regs'].get(reg)}，这个值不对：某个 IN 或 "
                "MMIO 读退出得到了错误的值；请把设备模型给出的值传给 vcpu.complete(value)"
            )
            if reveal:
                en += f" (it should end as {value})"
                zh += f"（它应该是 {value}）"
            return {"en": en, "zh": zh}
    if actual["exits"] != expected["exits"]:
        wrong = sorted(
            reason
            for reason in set(expected["exits"]) | set(actual["exits"])
            if expected["exits"].get(reason) != actual["exits"].get(reason)
        )
        return {
            "en": f"the guest's count of {', '.join(wrong)} exits is wrong: call vcpu.run() once "
            "per exit and handle each exit before the next",
            "zh": f"客户机的 {'、'.join(wrong)} 退出次数不对：每次退出调用一次 vcpu.run()，"
            "处理完一次退出再进入下一次",
        }
    return None
