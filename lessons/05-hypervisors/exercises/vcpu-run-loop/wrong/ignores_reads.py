# expect: still waiting for the value
def run_vm(vcpu, devices):
    while True:
        exit = vcpu.run()
        if exit.reason == "HLT":
            return
        if exit.reason == "IO" and exit.direction == "out":
            devices.port_write(exit.port, exit.data)
        if exit.reason == "MMIO" and exit.is_write:
            devices.mmio_write(exit.addr, exit.data)
