"""The long-lived grader process inside bubblewrap: it forks one confined child per submission.

Runs in the sandbox only (started by ``tutor.grading.sandbox``), as root with nothing but
CAP_SETUID/CAP_SETGID, which it gives up at once by becoming uid/gid 65534. It talks to the
server over one SOCK_SEQPACKET socket:

* the server sends ``{"limits": {...}}`` with two file descriptors attached (SCM_RIGHTS): the read
  end of a request pipe and the write end of a result pipe;
* the zygote forks; the child reads the request, confines itself (rlimits, seccomp, not
  dumpable, death signal), runs the cases, writes the reply and exits;
* the zygote kills the child at the wall-clock limit, reaps it and sends back how it ended.

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
        problem = _self_test(libc, rules)
        if problem:
            ready = {"ready": False, "why": problem}
        ready["uid"] = os.getuid()
    except BaseException as exc:
        ready = {"ready": False, "why": f"{type(exc).__name__}: {exc}"}
    channel.send(json.dumps(ready).encode())
    if not ready["ready"]:
        return
    spare = _prefork(libc, rules, channel)
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
        pid, link = spare
        try:
            socket.send_fds(link, [message], fds)
        except OSError:  # the spare died (killed from outside): fork a fresh one
            _reap(pid)
            pid, link = _prefork(libc, rules, channel)
            socket.send_fds(link, [message], fds)
        link.close()
        for used in fds:
            os.close(used)
        # Fork the next child now, while this one runs, so no submission waits for a fork.
        spare = _prefork(libc, rules, channel)
        channel.send(json.dumps(_wait(pid, float(limits["wall_seconds"]))).encode())


def _prefork(libc: Any, rules: Any, channel: socket.socket) -> tuple[int, socket.socket]:
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
