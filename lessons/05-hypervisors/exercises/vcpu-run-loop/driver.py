"""Runs a learner's run_vm against a fresh vCPU and device model; public (runs in the browser)."""

from tutor.sim import DeviceModel, Vcpu


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


def compare(args, expected, actual):
    if not actual["halted"]:
        return {
            "en": "run_vm returned before the guest halted: keep calling vcpu.run() until it "
            "returns an HLT exit",
            "zh": "客户机还没有停机，run_vm 就返回了：要一直调用 vcpu.run()，直到它返回 HLT 退出",
        }
    if actual["serial"] != expected["serial"]:
        return {
            "en": f"the serial console shows {actual['serial']!r} but the guest wrote "
            f"{expected['serial']!r}: every OUT exit must reach devices.port_write(port, data)",
            "zh": f"串口控制台显示的是 {actual['serial']!r}，但客户机写出的是 "
            f"{expected['serial']!r}：每个 OUT 退出都必须交给 devices.port_write(port, data)",
        }
    for reg, value in expected["regs"].items():
        if actual["regs"].get(reg) != value:
            return {
                "en": f"guest register {reg} ends as {actual['regs'].get(reg)} instead of "
                f"{value}: an IN or MMIO-read exit was answered with the wrong value; pass the "
                "device's answer to vcpu.complete(value)",
                "zh": f"客户机寄存器 {reg} 最后是 {actual['regs'].get(reg)}，而不是 {value}："
                "某个 IN 或 MMIO 读退出得到了错误的值；请把设备模型给出的值传给 "
                "vcpu.complete(value)",
            }
    if actual["exits"] != expected["exits"]:
        return {
            "en": f"the guest exited {actual['exits']} instead of {expected['exits']}",
            "zh": f"客户机的退出次数是 {actual['exits']}，而不是 {expected['exits']}",
        }
    return None
