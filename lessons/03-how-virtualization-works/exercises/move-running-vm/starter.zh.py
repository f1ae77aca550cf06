from tutor.sim import Guest


def move(guest, target, trace):
    """把一台正在运行的客户机迁移到宿主机 `target`，返回在那里运行的客户机。"""
    files = guest.files()  # 原来的虚拟机会停止运行吗？它的内存在这些文件里吗？
    # copy_files 把文件复制到另一台宿主机，参数依次是 files、source、target 和 trace
    return Guest.restore(files, trace=trace)  # 它在哪里运行？
