"""The KVM_RUN exit loop of a user-space device model (lesson 5, vcpu-run-loop)."""

EXPLANATIONS = {
    "halted": {
        "en": "run_vm returned before the guest halted: keep calling vcpu.run() until it returns "
        "an HLT exit",
        "zh": "客户机还没有停机，run_vm 就返回了：要一直调用 vcpu.run()，直到它返回 HLT 退出",
    },
    "serial": {
        "en": "the serial console shows {serial!r}, not what the guest wrote: every OUT exit must "
        "reach devices.port_write(port, data)",
        "zh": "串口控制台显示的是 {serial!r}，与客户机写出的内容不同：每个 OUT 退出都必须交给 "
        "devices.port_write(port, data)",
    },
    "guest_wrote": {"en": " (the guest wrote {serial!r})", "zh": "（客户机写出的是 {serial!r}）"},
    "register": {
        "en": "guest register {reg} ends as {value}, which is wrong: an IN or MMIO-read exit was "
        "answered with the wrong value; pass the device's answer to vcpu.complete(value)",
        "zh": "客户机寄存器 {reg} 最后是 {value}，这个值不对：某个 IN 或 MMIO "
        "读退出得到了错误的值；"
        "请把设备模型给出的值传给 vcpu.complete(value)",
    },
    "register_should": {"en": " (it should end as {value})", "zh": "（它应该是 {value}）"},
    "exits": {
        "en": "the guest's count of {reasons} exits is wrong: call vcpu.run() once per exit and "
        "handle each exit before the next",
        "zh": "客户机的 {reasons} 退出次数不对：每次退出调用一次 vcpu.run()，处理完一次退出"
        "再进入下一次",
    },
}
