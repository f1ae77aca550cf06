# expect: pass host=... to Guest.restore
from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    vmx = next(c for n, c in files.items() if n.endswith(".vmx"))
    config = vmx["config"]
    disks = {}
    for disk, top in vmx["disk_files"].items():
        chain = []
        name = top
        while name is not None:
            chain.append(files[name])
            name = files[name]["parent"]
        blocks = {}
        for layer in reversed(chain):
            blocks.update({int(b): v for b, v in layer["blocks"].items()})
        disks[disk] = blocks
    vmss = files.get(config["name"] + ".vmss")
    memory = {int(p): v for p, v in vmss["memory"].items()} if vmss else None
    cpu = dict(vmss["cpu"]) if vmss else None
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace)
