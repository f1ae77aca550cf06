"""Runs a learner's prediction of a faster network path and checks it against the model; public.

The model is the authority: ``path_of(kind, "net_send", io)`` is the path the hypervisor really
takes (or an ``InvalidOperation`` saying why the design has none), and two model runs on this
machine's costs say how many cycles the faster path saves. The learner's predicted path is
emitted into the trace, so a replay shows it on the design's stack, flagged where it strays.
"""

from tutor.sim import LAYERS, Hypervisor, InvalidOperation, path_of

OPERATION = "net_send"
# The model's own answer is hidden from the learner's code: the exercise is to predict it.
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor", "stack_of"),
    "tutor.sim.hypervisor": (
        "path_of",
        "Hypervisor",
        "stack_of",
        "PATHS",
        "FAST_PATHS",
        "_SRIOV_NET",
        "_NO_FAST_PATH",
        "_steps",
    ),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
}

# Why a layer of the ordinary path is no longer crossed, said when a prediction keeps it.
REMOVED = {
    "vhost": {
        "kvm_run_return": {
            "en": "with vhost-net the kvm module hands the guest's kick to a thread in the host "
            "kernel, so KVM_RUN does not return to user space",
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
            "en": "with vhost-net the packet never leaves the kernel, so no system call has to "
            "hand it back in",
            "zh": "使用 vhost-net 时，数据包从不离开内核，所以不需要系统调用把它再交回内核",
        },
        "iommu": {
            "en": "the IOMMU is on the path only when the guest drives the card itself "
            "(SR-IOV); with vhost-net the host's own driver sends the packet",
            "zh": "只有客户机亲自驱动网卡（SR-IOV）时，IOMMU 才在路径上；使用 vhost-net 时，"
            "由宿主机自己的驱动程序发送数据包",
        },
    },
    "sriov": {
        "vm_exit": {
            "en": "with SR-IOV the guest's own driver writes to its virtual function: no VM "
            "exit on the data path",
            "zh": "使用 SR-IOV 时，客户机自己的驱动程序直接写它的虚拟功能：数据路径上没有 VM 退出",
        },
    },
}
SRIOV_BYPASSED = {
    "en": "with SR-IOV no hypervisor, privileged-partition or host software is on the data "
    "path: the hypervisor set up the virtual function and the IOMMU beforehand",
    "zh": "使用 SR-IOV 时，数据路径上没有虚拟机监控程序、特权分区或宿主机的软件："
    "虚拟机监控程序事先设好了虚拟功能和 IOMMU",
}

# Why a layer is still needed, said when a prediction leaves it out.
STARTS = {
    "en": "the send still starts in the guest's application and kernel",
    "zh": "这次发送仍然从客户机的应用程序和内核开始",
}
ENDS = {"en": "the send ends at the network card", "zh": "网络发送要到达网卡才算结束"}
NEEDED = {
    "vhost": {
        "guest_app": STARTS,
        "guest_kernel": STARTS,
        "vm_exit": {
            "en": "vhost-net removes the trip to user space, not the exit: the guest's kick is "
            "a write that still leaves guest mode",
            "zh": "vhost-net 省掉的是去用户态的那一趟，而不是 VM 退出：客户机的通知是一次写操作，"
            "仍然会离开客户机模式",
        },
        "kvm_module": {
            "en": "the exit still lands in the kvm module, which recognises the kick and wakes "
            "the back-end",
            "zh": "这次退出仍然落在 kvm 模块里，由它认出这次通知并唤醒后端",
        },
        "vhost": {
            "en": "someone must still take the packet off the virtqueue: with vhost-net that is "
            "a thread in the host kernel",
            "zh": "总得有人从 virtqueue 中取出数据包：使用 vhost-net 时，"
            "这是宿主机内核中的一个线程",
        },
        "host_kernel": {
            "en": "the packet still leaves through the host's network stack",
            "zh": "数据包仍然要经过宿主机的网络堆栈发出",
        },
        "host_driver": {
            "en": "the host's device driver still programs the network card",
            "zh": "仍然要由宿主机的设备驱动程序对网卡编程",
        },
        "nic": ENDS,
    },
    "sriov": {
        "guest_app": STARTS,
        "guest_kernel": STARTS,
        "iommu": {
            "en": "the virtual function's DMA must pass the IOMMU, which confines it to this "
            "guest's memory; without it a guest could make the card write anywhere in the host",
            "zh": "虚拟功能的 DMA 必须经过 IOMMU，由它把 DMA 限制在这个客户机的内存里；"
            "没有它，客户机就能让网卡写宿主机内存的任何地方",
        },
        "nic": ENDS,
    },
}
HAS_PATH = {
    "vhost": {
        "en": "KVM has vhost-net: it is Linux's own in-kernel back-end for virtio-net guests, "
        "so predict that path instead of returning None",
        "zh": "KVM 有 vhost-net：它是 Linux 内核中为 virtio-net 客户机准备的后端，"
        "所以请预测这条路径，而不是返回 None",
    },
    "sriov": {
        "en": "this hypervisor owns the IOMMU, so it can hand a guest a virtual function of an "
        "SR-IOV card: predict that path instead of returning None",
        "zh": "这个虚拟机监控程序掌控着 IOMMU，所以能把 SR-IOV 网卡的一个虚拟功能交给客户机："
        "请预测这条路径，而不是返回 None",
    },
}


