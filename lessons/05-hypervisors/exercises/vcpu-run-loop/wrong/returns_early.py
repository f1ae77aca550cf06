# expect: returned before the guest halted
def run_vm(vcpu, devices):
    exit = vcpu.run()
    if exit.reason == "IO" and exit.direction == "out":
        devices.port_write(exit.port, exit.data)
