from tutor.sim import Guest, VmFiles


def open_vm(files, host, trace):
    """在宿主机 `host` 上用虚拟机的文件打开它，返回 Guest。

    files：{文件名: 内容}，例如 "web.vmx"、"web-disk0.vmdk"、"web-disk0-000001.vmdk"、
    "web.vmss"（只有虚拟机被挂起时才有）。页号和块号是文本，和 JSON 里一样。
    """
    vmx = files["web.vmx"]  # 虚拟机总是叫 "web" 吗？
    config = vmx["config"]
    disks = {}
    for disk, top in vmx["disk_files"].items():
        disks[disk] = {}  # 这块磁盘保存着哪些块？（看它的文件，以及它的父文件）
    memory = cpu = None  # 被挂起的虚拟机还有一个 .vmss 文件
    return Guest.restore(VmFiles(config, disks, memory, cpu), trace=trace, host=host)
