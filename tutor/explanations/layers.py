"""Why a guest's request crosses each layer of a hypervisor's stack (lesson 5).

Read by the io-path and faster-io drivers and by the layer-stacks animation's narration.
``crossed`` is the general reason per layer; ``crossed_in`` overrides it where a design
(``type1_partition``), an operation (``privileged``) or a faster I/O path (``vhost``, ``sriov``)
changes the reason, looked up most specific first (:func:`crossing`).
"""

from __future__ import annotations

from typing import Any

from . import Text, explain, table

EXPLANATIONS = {
    "crossed": {
        "guest_app": {
            "en": "the request starts in an application inside the guest",
            "zh": "请求从客户机内部的一个应用程序开始",
        },
        "guest_kernel": {
            "en": "the guest's own kernel handles the request first, as on a real machine",
            "zh": "和在真实机器上一样，先由客户机自己的内核处理请求",
        },
        "vm_exit": {
            "en": "the guest may not touch real hardware, so its device access traps out of "
            "guest mode (a VM exit)",
            "zh": "客户机不能接触真实硬件，它的设备访问因此离开客户机模式，陷入虚拟机监控程序"
            "（VM 退出）",
        },
        "hypervisor": {
            "en": "a type 1 hypervisor runs on the bare hardware and takes the guest's exit",
            "zh": "类型 1 虚拟机监控程序直接运行在硬件上，由它接住客户机的这次退出",
        },
        "hypervisor_driver": {
            "en": "a monolithic type 1 hypervisor (VMware ESXi) carries its own I/O stack and "
            "device drivers, so it does the I/O itself",
            "zh": "单体式的类型 1 虚拟机监控程序（VMware ESXi）自带 I/O 堆栈和设备驱动程序，"
            "于是亲自完成这次 I/O",
        },
        "partition_switch": {
            "en": "in the privileged-partition design (Xen, Hyper-V) the hypervisor has no "
            "device drivers: the CPU switches to the privileged partition (Xen's dom0, Hyper-V's "
            "root partition) that has them",
            "zh": "在特权分区式设计（Xen、Hyper-V）中，虚拟机监控程序没有设备驱动程序："
            "CPU 切换到拥有驱动程序的特权分区（Xen 的 dom0、Hyper-V 的根分区）",
        },
        "backend_driver": {
            "en": "the back-end driver in the privileged partition (Xen's blkback or netback, "
            "Hyper-V's VSP) takes the guest's request off the ring it shares with the guest",
            "zh": "特权分区中的后端驱动（Xen 的 blkback 或 netback，Hyper-V 的 VSP）"
            "从它与客户机共享的环中取出客户机的请求",
        },
        "partition_driver": {
            "en": "the privileged partition's own device driver (Linux in dom0, Windows in the "
            "root partition) talks to the hardware",
            "zh": "特权分区自己的设备驱动程序（dom0 中的 Linux、根分区中的 Windows）与硬件打交道",
        },
        "vmm": {
            "en": "in a type 2 setup the trap lands in the VMM, which runs beside the host OS",
            "zh": "在类型 2 结构中，客户机陷入的是与宿主机操作系统并列运行的 VMM",
        },
        "world_switch": {
            "en": "a type 2 VMM has no drivers of its own, so it switches the whole CPU to the "
            "host's world",
            "zh": "类型 2 的 VMM 没有自己的驱动程序，于是通过世界切换（world switch）把整个 CPU "
            "切换到宿主机的世界",
        },
        "host_vmm_driver": {
            "en": "the world switch arrives in the VMM's small driver inside the host OS",
            "zh": "世界切换之后，到达 VMM 安装在宿主机操作系统里的小驱动",
        },
        "vmm_app": {
            "en": "a user-level program of the hosted hypervisor emulates the device and "
            "performs the I/O for the guest",
            "zh": "托管型虚拟机监控程序的一个用户态程序模拟设备，替客户机完成 I/O",
        },
        "kvm_module": {
            "en": "with KVM the exit is taken by the kvm kernel module: Linux itself takes it",
            "zh": "使用 KVM 时，由 Linux 中的 kvm 内核模块接住这次陷入：也就是 Linux 自己接住它",
        },
        "kvm_run_return": {
            "en": "the kvm module cannot satisfy an emulated device's access itself, so the "
            "KVM_RUN ioctl returns an exit reason to user space",
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
        "vhost": {
            "en": "a vhost-net thread in the host kernel takes the packet off the virtqueue: no "
            "user-space device model, no system call",
            "zh": "宿主机内核中的 vhost-net 线程从 virtqueue 中取出数据包：不经过用户态设备模型，"
            "也没有系统调用",
        },
        "host_kernel": {
            "en": "the host kernel schedules and performs the I/O",
            "zh": "宿主机内核调度并执行这次 I/O",
        },
        "host_driver": {
            "en": "the host OS's device driver talks to the hardware",
            "zh": "宿主机操作系统的设备驱动程序与硬件打交道",
        },
        "iommu": {
            "en": "the card's DMA passes the IOMMU, which confines it to this guest's memory, as "
            "the hypervisor set it up beforehand",
            "zh": "网卡的 DMA 要经过 IOMMU，由它按虚拟机监控程序事先的设置，把 DMA 限制在这个"
            "客户机的内存里",
        },
        "disk": {
            "en": "the request ends at the physical disk, whose work dwarfs every other cost",
            "zh": "请求最终到达物理磁盘，它的开销远超其他各层",
        },
        "nic": {
            "en": "the request ends at the physical network card, which sends the packet",
            "zh": "请求最终到达物理网卡，由它发送数据包",
        },
    },
    "crossed_in": {
        "type1_partition": {
            "guest_kernel": {
                "en": "the guest kernel's front-end driver (Xen's blkfront or netfront, "
                "Hyper-V's VSC) puts the request on a ring shared with the privileged partition",
                "zh": "客户机内核的前端驱动（Xen 的 blkfront 或 netfront，Hyper-V 的 VSC）"
                "把请求放进与特权分区共享的环中",
            },
            "vm_exit": {
                "en": "the front-end notifies the other side with a hypercall (a Xen event "
                "channel, a Hyper-V VMBus signal), which leaves guest mode like any VM exit",
                "zh": "前端驱动用一次超级调用（Xen 的事件通道、Hyper-V 的 VMBus 信号）通知另一端，"
                "它和任何 VM 退出一样离开客户机模式",
            },
            "hypervisor": {
                "en": "this hypervisor has no device drivers, so it only checks the "
                "notification and schedules the privileged partition",
                "zh": "这个虚拟机监控程序没有设备驱动程序，它只检查这次通知，并调度特权分区",
            },
        },
        "privileged": {
            "guest_kernel": {
                "en": "the guest kernel executes a privileged instruction, here WRMSR to set "
                "its timer deadline",
                "zh": "客户机内核执行一条特权指令，这里是设置定时器截止时间的 WRMSR",
            },
            "vm_exit": {
                "en": "the guest may not do that on the real machine, so the CPU traps out of "
                "guest mode",
                "zh": "客户机不能在真实机器上这样做，CPU 因此离开客户机模式，陷入虚拟机监控程序",
            },
            "hypervisor": {
                "en": "the hypervisor emulates the instruction for the guest; no device and no "
                "other partition is involved",
                "zh": "虚拟机监控程序替客户机模拟这条指令；不涉及设备，也不涉及其他分区",
            },
            "vmm": {
                "en": "the hosted VMM emulates it itself: no world switch, the host OS is not "
                "needed",
                "zh": "托管型的 VMM 自己模拟它：不需要世界切换，也用不到宿主机操作系统",
            },
            "kvm_module": {
                "en": "the kvm module emulates it in the kernel: KVM_RUN does not return to "
                "user space",
                "zh": "kvm 模块在内核中模拟它：KVM_RUN 不会返回用户态",
            },
        },
        "vhost": {
            "guest_kernel": {
                "en": "the guest's virtio-net driver puts the packet on a virtqueue and kicks "
                "the device",
                "zh": "客户机的 virtio-net 驱动把数据包放进 virtqueue，并通知（kick）设备",
            },
            "vm_exit": {
                "en": "the kick is a write to the device's notify register, which still leaves "
                "guest mode: vhost-net removes the trip to user space, not the exit",
                "zh": "这次通知是对设备通知寄存器的一次写入，仍然会离开客户机模式：vhost-net "
                "省掉的是去用户态的那一趟，而不是 VM 退出",
            },
            "kvm_module": {
                "en": "the exit still lands in the kvm module, which recognises the kick (an "
                "ioeventfd) and wakes the vhost-net thread instead of returning from KVM_RUN",
                "zh": "这次退出仍然落在 kvm 模块里，由它认出这次通知（ioeventfd）并唤醒 vhost-net "
                "线程，而不是从 KVM_RUN 返回",
            },
            "host_kernel": {
                "en": "the packet still leaves through the host's network stack",
                "zh": "数据包仍然要经过宿主机的网络堆栈发出",
            },
        },
        "sriov": {
            "guest_kernel": {
                "en": "the guest's own driver programs its virtual function of the network card "
                "directly: no VM exit on this path",
                "zh": "客户机自己的驱动程序直接对网卡分给它的虚拟功能编程：这条路径上没有 VM 退出",
            },
        },
    },
    "needs": {
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
            "en": "the hypervisor's own driver is called by the hypervisor once it holds the "
            "request",
            "zh": "虚拟机监控程序拿到请求之后，才会调用它自己的驱动程序",
        },
        "partition_switch": {
            "en": "only the hypervisor, once it has taken the exit, can switch to the "
            "privileged partition",
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
            "en": "the hosted hypervisor's user-level program is woken by its driver in the "
            "host OS",
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
            "en": "the network card is reached last, by whichever software drives it in this "
            "design",
            "zh": "网卡在最后才被访问，由这种设计中负责驱动它的软件来访问",
        },
    },
    "ends": {
        "disk_read": {"en": "a disk read ends at the disk", "zh": "磁盘读取要到达磁盘才算结束"},
        "net_send": {"en": "a send ends at the network card", "zh": "网络发送要到达网卡才算结束"},
        "privileged": {
            "en": "a privileged instruction ends where it is emulated, with no device",
            "zh": "特权指令在被模拟的地方结束，不涉及设备",
        },
    },
    "twice": {
        "en": "a request crosses each layer once on its way down",
        "zh": "请求向下时每一层只经过一次",
    },
    "order": {
        "en": "a request goes down its stack, from the guest towards the card",
        "zh": "请求沿分层结构向下走，从客户机走向网卡",
    },
    "saved": {
        "en": "not what the two paths cost apart on this machine: the cycles of slow_path minus "
        "those of your path, both from costs",
        "zh": "不等于这台机器上两条路径的代价之差：slow_path 的周期数减去你的路径的周期数，"
        "两者都从 costs 里取",
    },
    "saved_textbook": {
        "en": "that is what the lesson's table gives, but this machine's layers cost other "
        "cycles: read them from costs",
        "zh": "这是按课文表格算出来的，但这台机器各层的代价不同：请从 costs 里读取",
    },
    # Why a faster path no longer crosses a layer of the ordinary one.
    "removed": {
        "vhost": {
            "kvm_run_return": {
                "en": "with vhost-net the kvm module hands the guest's kick to a thread in the "
                "host kernel, so KVM_RUN does not return to user space",
                "zh": "使用 vhost-net 时，kvm 模块把客户机的通知交给宿主机内核中的一个线程，"
                "所以 KVM_RUN 不会返回用户态",
            },
            "device_model": {
                "en": "with vhost-net the virtio back-end is a thread in the host kernel: no "
                "user-space device model (QEMU) touches the packet",
                "zh": "使用 vhost-net 时，virtio 后端是宿主机内核中的一个线程：没有用户态设备模型"
                "（QEMU）碰这个数据包",
            },
            "host_syscall": {
                "en": "with vhost-net the packet never leaves the kernel, so no system call has "
                "to hand it back in",
                "zh": "使用 vhost-net 时，数据包从不离开内核，所以不需要系统调用把它再交回内核",
            },
            "iommu": {
                "en": "the IOMMU is on the path only when the guest drives the card itself "
                "(SR-IOV); with vhost-net the host's own driver sends the packet",
                "zh": "只有客户机亲自驱动网卡（SR-IOV）时，IOMMU 才在路径上；使用 vhost-net 时，"
                "由宿主机自己的驱动程序发送数据包",
            },
            "other": {"en": "this path never crosses it", "zh": "这条路径根本不经过它"},
        },
        "sriov": {
            "vm_exit": {
                "en": "with SR-IOV the guest's own driver writes to its virtual function: no VM "
                "exit on the data path",
                "zh": "使用 SR-IOV 时，客户机自己的驱动程序直接写它的虚拟功能："
                "数据路径上没有 VM 退出",
            },
            "other": {
                "en": "with SR-IOV no hypervisor, privileged-partition or host software is on "
                "the data path: the hypervisor set up the virtual function and the IOMMU "
                "beforehand",
                "zh": "使用 SR-IOV 时，数据路径上没有虚拟机监控程序、特权分区或宿主机的软件："
                "虚拟机监控程序事先设好了虚拟功能和 IOMMU",
            },
        },
    },
    # Why a design has a faster path, said when a prediction says it has none.
    "has_fast_path": {
        "vhost": {
            "en": "KVM has vhost-net: it is Linux's own in-kernel back-end for virtio-net guests, "
            "so predict that path instead of returning None",
            "zh": "KVM 有 vhost-net：它是 Linux 内核中为 virtio-net 客户机准备的后端，"
            "所以请预测这条路径，而不是返回 None",
        },
        "sriov": {
            "en": "this hypervisor owns the IOMMU, so it can hand a guest a virtual function of "
            "an SR-IOV card: predict that path instead of returning None",
            "zh": "这个虚拟机监控程序掌控着 IOMMU，所以能把 SR-IOV 网卡的一个虚拟功能交给客户机："
            "请预测这条路径，而不是返回 None",
        },
    },
}


def crossing(
    layer: str, kind: str | None = None, operation: str | None = None, io: str | None = None
) -> Text | None:
    """Why a request crosses ``layer``: the reason of its I/O path, operation or design if one
    is written, else the layer's general reason (the page's narration looks up the same way)."""
    special = table("layers.crossed_in")
    for context in (io, operation, kind):
        if context in special and layer in special[context]:
            return dict(special[context][layer])
    return table("layers.crossed").get(layer)


def path_reasons(kind: str, operation: str) -> dict[str, Any]:
    """Everything ``Feedback.sequence`` says about a path through ``kind``'s stack: the stack's
    name, why each layer is crossed and what must come before it, and where ``operation``
    ends."""
    return {
        "where": {"en": f"a {kind} stack", "zh": f" {kind} 的分层结构"},
        "why": table("layers.crossed"),
        "needs": table("layers.needs"),
        "twice": explain("layers.twice"),
        "end": explain(f"layers.ends.{operation}"),
    }
