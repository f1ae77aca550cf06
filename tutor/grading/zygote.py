"""The long-lived grader process inside bubblewrap: it forks one confined child per submission.

Runs in the sandbox only (started by ``tutor.grading.sandbox``), as root with nothing but
CAP_SETUID/CAP_SETGID, which it gives up at once by becoming uid/gid 65534. It talks to the
server over one SOCK_SEQPACKET socket:

* the server sends ``{"limits": {...}}`` with two file descriptors attached (SCM_RIGHTS): the read
  end of a request pipe and the write end of a result pipe;
* the zygote hands them to its spare child (forked earlier, waiting), after checking that the
  spare is healthy (not stopped, traced, reniced, rescheduled or re-pinned; otherwise it forks a
  fresh one); the child reads the request, confines itself (rlimits, seccomp, not dumpable,
  death signal), runs the cases, writes the reply and exits;
* the zygote kills the child at the wall-clock limit, reaps it, sends back how it ended, and only
  then forks the spare for the next submission. So while learner code runs, no process that will
  run another learner's code exists in this sandbox for it to reach.

The zygote itself never reads a request or a result, so no submission ever sits in its memory
where a later child (a copy of that memory) could find it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import json
import os
import resource
import select
import signal
import socket
import sys
import time
from typing import Any

NOBODY = 65534
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
CHILD_FDS = (3, 4)  # request, result
MAX_REQUEST = 64 * 1024 * 1024
EXIT_OK = 0
EXIT_SETUP = 121
Spare = tuple[int, socket.socket]  # a forked child waiting for work, and the link to it
BROKEN = json.dumps(
    {
        "submission_error": {
            "en": "your code broke the grader (builtins or json replaced)",
            "zh": "你的代码破坏了评测程序（替换了 builtins 或 json）",
        }
    }
).encode()


def _prctl(libc: Any, option: int, value: int) -> None:
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _load_filter() -> Any:
    # pyseccomp finds its libraries with ctypes.util.find_library, which would run ldconfig:
    # there is none in the sandbox, so name the sonames directly.
    import ctypes.util

    find = ctypes.util.find_library
    names = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}
    ctypes.util.find_library = lambda name: names.get(name) or find(name)
    try:
        from .seccomp_policy import CompiledFilter, build

        return CompiledFilter(build())
    finally:
        ctypes.util.find_library = find


def _read_all(fd: int) -> bytes:
    chunks = []
    size = 0
    while chunk := os.read(fd, 1 << 16):
        size += len(chunk)
        if size > MAX_REQUEST:
            raise ValueError("request too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _child(libc: Any, rules: Any, limits: dict[str, Any], req: int, res: int) -> None:
    """In the forked child; never returns."""
    try:
        _prctl(libc, PR_SET_PDEATHSIG, signal.SIGKILL)
        _prctl(libc, PR_SET_DUMPABLE, 0)
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        high_req = fcntl.fcntl(req, fcntl.F_DUPFD, 100)
        high_res = fcntl.fcntl(res, fcntl.F_DUPFD, 100)
        os.dup2(high_req, CHILD_FDS[0])
        os.dup2(high_res, CHILD_FDS[1])
        os.closerange(CHILD_FDS[1] + 1, 1 << 16)
        request = json.loads(_read_all(CHILD_FDS[0]))
        os.close(CHILD_FDS[0])
        request["memory_mb"] = int(limits["memory_mb"])
        memory = int(limits["memory_mb"]) * 1024 * 1024
        cpu = int(limits["cpu_seconds"])
        files = int(limits.get("open_files", 32))
        for kind, value in (
            (resource.RLIMIT_CPU, (cpu, cpu + 1)),
            (resource.RLIMIT_AS, (memory, memory)),
            (resource.RLIMIT_FSIZE, (0, 0)),
            (resource.RLIMIT_NOFILE, (files, files)),
            (resource.RLIMIT_NPROC, (0, 0)),
            (resource.RLIMIT_CORE, (0, 0)),
            (resource.RLIMIT_MEMLOCK, (0, 0)),
            (resource.RLIMIT_MSGQUEUE, (0, 0)),
        ):
            resource.setrlimit(kind, value)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        sys.setrecursionlimit(2_000)
        from .child import handle

        rules.load()
    except BaseException:
        os._exit(EXIT_SETUP)
    # From here on learner code runs, confined. Nothing may unwind into the zygote's loop.
    try:
        try:
            reply = handle(request)
        except BaseException:
            reply = BROKEN
        view = memoryview(reply)
        while view:
            view = view[os.write(CHILD_FDS[1], view) :]
    except BaseException:
        os._exit(EXIT_SETUP + 1)
    finally:
        os._exit(EXIT_OK)


def _wait(pid: int, wall: float) -> dict[str, Any]:
    started = time.monotonic()
    pidfd = os.pidfd_open(pid)
    timed_out = False
    try:
        ready, _, _ = select.select([pidfd], [], [], wall)
        if not ready:
            timed_out = True
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    finally:
        os.close(pidfd)
    _, status, usage = os.wait4(pid, 0)
    reply: dict[str, Any] = {
        "pid": pid,
        "timeout": timed_out,
        "wall": time.monotonic() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
    }
    if os.WIFSIGNALED(status):
        reply["signal"] = os.WTERMSIG(status)
    else:
        reply["exit"] = os.WEXITSTATUS(status)
    return reply


def _self_test(libc: Any, rules: Any) -> str:
    """Prove the filter loads and bites before taking any work."""
    pid = os.fork()
    if pid == 0:
        try:
            _prctl(libc, PR_SET_DUMPABLE, 0)
            rules.load()
            try:
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            except PermissionError:
                os._exit(0)
            os._exit(2)
        except BaseException:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return ""
    return f"the seccomp filter did not load or did not block socket() (status {status})"


def _shared_writable_mappings() -> str:
    """Every child is a copy of this process: a writable shared mapping here would be one page
    all of them could write and read, a channel from one submission to the next."""
    with open("/proc/self/maps") as maps:
        shared = [line.strip() for line in maps if line.split()[1][1::2] == "ws"]
    return f"the grader process has writable shared memory: {shared[:3]}" if shared else ""


IPC_LIMITS = (
    "kernel/shmmni",
    "kernel/shmall",
    "kernel/shm_rmid_forced",
    "kernel/msgmni",
    "kernel/sem",
    "fs/mqueue/queues_max",
)


def _ipc_limits() -> dict[str, str]:
    """The IPC namespace's limits as this sandbox sees them (the server logs them)."""
    found = {}
    for name in IPC_LIMITS:
        try:
            with open(f"/proc/sys/{name}") as value:
                found[name] = " ".join(value.read().split())
        except OSError:
            found[name] = "unreadable"
    return found


