# expect: so that a newer delta overrides what its parent holds
from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    vmx = next(c for n, c in files.items() if n.endswith(".vmx"))
    config = vmx["config"]
    disks = {}
    for disk, top in vmx["disk_files"].items():
        blocks = {}
        name = top
        while name is not None:  # Misconception: top first, then the parents over it.
            blocks.update({int(b): v for b, v in files[name]["blocks"].items()})
            name = files[name]["parent"]
        disks[disk] = blocks
    vmss = files.get(config["name"] + ".vmss")
    memory = {int(p): v for p, v in vmss["memory"].items()} if vmss else None
    cpu = dict(vmss["cpu"]) if vmss else None
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace, host=host)
