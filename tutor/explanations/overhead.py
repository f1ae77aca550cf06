"""What is virtualization overhead and what is not, layer by layer (lesson 5, layer-overhead).

``layer``: why a layer's cycles are overhead (a native machine does not cross it); ``native``:
why a layer is *not* overhead (a native machine crosses it too).
"""

EXPLANATIONS = {
    "layer": {
        "vm_exit": {
            "en": "a native machine never traps out of a guest: the VM exit is pure virtualization "
            "cost",
            "zh": "原生机器上没有可以陷入的虚拟机监控程序：VM 退出纯粹是虚拟化的代价",
        },
        "hypervisor": {
            "en": "a native machine has no type 1 hypervisor handling the request",
            "zh": "原生机器上没有处理请求的类型 1 虚拟机监控程序",
        },
        "hypervisor_driver": {
            "en": "natively the guest kernel drives the device itself; the hypervisor's own I/O "
            "stack and driver run on top of that",
            "zh": "在原生机器上，客户机内核亲自驱动设备；虚拟机监控程序自己的 I/O "
            "堆栈和驱动程序是额外"
            "运行的",
        },
        "partition_switch": {
            "en": "switching to the privileged partition (dom0, the root partition) is overhead of "
            "that type 1 design",
            "zh": "切换到特权分区（dom0、根分区）是这种类型 1 设计的开销",
        },
        "backend_driver": {
            "en": "the back-end driver in the privileged partition works only for guests",
            "zh": "特权分区中的后端驱动只为客户机工作",
        },
        "partition_driver": {
            "en": "the guest kernel already drove its (virtual) device; the privileged partition's "
            "driver is extra",
            "zh": "客户机内核已经驱动过它的（虚拟）设备；特权分区的驱动程序是额外的",
        },
        "vmm": {
            "en": "the type 2 VMM that catches the trap does not exist on a native machine",
            "zh": "接住陷入的类型 2 VMM 在原生机器上并不存在",
        },
        "world_switch": {
            "en": "the world switch from the VMM to the host OS is overhead of the hosted design",
            "zh": "从 VMM 到宿主机操作系统的世界切换是托管型设计的开销",
        },
        "host_vmm_driver": {
            "en": "the VMM's driver inside the host OS is there only for the hypervisor",
            "zh": "宿主机操作系统里的 VMM 驱动只为虚拟机监控程序而存在",
        },
        "vmm_app": {
            "en": "the user-level program that performs the guest's I/O is hypervisor work",
            "zh": "替客户机完成 I/O 的用户态程序，做的是虚拟机监控程序的工作",
        },
        "kvm_module": {
            "en": "the kvm kernel module handling the exit is hypervisor work",
            "zh": "处理退出的 kvm 内核模块，做的是虚拟机监控程序的工作",
        },
        "kvm_run_return": {
            "en": "returning from KVM_RUN to user space is overhead of KVM's design",
            "zh": "从 KVM_RUN 返回用户态是 KVM 这种设计的开销",
        },
        "device_model": {
            "en": "the user-space device model (QEMU's role) emulates hardware: pure overhead",
            "zh": "用户态的设备模型（QEMU 扮演的角色）在模拟硬件：纯粹是开销",
        },
        "host_syscall": {
            "en": "natively the guest kernel drives the device itself; a host system call is extra",
            "zh": "在原生机器上，客户机内核亲自驱动设备；宿主机的系统调用是额外的",
        },
        "host_kernel": {
            "en": "the host kernel's work for the guest comes on top of the guest kernel's own",
            "zh": "宿主机内核为客户机做的工作，是在客户机内核自己的工作之外额外增加的",
        },
        "host_driver": {
            "en": "the guest kernel already drove its (virtual) device; the host driver is extra",
            "zh": "客户机内核已经驱动过它的（虚拟）设备；宿主机的驱动程序是额外的",
        },
    },
    "native": {
        "disk": {
            "en": "the device itself is not virtualization overhead: a native machine "
            "waits for the "
            "disk too",
            "zh": "设备本身不是虚拟化开销：原生机器同样要等待磁盘",
        },
        "nic": {
            "en": "the device itself is not virtualization overhead: a native machine "
            "waits for the "
            "network card too",
            "zh": "设备本身不是虚拟化开销：原生机器同样要等待网卡",
        },
        "guest_app": {
            "en": "the guest application runs on a native machine too: it is not overhead",
            "zh": "客户机应用程序在原生机器上同样要运行：它不是开销",
        },
        "guest_kernel": {
            "en": "the guest kernel's own work happens on a native machine too: it is not overhead",
            "zh": "客户机内核自己的工作在原生机器上同样会发生：它不是开销",
        },
    },
    "never_crossed": {
        "en": "this operation never crossed it",
        "zh": "这次操作从未经过这一层",
    },
    "textbook": {
        "en": "that is the textbook cost, and this machine's trace measured something else: "
        "read the cycles from the events, not from a table",
        "zh": "这是教材表格里的代价，而这台机器的 trace 测得的值不同：请从事件中读取周期数，"
        "而不是照搬表格",
    },
    "total": {
        "en": "it is not what the request's layers cost: add the cycles of every layer.enter "
        "event on the way down, native layers included (the op.end event carries the same sum)",
        "zh": "它不等于请求经过的各层的代价：把向下途中每个 layer.enter 事件的周期数加起来，"
        "原生的层也要算上（op.end 事件携带的就是同一个总和）",
    },
    "layer_cost": {
        "en": "it is not what that layer's events cost in this trace",
        "zh": "它不等于这一层的事件在这次 trace 中的代价",
    },
    "native_sum": {
        "en": "without a hypervisor the same operation crosses only {layers}; add what those "
        "layers cost in this trace",
        "zh": "没有虚拟机监控程序时，同样的操作只经过 {layers}；把这些层在这次 trace "
        "中的代价加起来",
    },
    "subtract": {
        "en": "it must be total - native: the cycles the virtualization layers add to what a "
        "native machine spends on the same operation, which is also the sum of per_layer",
        "zh": "它必须等于 total - native：也就是在本机执行同一操作所花的周期之外，"
        "各虚拟化层多出来的周期，这也正是 per_layer 的总和",
    },
    "difference": {
        "en": "it must be total - native = {total} - {native}, which is also the sum of per_layer",
        "zh": "它必须等于 total - native = {total} - {native}，这也正是 per_layer 的总和",
    },
    "dominant": {
        "en": "it must be the virtualization layer that costs most in this trace (on a tie, the "
        "first one on the way down)",
        "zh": "它必须是这次 trace 中代价最高的虚拟化层（并列时取向下途中最先经过的那一层）",
    },
}
