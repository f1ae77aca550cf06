def run_vm(vcpu, devices):
    """像 KVM 的用户态设备模型（QEMU 扮演的角色）那样驱动一个 vCPU。"""
    while True:
        exit = vcpu.run()
        # exit.reason 是 "IO"、"MMIO" 或 "HLT"：在这里分别处理每一种。
