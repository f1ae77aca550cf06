"""Checks a learner's layer list against the path the model itself takes; public."""

from tutor.sim import LAYERS, path_of
from tutor.sim.hypervisor import OPERATIONS

# The model's own answer to this exercise: learner code that imports these gets a copy of the
# module without them (see tutor/grading/harness.py, guarded_builtins).
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor"),
    "tutor.sim.hypervisor": ("path_of", "PATHS", "_steps", "Hypervisor"),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
}

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
        "zh": "客户机不能接触真实硬件：它的设备访问会陷入虚拟机监控程序（VM exit，即 VM 退出）",
    },
    "hypervisor": {
        "en": "a type 1 hypervisor runs on the bare hardware and takes the guest's exit",
        "zh": "类型 1 虚拟机监控程序直接运行在硬件上，由它接住客户机的这次退出",
    },
    "hypervisor_driver": {
        "en": "a monolithic type 1 hypervisor (VMware ESXi) carries its own I/O stack and "
        "device drivers",
        "zh": "单体式的类型 1 虚拟机监控程序（VMware ESXi）自带 I/O 堆栈和设备驱动程序",
    },
    "partition_switch": {
        "en": "in the privileged-partition design (Xen, Hyper-V) the hypervisor has no device "
        "drivers: it switches to the privileged partition that has them",
        "zh": "在特权分区式设计（Xen、Hyper-V）中，虚拟机监控程序没有设备驱动程序："
        "它切换到拥有驱动程序的特权分区",
    },
    "backend_driver": {
        "en": "the back-end driver in the privileged partition (Xen's blkback or netback, "
        "Hyper-V's VSP) takes the guest's request off the shared ring",
        "zh": "特权分区中的后端驱动（Xen 的 blkback 或 netback，Hyper-V 的 VSP）"
        "从共享环中取出客户机的请求",
    },
    "partition_driver": {
        "en": "the privileged partition's own device driver (Linux in dom0, Windows in the "
        "root partition) talks to the hardware",
        "zh": "特权分区自己的设备驱动程序（dom0 中的 Linux、根分区中的 Windows）与硬件打交道",
    },
    "vhost": {
        "en": "vhost-net is a faster KVM path this exercise does not ask for",
        "zh": "vhost-net 是 KVM 的一条更快的路径，本练习不考它",
    },
    "iommu": {
        "en": "the IOMMU is on the path only when a guest drives an SR-IOV virtual function "
        "itself, which this exercise does not ask for",
        "zh": "只有客户机亲自驱动 SR-IOV 虚拟功能时，IOMMU 才在路径上，本练习不考它",
    },
    "vmm": {
        "en": "in a type 2 setup the trap lands in the VMM, which runs beside the host OS",
        "zh": "在类型 2 结构中，客户机陷入的是与宿主机操作系统并列运行的 VMM",
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
        "zh": "使用 KVM 时，由 Linux 中的 kvm 内核模块接住这次陷入",
    },
    "kvm_run_return": {
        "en": "the kvm module cannot satisfy an emulated device's access itself, so the KVM_RUN "
        "ioctl returns an exit reason to user space",
        "zh": "kvm 模块自己无法满足对模拟设备的访问，于是 KVM_RUN ioctl 带着退出原因返回用户态",
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


# What must happen before each layer can be reached: said when a learner's path gets there too
# early, so the feedback explains why without naming the layer the model expects instead.
NEEDS = {
    "guest_kernel": {
        "en": "the guest kernel receives requests from the guest's own programs",
        "zh": "客户机内核接收的是客户机自己的程序发来的请求",
    },
    "vm_exit": {
        "en": "a VM exit happens when the guest's kernel touches hardware it does not own",
        "zh": "当客户机内核触碰它并不拥有的硬件时，才会发生 VM 退出",
    },
    "hypervisor": {
        "en": "a guest reaches the hypervisor only by trapping out of guest mode",
        "zh": "客户机只有陷入（离开客户机模式）才能到达虚拟机监控程序",
    },
    "hypervisor_driver": {
        "en": "the hypervisor's own driver is called by the hypervisor once it holds the request",
        "zh": "虚拟机监控程序拿到请求之后，才会调用它自己的驱动程序",
    },
    "partition_switch": {
        "en": "only the hypervisor, once it has taken the exit, can switch to the privileged "
        "partition",
        "zh": "只有接住了这次退出的虚拟机监控程序，才能切换到特权分区",
    },
    "backend_driver": {
        "en": "the back-end driver runs in the privileged partition, after the switch to it",
        "zh": "后端驱动运行在特权分区中，要先切换到特权分区",
    },
    "partition_driver": {
        "en": "the privileged partition's device driver is called by its back-end driver",
        "zh": "特权分区的设备驱动程序由它的后端驱动调用",
    },
    "vmm": {
        "en": "the VMM gets control only when the guest traps out of guest mode",
        "zh": "只有当客户机陷入、离开客户机模式时，VMM 才获得控制权",
    },
    "world_switch": {
        "en": "only the VMM, once it holds the request, can switch to the host's world",
        "zh": "只有已经拿到请求的 VMM 才能切换到宿主机的世界",
    },
    "host_vmm_driver": {
        "en": "the VMM's driver inside the host OS is entered only through a world switch",
        "zh": "宿主机操作系统里的 VMM 驱动只能通过世界切换进入",
    },
    "vmm_app": {
        "en": "the hosted hypervisor's user-level program is woken by its driver in the host OS",
        "zh": "托管型虚拟机监控程序的用户态程序，是由它在宿主机操作系统中的驱动唤醒的",
    },
    "kvm_module": {
        "en": "the kvm module runs when the guest traps out of guest mode",
        "zh": "客户机陷入、离开客户机模式时，kvm 模块才会运行",
    },
    "kvm_run_return": {
        "en": "KVM_RUN can only return to user space after the kvm module has taken the exit",
        "zh": "只有在 kvm 模块接住这次退出之后，KVM_RUN 才能返回用户态",
    },
    "device_model": {
        "en": "the user-space device model runs once KVM_RUN has returned with an exit reason",
        "zh": "用户态的设备模型要等 KVM_RUN 带着退出原因返回之后才运行",
    },
    "host_syscall": {
        "en": "a host system call is made by a user-space program that already holds the "
        "guest's request",
        "zh": "宿主机系统调用是由一个已经拿到客户机请求的用户态程序发出的",
    },
    "host_kernel": {
        "en": "the host kernel works for the guest only when a host system call asks it to",
        "zh": "只有宿主机系统调用请求时，宿主机内核才会为客户机工作",
    },
    "host_driver": {
        "en": "the host's device driver is called by the host kernel",
        "zh": "宿主机的设备驱动程序由宿主机内核调用",
    },
    "disk": {
        "en": "the disk is reached last, by whichever software drives it in this design",
        "zh": "磁盘在最后才被访问，由这种设计中负责驱动它的软件来访问",
    },
    "nic": {
        "en": "the network card is reached last, by whichever software drives it in this design",
        "zh": "网卡在最后才被访问，由这种设计中负责驱动它的软件来访问",
    },
}

ENDS = {
    "disk_read": {"en": "a disk read ends at the disk", "zh": "磁盘读取要到达磁盘才算结束"},
    "net_send": {"en": "a send ends at the network card", "zh": "网络发送要到达网卡才算结束"},
    "privileged": {
        "en": "a privileged instruction ends where it is emulated, with no device",
        "zh": "特权指令在被模拟的地方结束，不涉及设备",
    },
}


# What path() returns; the harness checks it (tutor/grading/shapes.py).
RETURNS = {"path": [str]}


def run(submission, args, trace):
    layers = list(submission.path(args["kind"], args["operation"]))
    trace.emit("op.start", hv=args["kind"], op=args["operation"], guest="vm1")
    total = 0
    for layer in layers:
        cycles = LAYERS[layer].cycles if layer in LAYERS else 0
        total += cycles
        trace.emit("layer.enter", layer=layer, dir="down", cycles=cycles)
    trace.emit("op.end", op=args["operation"], cycles=total)
    return {"path": layers}


def _stack(kind):
    """Every layer a request of any operation can cross in this kind of hypervisor."""
    return {layer for operation in OPERATIONS for layer in path_of(kind, operation)}


def _say(en, zh, reveal, want, i):
    """The message, plus the model's own step only when the learner may see it (see harness)."""
    if reveal and i < len(want):
        why = WHY[want[i]]
        en += f". The model's step {i + 1} is {want[i]!r}: {why['en']}"
        zh += f"。模型的第 {i + 1} 步是 {want[i]!r}：{why['zh']}"
    return {"en": en, "zh": zh}


def compare(args, expected, actual, reveal=False):
    # The model itself is the authority: the path its hypervisor really takes. The report shows
    # the case's name before each message, so messages do not repeat it. Unless ``reveal``, a
    # message says which step is wrong and why the learner's layer cannot be there, never which
    # layer belongs there: repeated Runs must not read the answer off the feedback.
    kind, operation = args["kind"], args["operation"]
    want, got = path_of(kind, operation), actual["path"]
    for i, layer in enumerate(got):
        if i < len(want) and layer == want[i]:
            continue
        step = i + 1
        if layer not in LAYERS:
            return {
                "en": f"{layer!r} is not a layer of the model; known: {', '.join(LAYERS)}",
                "zh": f"{layer!r} 不是模型中的层；模型中的层有：{', '.join(LAYERS)}",
            }
        if i >= len(want):
            return {
                "en": f"step {step}: the path should already have ended ({ENDS[operation]['en']}); "
                f"{layer!r} must not follow",
                "zh": f"第 {step} 步：路径此时应该已经结束（{ENDS[operation]['zh']}）；"
                f"{layer!r} 不应该出现在后面",
            }
        if layer not in _stack(kind):
            why = WHY[layer]
            en, zh = (
                f"step {step}: {layer!r} is not part of a {kind} stack ({why['en']})",
                f"第 {step} 步：{layer!r} 不属于 {kind} 的分层结构（{why['zh']}）",
            )
        elif layer in got[:i]:
            en, zh = (
                f"step {step}: {layer!r} appears twice; a request crosses each layer once on its "
                "way down",
                f"第 {step} 步：{layer!r} 出现了两次；请求向下时每一层只经过一次",
            )
        elif layer in want[i + 1 :]:
            needs = NEEDS.get(layer, {"en": "a layer is missing before it", "zh": "它前面少了一层"})
            en, zh = (
                f"step {step}: {layer!r} comes too early: {needs['en']}",
                f"第 {step} 步：{layer!r} 出现得太早了：{needs['zh']}",
            )
        elif layer in want:
            en, zh = (
                f"step {step}: {layer!r} comes too late; the request has already passed it",
                f"第 {step} 步：{layer!r} 出现得太晚了；请求早已经过了这一层",
            )
        else:
            why = WHY[layer]
            en, zh = (
                f"step {step}: a {operation} never crosses {layer!r} ({why['en']})",
                f"第 {step} 步：{operation} 根本不会经过 {layer!r}（{why['zh']}）",
            )
        return _say(en, zh, reveal, want, i)
    if len(got) < len(want):
        last = repr(got[-1]) if got else "nothing"
        last_zh = repr(got[-1]) if got else "空列表"
        return _say(
            f"the path stops after {last} (step {len(got)}) before the request is done: "
            f"{ENDS[operation]['en']}",
            f"路径在 {last_zh}（第 {len(got)} 步）就停下了，请求还没有完成："
            f"{ENDS[operation]['zh']}",
            reveal,
            want,
            len(got),
        )
    return None
