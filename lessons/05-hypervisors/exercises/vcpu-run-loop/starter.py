def run_vm(vcpu, devices):
    """Drive one vCPU the way a KVM user-space device model (QEMU's role) does."""
    while True:
        exit = vcpu.run()
        # exit.reason is "IO", "MMIO" or "HLT": handle each one here.
