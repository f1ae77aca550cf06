# expect: the other blocks are stored in its parent
from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    vmx = next(c for n, c in files.items() if n.endswith(".vmx"))
    config = vmx["config"]
    # Misconception: the file the .vmx names is the whole disk.
    disks = {d: {int(b): v for b, v in files[top]["blocks"].items()} for d, top in vmx["disk_files"].items()}
    vmss = files.get(config["name"] + ".vmss")
    memory = {int(p): v for p, v in vmss["memory"].items()} if vmss else None
    cpu = dict(vmss["cpu"]) if vmss else None
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace, host=host)
