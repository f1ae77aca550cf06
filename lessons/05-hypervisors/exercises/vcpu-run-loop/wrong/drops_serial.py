# expect: every OUT exit must reach devices.port_write
def run_vm(vcpu, devices):
    while True:
        exit = vcpu.run()
        if exit.reason == "HLT":
            return
        if exit.reason == "IO" and exit.direction == "in":
            vcpu.complete(devices.port_read(exit.port))
        elif exit.reason == "MMIO":
            if exit.is_write:
                devices.mmio_write(exit.addr, exit.data)
            else:
                vcpu.complete(devices.mmio_read(exit.addr))
