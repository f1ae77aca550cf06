"""Start a command (bubblewrap) in the pool's cgroup and in a fresh IPC namespace that can hold
no IPC object at all.

Run by the server as ``python -I -S ipc_namespace.py [--cgroup DIR] -- bwrap ...``, on the host
side, just before bubblewrap; it then *becomes* bubblewrap (``execv``), so bubblewrap keeps its
parent (``--die-with-parent``) and its descriptors.

Why a separate step: bubblewrap's own ``--unshare-ipc`` gives each sandbox a private IPC namespace
with the kernel's default limits (4,096 shared-memory segments, 32,000 message queues, …), and
every child a zygote forks shares it. The grading children's system-call filter already refuses
every SysV and POSIX IPC call; this makes the namespace itself empty and unfillable, so even a
call that slipped past the filter could not create an object: zero segments, queues and
semaphore sets, shared memory removed as soon as nobody has it attached. The limits live in the
namespace and cannot be set from inside the sandbox (``/proc/sys`` is not writable there), so
they are set here, in between.

* Server running as root: ``unshare(CLONE_NEWIPC)`` directly.
* Unprivileged server: ``unshare(CLONE_NEWUSER | CLONE_NEWIPC)`` mapping the server's own uid
  and gid to root in that user namespace, which owns the IPC namespace; bubblewrap then builds
  its own user namespace inside it as usual.

If neither works (user namespaces disabled), it says so on stderr and runs bubblewrap with
``--unshare-ipc``: the filter still refuses IPC, and the zygote reports the limits it sees, which
the server logs. Standard library only: it runs before anything else is imported.
"""

from __future__ import annotations

import ctypes
import os
import sys

CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
# Zero objects of every kind; shared memory destroyed when its last user detaches.
LOCKED = {
    "kernel/shmmni": "0",
    "kernel/shmall": "0",
    "kernel/shm_rmid_forced": "1",
    "kernel/msgmni": "0",
    "kernel/sem": "0 0 0 0",
    "fs/mqueue/queues_max": "0",
}


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _unshare(libc: ctypes.CDLL, flags: int) -> None:
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), f"unshare({flags:#x})")


def enter_cgroup(folder: str) -> None:
    """Move this process (and so bubblewrap and every grading process) into the pool's cgroup."""
    _write(os.path.join(folder, "cgroup.procs"), "0\n")


def enter_locked_namespace() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0:
        _unshare(libc, CLONE_NEWIPC)
    else:
        _unshare(libc, CLONE_NEWUSER | CLONE_NEWIPC)
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1\n")
        _write("/proc/self/gid_map", f"0 {gid} 1\n")
    for name, value in LOCKED.items():
        _write(f"/proc/sys/{name}", value)


def main(argv: list[str]) -> None:
    args = argv[1:]
    cgroup = None
    if args[:1] == ["--cgroup"]:
        cgroup, args = args[1], args[2:]
    if args[:1] != ["--"] or len(args) < 2:
        sys.exit("usage: ipc_namespace.py [--cgroup DIR] -- COMMAND ...")
    command = args[1:]
    if cgroup is not None:
        try:
            enter_cgroup(cgroup)
        except OSError as exc:
            sys.exit(f"cannot enter the grader's cgroup {cgroup}: {exc}")
    try:
        enter_locked_namespace()
    except OSError as exc:
        print(f"no locked IPC namespace ({exc}); using bubblewrap's own", file=sys.stderr)
        command = [command[0], "--unshare-ipc", *command[1:]]
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv)
