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