def main(fd: int) -> None:
    channel = socket.socket(fileno=fd)
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    ready: dict[str, Any] = {"ready": True}
    try:
        if os.getuid() == 0:  # privileged bubblewrap: become nobody (a user namespace did it)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        _prctl(libc, PR_SET_NO_NEW_PRIVS, 1)
        _prctl(libc, PR_SET_DUMPABLE, 0)
        _prctl(libc, PR_SET_PDEATHSIG, signal.SIGKILL)
        import tutor.sim  # noqa: F401  (preloaded, so every child starts warm)

        from . import child  # noqa: F401

        rules = _load_filter()
        # Everything imported so far is shared with every child; keep the collector from
        # walking (and so copying) those pages in each child.
        gc.collect()
        gc.freeze()
        problem = _self_test(libc, rules) or _shared_writable_mappings()
        if problem:
            ready = {"ready": False, "why": problem}
        ready["uid"] = os.getuid()
        ready["ipc"] = _ipc_limits()
    except BaseException as exc:
        ready = {"ready": False, "why": f"{type(exc).__name__}: {exc}"}
    channel.send(json.dumps(ready).encode())
    if not ready["ready"]:
        return
    spare: Spare | None = _prefork(libc, rules, channel)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 65536, 2)
        except (ConnectionError, OSError):
            return
        if not message:
            return
        if len(fds) != 2:
            for extra in fds:
                os.close(extra)
            channel.send(json.dumps({"error": "expected two file descriptors"}).encode())
            continue
        limits = json.loads(message)["limits"]
        pid = _hand_over(spare, message, fds, libc, rules, channel)
        spare = None
        for used in fds:
            os.close(used)
        status = _wait(pid, float(limits["wall_seconds"]))
        channel.send(json.dumps(status).encode())
        # Only now, with that child reaped, fork the one for the next submission: no process that
        # will run a learner's code ever exists while another learner's code runs.
        spare = _prefork(libc, rules, channel)


def _hand_over(
    spare: Spare | None, message: bytes, fds: list[int], libc: Any, rules: Any, channel: Any
) -> int:
    """Give the request's pipes to a healthy spare, forking a fresh one if it is not."""
    for _ in range(3):
        if spare is None:
            spare = _prefork(libc, rules, channel)
        pid, link = spare
        try:
            if _healthy(pid):
                socket.send_fds(link, [message], fds)
                return pid
        except OSError:  # it died (killed from outside)
            pass
        finally:
            link.close()
        _reap(pid)
        spare = None
    raise RuntimeError("could not fork a healthy grading child")


def _healthy(pid: int) -> bool:
    """The spare is waiting for work as it was forked: not stopped or traced, no signal pending,
    and scheduled like this zygote (same nice value, policy and CPUs). It has run nothing, so any
    difference was done to it from outside."""
    try:
        state, pending, traced, scheduling = _process(str(pid))
        own = _process("self")[3]
    except (OSError, ValueError, IndexError):
        return False
    return state in (b"S", b"R", b"D") and not pending and not traced and scheduling == own


def _process(pid: str) -> tuple[bytes, bool, bool, tuple[bytes, ...]]:
    """(state, a signal pending, traced, (nice, policy, allowed CPUs)) from ``/proc``."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    with open(f"/proc/{pid}/status", "rb") as status:
        lines = dict(line.split(b":", 1) for line in status.read().splitlines() if b":" in line)
    pending = any(int(lines[key].strip(), 16) for key in (b"SigPnd", b"ShdPnd"))
    traced = lines[b"TracerPid"].strip() != b"0"
    return fields[0], pending, traced, (fields[16], fields[38], lines[b"Cpus_allowed_list"].strip())


def _prefork(libc: Any, rules: Any, channel: socket.socket) -> Spare:
    """A child that waits, confined to nothing yet, for its request's two pipes."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        try:
            channel.close()
            ours.close()
            _prctl(libc, PR_SET_PDEATHSIG, signal.SIGKILL)
            message, fds, _, _ = socket.recv_fds(theirs, 65536, 2)
            theirs.close()
            limits = json.loads(message)["limits"]
            req, res = fds
        except BaseException:
            os._exit(EXIT_SETUP)
        _child(libc, rules, limits, req, res)
    theirs.close()
    return pid, ours


def _reap(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
