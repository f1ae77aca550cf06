"""Checks a learner's layer list against the path the model itself takes; public."""

from tutor.sim import LAYERS, path_of

WHY = {
    "guest_app": "the request starts in an application inside the guest",
    "guest_kernel": "the guest's own kernel handles the request first, as on a real machine",
    "vm_exit": "the guest cannot touch real hardware: its device access traps out (a VM exit)",
    "hypervisor": "a type 1 hypervisor runs on the bare hardware and handles the request itself",
    "vmm": "in a type 2 setup the trap lands in the VMM, which runs beside the host OS",
    "world_switch": "a type 2 VMM has no drivers of its own: it switches to the host's world",
    "host_vmm_driver": "the world switch arrives in the VMM's small driver inside the host OS",
    "vmm_app": "a user-level program of the hosted hypervisor performs the I/O for the guest",
    "kvm_module": "with KVM the exit is taken by the kvm kernel module in Linux",
    "kvm_run_return": "KVM hands I/O exits to user space: the KVM_RUN ioctl returns an exit reason",
    "device_model": "a user-space device model (QEMU's role) emulates the disk or network card",
    "host_syscall": "the I/O becomes an ordinary system call of the host OS",
    "host_kernel": "the host kernel schedules and performs the I/O",
    "host_driver": "the host OS's device driver talks to the hardware",
    "disk": "the request ends at the physical disk",
    "nic": "the request ends at the physical network card",
}


def run(submission, args, trace):
    layers = submission.path(args["kind"], args["operation"])
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"path() must return a list of layer names, not {type(layers).__name__}")
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
    # The model itself is the authority: the path its hypervisor really takes.
    want, got = path_of(args["kind"], args["operation"]), actual["path"]
    where = f"{args['kind']} {args['operation']}"
    for i, layer in enumerate(got):
        if layer not in LAYERS:
            return f"{where}: {layer!r} is not a layer of the model; known: {', '.join(LAYERS)}"
        if i >= len(want):
            return f"{where}: the path ends at {want[-1]!r}; {layer!r} should not follow it"
        if layer != want[i]:
            return f"{where}: step {i + 1} should be {want[i]!r}, not {layer!r}: {WHY[want[i]]}"
    if len(got) < len(want):
        missing = want[len(got)]
        return f"{where}: the path stops too early; next comes {missing!r}: {WHY[missing]}"
    return None
