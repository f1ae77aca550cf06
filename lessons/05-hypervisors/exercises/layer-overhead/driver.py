"""Runs one operation through the model and hands its events to the learner's overhead(); public.

The events come from ``Hypervisor.perform``. A case may say that this machine's layers cost
something other than the textbook table (``args["costs"]``); the learner then receives copies of
the events with those cycles, exactly as if the trace had been measured on that machine.
"""

import copy

from tutor.sim import LAYERS, Hypervisor, path_of
from tutor.sim.hypervisor import NATIVE_PATHS

WHY = {
    "vm_exit": "a native machine never traps out of a guest: the VM exit is pure virtualization "
    "cost",
    "hypervisor": "a native machine has no type 1 hypervisor handling the request",
    "vmm": "the type 2 VMM that catches the trap does not exist on a native machine",
    "world_switch": "the world switch from the VMM to the host OS is overhead of the hosted design",
    "host_vmm_driver": "the VMM's driver inside the host OS is there only for the hypervisor",
    "vmm_app": "the user-level program that performs the guest's I/O is hypervisor work",
    "kvm_module": "the kvm kernel module handling the exit is hypervisor work",
    "kvm_run_return": "returning from KVM_RUN to user space is overhead of KVM's design",
    "device_model": "the user-space device model (QEMU's role) emulates hardware: pure overhead",
    "host_syscall": "natively the guest kernel drives the device itself; a host system call is "
    "extra",
    "host_kernel": "the host kernel's work for the guest comes on top of the guest kernel's own",
    "host_driver": "the guest kernel already drove its (virtual) device; the host driver is extra",
}

NATIVE_WHY = {
    "disk": "the device itself is not virtualization overhead: a native machine waits for the "
    "disk too",
    "nic": "the device itself is not virtualization overhead: a native machine waits for the "
    "network card too",
    "guest_app": "the guest application runs on a native machine too: it is not overhead",
    "guest_kernel": "the guest kernel's own work happens on a native machine too: it is not "
    "overhead",
}


def measured_events(events, costs):
    """Copies of the model's events with this machine's costs; op.end carries the new total."""
    out = []
    total = 0
    for event in events:
        event = copy.deepcopy(event)
        if event["kind"] == "layer.enter" and event["dir"] == "down":
            event["cycles"] = int(costs.get(event["layer"], event["cycles"]))
            total += event["cycles"]
        if event["kind"] == "op.end":
            event["cycles"] = total
        out.append(event)
    return out


def run(submission, args, trace):
    Hypervisor(args["kind"], trace=trace).perform(args["operation"])
    events = measured_events(trace.events, args.get("costs", {}))
    result = submission.overhead(events, args["operation"])
    if not isinstance(result, dict):
        raise TypeError(f"overhead() must return a dict, not {type(result).__name__}")
    per_layer = result.get("per_layer")
    if not isinstance(per_layer, dict):
        raise TypeError("overhead()['per_layer'] must be a dict of layer name -> cycles")
    return {
        "per_layer": {str(k): v for k, v in per_layer.items()},
        "total": result.get("total"),
        "native": result.get("native"),
        "overhead": result.get("overhead"),
        "dominant": result.get("dominant"),
    }


def compare(args, expected, actual):
    where = f"{args['kind']} {args['operation']}"
    costs = args.get("costs", {})
    want, got = expected["per_layer"], actual["per_layer"]
    textbook = sum(LAYERS[layer].cycles for layer in path_of(args["kind"], args["operation"]))
    if actual["total"] != expected["total"]:
        if costs and actual["total"] == textbook:
            return (
                f"{where}: total is {actual['total']}, the textbook cost of this path, but on "
                f"this machine the trace measured {expected['total']}: read the cycles from the "
                "events, not from a table"
            )
        return (
            f"{where}: total is {actual['total']} but the request crossed layers worth "
            f"{expected['total']} cycles: add the cycles of every layer.enter event on the way "
            "down, native layers included (the op.end event carries the same sum)"
        )
    for layer in got:
        if layer in NATIVE_WHY:
            return f"{where}: per_layer lists {layer!r}, but {NATIVE_WHY[layer]}"
        if layer not in want:
            if layer in LAYERS:
                return f"{where}: per_layer lists {layer!r}, but this operation never crossed it"
            return f"{where}: {layer!r} is not a layer of the model; known: {', '.join(LAYERS)}"
    for layer, cycles in want.items():
        if layer not in got:
            return f"{where}: per_layer is missing {layer!r} ({cycles} cycles): {WHY[layer]}"
        if got[layer] != cycles:
            if layer in costs and got[layer] == LAYERS[layer].cycles:
                return (
                    f"{where}: per_layer[{layer!r}] is {got[layer]}, the textbook cost, but on "
                    f"this machine the trace measured {cycles}: read the cycles from the events, "
                    "not from a table"
                )
            return f"{where}: per_layer[{layer!r}] should be {cycles} cycles, not {got[layer]}"
    if actual["native"] != expected["native"]:
        native = ", ".join(NATIVE_PATHS[args["operation"]])
        return (
            f"{where}: native is {actual['native']}, not {expected['native']}: without a "
            f"hypervisor the same operation crosses only {native}; add what those layers cost "
            "in this trace"
        )
    if actual["overhead"] != expected["overhead"]:
        return (
            f"{where}: overhead is {actual['overhead']} but must be total - native = "
            f"{expected['total']} - {expected['native']} = {expected['overhead']}, which is "
            "also the sum of per_layer"
        )
    if actual["dominant"] != expected["dominant"]:
        dominant = expected["dominant"]
        chosen = actual["dominant"]
        if chosen in NATIVE_WHY:
            return f"{where}: dominant is {chosen!r}, but {NATIVE_WHY[chosen]}"
        return (
            f"{where}: dominant should be {dominant!r} ({want[dominant]} cycles), the "
            f"virtualization layer that costs most here, not {chosen!r}"
        )
    return None
