"""Checks a learner's layer list against the path the model itself takes; public."""

from tutor.sim import LAYERS, path_of

WHY = {
    "guest_app": {
        "en": "the request starts in an application inside the guest",
        "zh": "请求从客户机内部的一个应用程序开始",
    },
    "guest_kernel": {
        "en": "the guest's own kernel handles the request first, as on a real machine",
        "zh": "和在真实机器上一样，先由客户机自己的内核处理请求",
    },
    "vm_exit": {
        "en": "the guest cannot touch real hardware: its device access traps out (a VM exit)",
        "zh": "客户机不能接触真实硬件：它的设备访问会陷出（VM exit，即 VM 退出）",
    },
    "hypervisor": {
        "en": "a type 1 hypervisor runs on the bare hardware and handles the request itself",
        "zh": "类型 1 虚拟机监控程序直接运行在硬件上，亲自处理这个请求",
    },
    "vmm": {
        "en": "in a type 2 setup the trap lands in the VMM, which runs beside the host OS",
        "zh": "在类型 2 结构中，陷出落到与宿主机操作系统并列运行的 VMM",
    },
    "world_switch": {
        "en": "a type 2 VMM has no drivers of its own: it switches to the host's world",
        "zh": "类型 2 的 VMM 没有自己的驱动程序：它要通过世界切换（world switch）进入宿主机的世界",
    },
    "host_vmm_driver": {
        "en": "the world switch arrives in the VMM's small driver inside the host OS",
        "zh": "世界切换之后，到达 VMM 安装在宿主机操作系统里的小驱动",
    },
    "vmm_app": {
        "en": "a user-level program of the hosted hypervisor performs the I/O for the guest",
        "zh": "托管型虚拟机监控程序的一个用户态程序替客户机完成 I/O",
    },
    "kvm_module": {
        "en": "with KVM the exit is taken by the kvm kernel module in Linux",
        "zh": "使用 KVM 时，由 Linux 中的 kvm 内核模块接住这次陷出",
    },
    "kvm_run_return": {
        "en": "KVM hands I/O exits to user space: the KVM_RUN ioctl returns an exit reason",
        "zh": "KVM 把 I/O 退出交给用户态处理：KVM_RUN ioctl 返回一个退出原因",
    },
    "device_model": {
        "en": "a user-space device model (QEMU's role) emulates the disk or network card",
        "zh": "用户态的设备模型（QEMU 扮演的角色）模拟磁盘或网卡",
    },
    "host_syscall": {
        "en": "the I/O becomes an ordinary system call of the host OS",
        "zh": "这次 I/O 变成了宿主机操作系统的一次普通系统调用",
    },
    "host_kernel": {
        "en": "the host kernel schedules and performs the I/O",
        "zh": "宿主机内核调度并执行这次 I/O",
    },
    "host_driver": {
        "en": "the host OS's device driver talks to the hardware",
        "zh": "宿主机操作系统的设备驱动程序与硬件打交道",
    },
    "disk": {"en": "the request ends at the physical disk", "zh": "请求最终到达物理磁盘"},
    "nic": {"en": "the request ends at the physical network card", "zh": "请求最终到达物理网卡"},
}


def shape_error(en, zh):
    """A TypeError about what the learner's function returned, with its Chinese text."""
    error = TypeError(en)
    error.zh = zh
    return error


def run(submission, args, trace):
    layers = submission.path(args["kind"], args["operation"])
    if not isinstance(layers, (list, tuple)):
        kind = type(layers).__name__
        raise shape_error(
            f"path() must return a list of layer names, not {kind}",
            f"path() 必须返回由层名组成的列表，而不是 {kind}",
        )
    layers = [str(layer) for layer in layers]
    trace.emit("op.start", hv=args["kind"], op=args["operation"], guest="vm1")
    for layer in layers:
        known = layer in LAYERS
        trace.emit(
            "layer.enter", layer=layer, dir="down", cycles=LAYERS[layer].cycles if known else 0
        )
    trace.emit("op.end", op=args["operation"], cycles=0)
    return {"path": layers}


def compare(args, expected, actual):
    # The model itself is the authority: the path its hypervisor really takes. The report shows
    # the case's name ("type2 disk_read") before each message, so messages do not repeat it.
    want, got = path_of(args["kind"], args["operation"]), actual["path"]
    for i, layer in enumerate(got):
        if layer not in LAYERS:
            return {
                "en": f"{layer!r} is not a layer of the model; known: {', '.join(LAYERS)}",
                "zh": f"{layer!r} 不是模型中的层；模型中的层有：{', '.join(LAYERS)}",
            }
        if i >= len(want):
            return {
                "en": f"the path ends at {want[-1]!r}; {layer!r} should not follow it",
                "zh": f"这条路径到 {want[-1]!r} 就结束了；{layer!r} 不应该出现在它后面",
            }
        if layer != want[i]:
            why = WHY[want[i]]
            return {
                "en": f"step {i + 1} should be {want[i]!r}, not {layer!r}: {why['en']}",
                "zh": f"第 {i + 1} 步应该是 {want[i]!r}，而不是 {layer!r}：{why['zh']}",
            }
    if len(got) < len(want):
        missing = want[len(got)]
        why = WHY[missing]
        return {
            "en": f"the path stops too early; next comes {missing!r}: {why['en']}",
            "zh": f"路径结束得太早了；接下来应该是 {missing!r}：{why['zh']}",
        }
    return None
