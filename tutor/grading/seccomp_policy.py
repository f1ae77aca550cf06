"""The system-call filter each grading child loads before it runs learner code.

An allow-list, not a deny-list: a child may compute (memory, its own signals, clocks), read the
read-only files of its sandbox and write to the descriptors it was given, and nothing else. Every
call not named here fails with ``EPERM``, so a kernel facility nobody thought of — today's or one
added next year — is closed by default. That matters for one class above all: **nothing a
submission does may outlive it or reach another submission**, so the list leaves out every call
that makes a kernel object with a life of its own (SysV shared memory, message queues and
semaphores; POSIX message queues; keyrings; inotify, fanotify and dnotify watches; file locks and
leases; POSIX timers), every call that names another process (signals, ``F_SETOWN``/``O_ASYNC``
and ``FIOSETOWN``, priorities, affinities, scheduling and I/O classes, rlimits, ``process_vm_*``,
``pidfd_*``, ``kcmp``, ``ptrace``), and every call that changes a file system (create, write,
rename, link, ``chmod``, ``utime``, ``sync``).

Calls that take a command are allowed per command. Those commands are C ``int``s but arrive as
64-bit registers, so each comparison masks the low 32 bits: a command with junk in the high half
must not slip past as "some other number" while the kernel reads it as the forbidden one.

``clone3`` fails with ``ENOSYS`` so glibc falls back to ``clone``, which is refused like every new
process or thread; learner code gets a normal Python exception with a message, not a silent kill.

Built with libseccomp through ``pyseccomp`` (ctypes). The zygote builds the filter once; each
forked child loads it with a single ``prctl`` call (``CompiledFilter``).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import termios
from typing import Any

ALLOWED = (
    # reading the sandbox's files (opening is allowed read-only, below)
    "read",
    "readv",
    "pread64",
    "preadv",
    "close",
    "close_range",
    "lseek",
    "fstat",
    "stat",
    "lstat",
    "newfstatat",
    "statx",
    "statfs",
    "fstatfs",
    "getdents",
    "getdents64",
    "readlink",
    "readlinkat",
    "access",
    "faccessat",
    "faccessat2",
    "getcwd",
    "chdir",
    "fchdir",
    # the descriptors it holds: its result pipe, /dev/null, pipes it makes for itself
    "write",
    "writev",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "poll",
    "ppoll",
    "select",
    "pselect6",
    # memory (its own; anonymous shared mappings die with it)
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "msync",
    # its own signals and timers (per process: they end with it)
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigsuspend",
    "rt_sigtimedwait",
    "sigaltstack",
    "pause",
    "alarm",
    "setitimer",
    "getitimer",
    "restart_syscall",
    # clocks and randomness
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "time",
    "times",
    "getrandom",
    # who and where it is (reading only)
    "getpid",
    "gettid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getgroups",
    "getresuid",
    "getresgid",
    "getpgrp",
    "getpgid",
    "getsid",
    "getrlimit",
    "getrusage",
    "getcpu",
    "sched_getaffinity",
    "sched_yield",
    "uname",
    # one thread, ending
    "futex",
    "set_robust_list",
    "exit",
    "exit_group",
)

# fcntl commands that only touch the calling process's own descriptor table; F_SETFL is allowed
# below without O_ASYNC (which would send SIGIO to whoever F_SETOWN named).
FCNTL_COMMANDS = (
    fcntl.F_DUPFD,
    fcntl.F_DUPFD_CLOEXEC,
    fcntl.F_GETFD,
    fcntl.F_SETFD,
    fcntl.F_GETFL,
)
# ioctl commands Python itself issues (isatty, terminal size, close-on-exec, bytes waiting).
IOCTL_COMMANDS = (
    termios.TCGETS,
    termios.TIOCGWINSZ,
    termios.FIONREAD,
    termios.FIOCLEX,
    termios.FIONCLEX,
)
# madvise advice about its own pages only (not MADV_MERGEABLE: page merging across processes is
# a timing channel; not the hwpoison or cold/pageout family).
MADVISE_ADVICE = (0, 1, 2, 3, 4, 8, 14, 15)  # NORMAL RANDOM SEQUENTIAL WILLNEED DONTNEED FREE
# HUGEPAGE NOHUGEPAGE
O_TMPFILE_BIT = 0o20000000
O_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND | O_TMPFILE_BIT
LOW32 = 0xFFFF_FFFF


def build() -> Any:
    """A ``pyseccomp.SyscallFilter`` ready to ``load()`` in a child."""
    import pyseccomp as seccomp

    def command(index: int, value: int) -> Any:
        return seccomp.Arg(index, seccomp.MASKED_EQ, LOW32, value)

    allow = seccomp.ALLOW
    rules = seccomp.SyscallFilter(seccomp.ERRNO(errno.EPERM))
    for name in ALLOWED:
        rules.add_rule(allow, name)
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    # open/openat read-only: no write, create, truncate, append or anonymous temporary file.
    rules.add_rule(allow, "open", seccomp.Arg(1, seccomp.MASKED_EQ, O_WRITE_FLAGS, 0))
    rules.add_rule(allow, "openat", seccomp.Arg(2, seccomp.MASKED_EQ, O_WRITE_FLAGS, 0))
    for cmd in FCNTL_COMMANDS:
        rules.add_rule(allow, "fcntl", command(1, cmd))
    rules.add_rule(
        allow, "fcntl", command(1, fcntl.F_SETFL), seccomp.Arg(2, seccomp.MASKED_EQ, os.O_ASYNC, 0)
    )
    for cmd in IOCTL_COMMANDS:
        rules.add_rule(allow, "ioctl", command(1, cmd))
    for advice in MADVISE_ADVICE:
        rules.add_rule(allow, "madvise", command(2, advice))
    # prlimit64(pid, resource, new, old): reading its own limits only.
    rules.add_rule(allow, "prlimit64", command(0, 0), seccomp.Arg(2, seccomp.EQ, 0))
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
