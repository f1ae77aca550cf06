from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    vmx = next(content for name, content in files.items() if name.endswith(".vmx"))
    config = vmx["config"]
    disks = {}
    for disk, top in vmx["disk_files"].items():
        chain = []
        name = top
        while name is not None:  # from the top delta down to the base image
            chain.append(files[name])
            name = files[name]["parent"]
        blocks = {}
        for layer in reversed(chain):  # base first, so newer deltas win
            blocks.update({int(b): v for b, v in layer["blocks"].items()})
        disks[disk] = blocks
    memory = cpu = None
    vmss = files.get(config["name"] + ".vmss")
    if vmss is not None:
        memory = {int(p): v for p, v in vmss["memory"].items()}
        cpu = dict(vmss["cpu"])
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace, host=host)