def shape_error(en, zh):
    """A TypeError about what the learner's function returned, with its Chinese text."""
    error = TypeError(en)
    error.zh = zh
    return error


def machine_costs(args):
    """This machine's cycles for every layer: the lesson's table, with the case's changes."""
    changed = args.get("costs", {})
    return {layer: int(changed.get(layer, info.cycles)) for layer, info in LAYERS.items()}


def run(submission, args, trace):
    kind, io = args["kind"], args["io"]
    costs = machine_costs(args)
    result = submission.predict(kind, io, path_of(kind, OPERATION), dict(costs))
    if result is None:
        return {"path": None, "saved": None}
    if not isinstance(result, dict) or not isinstance(result.get("path"), (list, tuple)):
        raise shape_error(
            'predict() must return None or {"path": [layer, ...], "saved": cycles}, not '
            f"{type(result).__name__}",
            'predict() 必须返回 None 或 {"path": [层, ...], "saved": 周期数}，而不是 '
            f"{type(result).__name__}",
        )
    saved = result.get("saved")
    if not isinstance(saved, int) or isinstance(saved, bool):
        raise shape_error(
            f'predict()["saved"] must be a whole number of cycles, not {type(saved).__name__}',
            f'predict()["saved"] 必须是整数个周期，而不是 {type(saved).__name__}',
        )
    path = [str(layer) for layer in result["path"]]
    # The prediction, on the design's stack: the replay shows where it leaves the model's road.
    trace.emit("op.start", hv=kind, op=OPERATION, guest="vm1", io=io)
    for layer in path:
        trace.emit("layer.enter", layer=layer, dir="down", cycles=costs.get(layer, 0))
    trace.emit("op.end", op=OPERATION, cycles=sum(costs.get(layer, 0) for layer in path))
    return {"path": path, "saved": saved}


def _model_path(kind, io):
    """The model's faster path, or None and the model's reason why this design has none."""
    try:
        return path_of(kind, OPERATION, io), None
    except InvalidOperation as exc:
        return None, {"en": str(exc), "zh": exc.zh or str(exc)}


def _saved(kind, io, changed):
    slow = Hypervisor(kind, costs=dict(changed)).perform(OPERATION)
    return slow - Hypervisor(kind, costs=dict(changed), io=io).perform(OPERATION)


def compare(args, expected, actual, reveal=False):
    # Hidden cases never name the model's layers or numbers (``reveal`` is False there): the
    # message says which layer of the prediction is wrong and why, from the lesson's reasons.
    kind, io = args["kind"], args["io"]
    want, why_none = _model_path(kind, io)
    got = actual["path"]
    if want is None:
        if got is None:
            return None
        return {"en": f"{why_none['en']}; return None", "zh": f"{why_none['zh']}；请返回 None"}
    if got is None:
        return HAS_PATH[io]
    for layer in got:
        if layer not in LAYERS:
            return {
                "en": f"{layer!r} is not a layer of the model; known: {', '.join(LAYERS)}",
                "zh": f"{layer!r} 不是模型中的层；模型中的层有：{', '.join(LAYERS)}",
            }
        if layer not in want:
            why = REMOVED[io].get(layer) or (SRIOV_BYPASSED if io == "sriov" else None)
            if why is None:
                why = {"en": "this path never crosses it", "zh": "这条路径根本不经过它"}
            return {
                "en": f"your path crosses {layer!r}, but {why['en']}",
                "zh": f"你的路径经过了 {layer!r}，但{why['zh']}",
            }
    for layer in want:
        if layer not in got:
            why = NEEDED[io][layer]
            hidden_layer = layer if reveal else "a layer"
            hidden_layer_zh = repr(layer) if reveal else "一层"
            return {
                "en": f"your path leaves out {hidden_layer} it still needs: {why['en']}",
                "zh": f"你的路径漏掉了仍然需要的{hidden_layer_zh}：{why['zh']}",
            }
    if len(got) != len(set(got)):
        return {
            "en": "a layer appears twice; a request crosses each layer once on its way down",
            "zh": "有一层出现了两次；请求向下时每一层只经过一次",
        }
    if got != want:
        return {
            "en": "the right layers, in the wrong order: a request goes down its stack, from "
            "the guest towards the card",
            "zh": "层是对的，顺序不对：请求沿分层结构向下走，从客户机走向网卡",
        }
    saved = _saved(kind, io, args.get("costs", {}))
    if actual["saved"] != saved:
        textbook = _saved(kind, io, {})
        if args.get("costs") and actual["saved"] == textbook:
            return {
                "en": f"saved is {actual['saved']}, what the lesson's table gives, but this "
                "machine's layers cost other cycles: read them from costs",
                "zh": f"saved 是 {actual['saved']}，这是按课文表格算出来的，但这台机器各层的代价"
                "不同：请从 costs 里读取",
            }
        message = {
            "en": f"saved is {actual['saved']}, not what the two paths cost apart on this "
            "machine: the cycles of slow_path minus those of your path, both from costs",
            "zh": f"saved 是 {actual['saved']}，不等于这台机器上两条路径的代价之差："
            "slow_path 的周期数减去你的路径的周期数，两者都从 costs 里取",
        }
        if reveal:
            message = {
                "en": f"{message['en']} (expected {saved})",
                "zh": f"{message['zh']}（应为 {saved}）",
            }
        return message
    return None
