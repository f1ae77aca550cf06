from tutor.sim import ArchitectureMismatch, CapacityExceeded


def start(pool, vm, emulate):
    """在 pool 中启动 vm。返回 "virtualised"、"emulated" 或 "refused"。

    pool.place(vm) 把它放到一台同架构的宿主机上，否则抛出 ArchitectureMismatch
    （没有宿主机使用它的指令集）或 CapacityExceeded（没有宿主机还有空间）。
    emulate(vm) 在资源池的第一台宿主机上用 QEMU TCG 运行它。
    """
    try:
        pool.place(vm)
    except (ArchitectureMismatch, CapacityExceeded):
        raise  # 其中哪一种可以靠模拟解决？
    return "virtualised"
