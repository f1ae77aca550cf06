# expect: answered with the wrong value
def run_vm(vcpu, devices):
    while True:
        exit = vcpu.run()
        if exit.reason == "HLT":
            return
        if exit.reason == "IO":
            if exit.direction == "out":
                devices.port_write(exit.port, exit.data)
            else:
                vcpu.complete(0)
        elif exit.reason == "MMIO":
            if exit.is_write:
                devices.mmio_write(exit.addr, exit.data)
            else:
                vcpu.complete(devices.mmio_read(exit.addr))
