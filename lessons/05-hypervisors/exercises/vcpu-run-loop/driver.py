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
        return (
            "run_vm returned before the guest halted: keep calling vcpu.run() until it "
            "returns an HLT exit"
        )
    if actual["serial"] != expected["serial"]:
        return (
            f"the serial console shows {actual['serial']!r} but the guest wrote "
            f"{expected['serial']!r}: every OUT exit must reach devices.port_write(port, data)"
        )
    for reg, value in expected["regs"].items():
        if actual["regs"].get(reg) != value:
            return (
                f"guest register {reg} ends as {actual['regs'].get(reg)} instead of {value}: "
                "an IN or MMIO-read exit was answered with the wrong value; pass the device's "
                "answer to vcpu.complete(value)"
            )
    if actual["exits"] != expected["exits"]:
        return f"the guest exited {actual['exits']} instead of {expected['exits']}"
    return None
