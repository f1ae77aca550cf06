from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    """Open a VM from its files on `host` and return the Guest.

    files: {file name: content}, e.g. "web.vmx", "web-disk0.vmdk", "web-disk0-000001.vmdk",
    "web.vmss" (only if the VM was suspended). Page and block numbers are text, as in JSON.
    """
    vmx = files["web.vmx"]  # is the VM always called "web"?
    config = vmx["config"]
    disks = {}
    for disk, top in vmx["disk_files"].items():
        disks[disk] = {}  # which blocks does this disk hold? (look at its file, and its parent)
    memory = cpu = None  # a suspended VM also has a .vmss file
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace, host=host)
