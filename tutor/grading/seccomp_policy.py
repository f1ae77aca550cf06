"""The system-call filter each grading child loads before it runs learner code.

Default allow, deny what grading never needs: sockets, exec, new processes *and* threads (any
``clone``), ptrace and reading other processes' memory, signalling anything, namespaces, mounts,
kernel keyrings, BPF, io_uring, raising resource limits, making itself dumpable again, and
opening any file for writing. Denied calls fail with ``EPERM`` (``ENOSYS`` for ``clone3`` so
glibc falls back to ``clone``, which is denied too), so learner code gets a normal Python
exception with a message rather than a silent kill.

Built with libseccomp through ``pyseccomp`` (ctypes). The zygote builds the filter once; each
forked child calls ``load()`` (a single ``seccomp(2)`` call).
"""

from __future__ import annotations

import ctypes
import errno
import os
from typing import Any

DENIED = (
    # network
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    # new programs and processes (and threads: clone is denied whatever its flags)
    "execve",
    "execveat",
    "fork",
    "vfork",
    "clone",
    # other processes
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kill",
    "tkill",
    "tgkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    "kcmp",
    "setpgid",
    "setsid",
    # the kernel's bigger attack surface
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_by_handle_at",
    "name_to_handle_at",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "setrlimit",
    "personality",
    "mknod",
    "mknodat",
    "memfd_create",
    "openat2",
    "creat",
)
O_WRITE_FLAGS = (os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_TRUNC, os.O_APPEND)
PR_SET_DUMPABLE = 4


def build() -> Any:
    """A ``pyseccomp.SyscallFilter`` ready to ``load()`` in a child."""
    import pyseccomp as seccomp

    deny = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED:
        rules.add_rule(deny, name)
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    # prlimit64(pid, resource, new, old): reading limits is fine, setting any is not.
    rules.add_rule(deny, "prlimit64", seccomp.Arg(2, seccomp.NE, 0))
    rules.add_rule(deny, "prctl", seccomp.Arg(0, seccomp.EQ, PR_SET_DUMPABLE))
    for flag in O_WRITE_FLAGS:
        rules.add_rule(deny, "open", seccomp.Arg(1, seccomp.MASKED_EQ, flag, flag))
        rules.add_rule(deny, "openat", seccomp.Arg(2, seccomp.MASKED_EQ, flag, flag))
    return rules


class SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    )


class SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter)))


PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


class CompiledFilter:
    """The filter as raw BPF, compiled once by libseccomp; ``load()`` is one ``prctl`` call.

    (libseccomp's own ``seccomp_load`` regenerates the program every time, which costs more
    than the rest of a child's set-up.)
    """

    def __init__(self, rules: Any) -> None:
        read_fd, write_fd = os.pipe()
        try:
            with os.fdopen(write_fd, "wb", closefd=False) as sink:
                rules.export_bpf(sink)
            os.close(write_fd)
            write_fd = -1
            program = b""
            while chunk := os.read(read_fd, 65536):
                program += chunk
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        count = len(program) // ctypes.sizeof(SockFilter)
        if count == 0 or len(program) % ctypes.sizeof(SockFilter):
            raise RuntimeError("libseccomp exported an empty or truncated filter")
        self.instructions = (SockFilter * count).from_buffer_copy(program)
        self.program = SockFprog(count, self.instructions)
        self.libc = ctypes.CDLL("libc.so.6", use_errno=True)

    def load(self) -> None:
        if self.libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if self.libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.program), 0, 0):
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
