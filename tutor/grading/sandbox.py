"""The production runner: a pool of long-lived grader processes inside bubblewrap.

Each pool member is a *zygote* (``tutor.grading.zygote``) started in its own bubblewrap sandbox:

* new PID, network, IPC, UTS and mount namespaces; no network at all (only a loopback that is
  down); a new session (no terminal to inject into); dies with the server;
* a read-only root that holds only ``/usr/lib`` (libc, libseccomp), the Python runtime (its
  ``site-packages`` hidden under an empty tmpfs) and a private, read-only staging directory with
  the pure half of ``tutor`` (``tutor.sim`` and the harness/protocol/child files); not ``/root``,
  not the project folder, not ``lessons/``, not ``instance/``, not the host's ``/tmp`` or home;
  ``/tmp`` is an empty tmpfs remounted read-only; ``/proc`` shows the sandbox's processes only;
* all capabilities dropped (the zygote keeps CAP_SETUID/CAP_SETGID only long enough to become
  uid/gid 65534 when the server runs as root; otherwise a user namespace maps it to 65534).

For each submission the zygote forks a child that sets rlimits and loads a seccomp filter
(``seccomp_policy``) before it runs learner code; the zygote kills it at the wall-clock limit.
The request and the reply travel over two pipes created here for that submission only and handed
to the zygote as file descriptors, so the zygote never holds anyone's code or results.
"""

from __future__ import annotations

import atexit
import compileall
import contextlib
import fcntl
import json
import logging
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..pure import PURE_SOURCES
from .ipc_namespace import LOCKED
from .limits import Limits
from .pool_memory import CgroupUnavailable, PoolMemory, plan
from .protocol import Case, RunOutcome
from .runner import (
    GradingLost,
    RunnerFailure,
    cpu_failure,
    decode_reply,
    encode_request,
    exit_failure,
    wall_clock_failure,
)

log = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
STAGED = (
    *PURE_SOURCES,
    "tutor/grading/child.py",
    "tutor/grading/zygote.py",
    "tutor/grading/seccomp_policy.py",
)
INSIDE = "/grader"
STAGE_PREFIX = "virttutor-grader-"
BOOT = (
    "import sys; sys.path.insert(0, '/grader'); from tutor.grading.zygote import main; "
    "main(int(sys.argv[1]))"
)
MAX_RESULT_BYTES = 8 * 1024 * 1024
START_TIMEOUT = 15.0
SLACK = 5.0  # seconds beyond the wall limit before the server gives up on a zygote


class SandboxUnavailable(Exception):
    """The sandbox cannot be set up here; the message says exactly why."""


class ZygoteLost(Exception):
    """A pool member stopped answering (killed, crashed); it is replaced."""


def python_runtime() -> tuple[Path, Path]:
    """The real interpreter (not a venv's symlink) and the prefix that holds its stdlib."""
    return Path(os.path.realpath(sys.executable)), Path(os.path.realpath(sys.base_prefix))


def stage() -> Path:
    """Copy what the child needs into a private directory the sandbox binds read-only."""
    _remove_stale_stages()
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
    try:
        for pattern in STAGED:
            for path in sorted(PACKAGE_ROOT.glob(pattern)):
                target = folder / path.relative_to(PACKAGE_ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        try:
            import pyseccomp
        except ImportError:
            raise SandboxUnavailable(
                "the Python package pyseccomp is not installed (pip install pyseccomp); the "
                "grader needs it to load its system-call filter"
            ) from None
        shutil.copyfile(str(pyseccomp.__file__), folder / "pyseccomp.py")
        compileall.compile_dir(str(folder), quiet=2)
        for path in folder.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        folder.chmod(0o755)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _remove_stale_stages() -> None:
    """Staging folders of server processes that died without cleaning up (SIGKILL)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{STAGE_PREFIX}*-*"):
        owner = folder.name.removeprefix(STAGE_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def bwrap_command(staged: Path, fd: int, cgroup: Path | None = None) -> list[str]:
    """bubblewrap's command line, started through ``ipc_namespace`` (the pool's cgroup, an IPC
    namespace that can hold nothing)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed (apt-get install bubblewrap): learner code cannot be "
            "confined, so the server will not grade it"
        )
    executable, prefix = python_runtime()
    command = [str(executable), "-I", "-S", str(Path(__file__).with_name("ipc_namespace.py"))]
    if cgroup is not None:
        command += ["--cgroup", str(cgroup)]
    command += ["--", bwrap, "--unshare-pid", "--unshare-net", "--unshare-uts"]
    command += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if os.geteuid() == 0:
        # Privileged bwrap: no user namespace, so the zygote's setuid(65534) is a real uid on the
        # host (RLIMIT_NPROC applies, nothing in the sandbox is root).
        command += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        command += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
    command += ["--clearenv", "--setenv", "LANG", "C.UTF-8", "--hostname", "grader"]
    # Shared libraries only (libc, libseccomp, what the stdlib's extension modules link to): no
    # /usr/bin, /usr/share or /usr/local, and no /etc at all.
    command += ["--perms", "0755", "--dir", "/usr"]
    for libs in ("/usr/lib", "/usr/lib64", "/usr/lib32"):
        if Path(libs).is_dir() and not Path(libs).is_symlink():
            command += ["--ro-bind", libs, libs]
    for top in ("lib", "lib64", "lib32", "bin", "sbin"):
        host = Path("/") / top
        if host.is_symlink():
            command += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            command += ["--ro-bind", str(host), str(host)]
    if not prefix.is_relative_to("/usr/lib"):
        for parent in reversed(prefix.parents[:-1]):  # e.g. /root: traversable, nothing else
            command += ["--perms", "0755", "--dir", str(parent)]
        command += ["--ro-bind", str(prefix), str(prefix)]
        for site in prefix.glob("lib/python3*/site-packages"):
            command += ["--tmpfs", str(site), "--remount-ro", str(site)]
    if not executable.is_relative_to(prefix):
        command += ["--ro-bind", str(executable), str(executable)]
    command += ["--ro-bind", str(staged), INSIDE, "--proc", "/proc"]
    command += ["--dev", "/dev", "--remount-ro", "/dev"]
    command += ["--tmpfs", "/tmp", "--remount-ro", "/tmp", "--chdir", "/tmp"]
    command += ["--remount-ro", "/", "--", str(executable), "-I", "-S", "-B", "-c", BOOT, str(fd)]
    return command


_spawn_requests: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _spawner_loop() -> None:
    while True:
        make, future = _spawn_requests.get()
        try:
            future.set_result(make())
        except BaseException as exc:
            future.set_exception(exc)


def _spawn(make: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """Start a process from one thread that lives as long as the server.

    bubblewrap's --die-with-parent is PR_SET_PDEATHSIG, which fires when the *thread* that
    forked it ends: a zygote started from a request thread would die with that request.
    """
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_spawner_loop, name="grader-spawner", daemon=True)
            _spawner.start()
    future: Future[subprocess.Popen[bytes]] = Future()
    _spawn_requests.put((make, future))
    return future.result()


class Zygote:
    """One sandboxed grader process and the socket to it."""

    def __init__(self, staged: Path, cgroup: Path | None = None) -> None:
        self.staged = staged
        self.cgroup = cgroup
        self.ipc: dict[str, str] = {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.channel: socket.socket | None = None
        self.stderr: Any = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the zygote)
        command = bwrap_command(self.staged, theirs.fileno(), self.cgroup)
        try:
            self.proc = _spawn(
                lambda: subprocess.Popen(
                    command,
                    pass_fds=(theirs.fileno(),),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=self.stderr,
                    env={"LANG": "C.UTF-8"},
                    start_new_session=True,
                )
            )
        finally:
            theirs.close()
        self.channel = ours
        ours.settimeout(START_TIMEOUT)
        try:
            hello = ours.recv(65536)
        except (TimeoutError, OSError):
            hello = b""
        ready = json.loads(hello) if hello else {"ready": False, "why": "no answer"}
        if not ready.get("ready"):
            why = str(ready.get("why", "unknown"))
            self.close()
            raise SandboxUnavailable(f"the grader sandbox did not start: {why}{self._errors()}")
        seen = ready.get("ipc")
        self.ipc = {str(k): str(v) for k, v in seen.items()} if isinstance(seen, dict) else {}

    def _errors(self) -> str:
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        text = self.stderr.read(4000).decode("utf-8", "replace").strip()
        return f" (bubblewrap said: {text})" if text else ""

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.proc is not None:
            if self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def run(self, request: bytes, limits: Limits) -> tuple[dict[str, Any], bytes, bool]:
        """Send one request; returns (how the child ended, its reply, reply overflowed)."""
        if not self.alive or self.channel is None:
            raise ZygoteLost("the grader process is not running")
        req_r, req_w = os.pipe2(os.O_CLOEXEC)
        res_r, res_w = os.pipe2(os.O_CLOEXEC)
        writer = None
        try:
            try:
                fcntl.fcntl(req_w, fcntl.F_SETPIPE_SZ, 1 << 20)
                capacity = fcntl.fcntl(req_w, fcntl.F_GETPIPE_SZ)
            except OSError:
                capacity = 65536
            if len(request) <= capacity:
                _write_all(req_w, request)
                os.close(req_w)
            else:
                writer = threading.Thread(target=_write_and_close, args=(req_w, request))
                writer.start()
            header = json.dumps({"limits": asdict(limits)}).encode()
            try:
                socket.send_fds(self.channel, [header], [req_r, res_w])
            except OSError as exc:
                raise ZygoteLost(f"cannot reach the grader process: {exc}") from None
        finally:
            os.close(req_r)
            os.close(res_w)
        deadline = time.monotonic() + limits.wall_seconds + SLACK
        raw, overflow = _read_capped(res_r, deadline)
        if writer is not None:
            writer.join(timeout=1)
        self.channel.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            answer = self.channel.recv(65536)
        except (TimeoutError, OSError):
            answer = b""
        if not answer:
            raise ZygoteLost("the grader process stopped answering")
        return json.loads(answer), raw, overflow


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_and_close(fd: int, data: bytes) -> None:
    try:
        _write_all(fd, data)
    except OSError:  # the child died before reading it all
        pass
    finally:
        os.close(fd)


def _read_capped(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", False
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), False
            size += len(chunk)
            if size > MAX_RESULT_BYTES:
                return b"", True  # closing our end kills the child with SIGPIPE
            chunks.append(chunk)
    finally:
        os.close(fd)


class SandboxPool:
    """``size`` zygotes; a caller borrows one for one submission. Lost zygotes are replaced."""

    def __init__(
        self, size: int, child_memory_mb: int = 512, cgroup_parent: str | None = None
    ) -> None:
        self.size = size
        self.child_memory_mb = child_memory_mb
        self.cgroup_parent = cgroup_parent
        self.memory: PoolMemory | None = None
        self.staged: Path | None = None
        self.members: list[Zygote] = []
        self.idle: queue.Queue[Zygote] = queue.Queue()
        self.lock = threading.Lock()
        self.started = False

    def start(self) -> None:
        with self.lock:
            if self.started:
                return
            if not sys.platform.startswith("linux"):
                raise SandboxUnavailable("the grader sandbox needs Linux (bubblewrap, seccomp)")
            try:
                self.memory = plan(self.size, self.child_memory_mb, self.cgroup_parent)
            except CgroupUnavailable as exc:
                raise SandboxUnavailable(str(exc)) from None
            self.staged = stage()
            try:
                for _ in range(self.size):
                    zygote = Zygote(self.staged, self.memory.cgroup)
                    zygote.start()
                    self.members.append(zygote)
                    self.idle.put(zygote)
            except BaseException:
                self._close_members()
                raise
            self.started = True
            log.info("%s", self.memory.description)
            self._log_ipc(self.members[0].ipc)

    @staticmethod
    def _log_ipc(seen: dict[str, str]) -> None:
        if ipc_locked(seen):
            log.info("grader IPC namespaces hold no objects: %s", seen)
        else:
            log.warning(
                "grader IPC namespaces could not be locked (limits %s); the system-call filter "
                "still refuses every IPC call",
                seen,
            )

    def _close_members(self) -> None:
        for zygote in self.members:
            zygote.close()
        self.members.clear()
        if self.memory is not None:
            self.memory.release()
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)
            self.staged = None

    def close(self) -> None:
        with self.lock:
            self._close_members()
            self.started = False

    def pids(self) -> list[int]:
        """Process ids of the bubblewrap processes (for tests and monitoring)."""
        return [z.proc.pid for z in self.members if z.proc is not None]

    def run(self, request: bytes, limits: Limits) -> tuple[dict[str, Any], bytes, bool]:
        zygote = self.idle.get()
        try:
            if not zygote.alive:
                zygote.close()
                zygote.start()
            return zygote.run(request, limits)
        except ZygoteLost:
            log.warning("a grader process was lost; starting a new one")
            zygote.close()
            try:
                zygote.start()
            except SandboxUnavailable:
                log.exception("could not restart a grader process")
            raise
        finally:
            self.idle.put(zygote)


def ipc_locked(seen: dict[str, str]) -> bool:
    """The zygote saw the limits ``ipc_namespace`` sets: no object of any kind can exist."""
    return all(seen.get(name) == value for name, value in LOCKED.items())


_shared: dict[tuple[int, int, str | None], SandboxPool] = {}
_shared_lock = threading.Lock()


def shared_pool(
    size: int, child_memory_mb: int = 512, cgroup_parent: str | None = None
) -> SandboxPool:
    """One started pool per set-up per server process (many apps in one test run share it)."""
    key = (size, child_memory_mb, cgroup_parent)
    with _shared_lock:
        pool = _shared.get(key)
        if pool is None:
            pool = SandboxPool(size, child_memory_mb, cgroup_parent)
            pool.start()
            _shared[key] = pool
        return pool


@atexit.register
def _close_shared() -> None:
    for pool in _shared.values():
        pool.close()


SIGNALS = {
    signal.SIGSEGV: "a segmentation fault (very deep recursion, or ctypes?)",
    signal.SIGABRT: "an abort",
    signal.SIGBUS: "a bus error",
    signal.SIGILL: "an illegal instruction",
    signal.SIGFPE: "a floating-point exception",
    signal.SIGSYS: "a forbidden system call",
}
SIGNALS_ZH = {
    signal.SIGSEGV: "段错误（递归太深，还是用了 ctypes？）",
    signal.SIGABRT: "中止（abort）",
    signal.SIGBUS: "总线错误",
    signal.SIGILL: "非法指令",
    signal.SIGFPE: "浮点异常",
    signal.SIGSYS: "被禁止的系统调用",
}
LOST_ZH = "这次提交被标记为出错：请重新提交"


def interpret(
    status: dict[str, Any], raw: bytes, overflow: bool, limits: Limits, cases: list[Case]
) -> list[RunOutcome]:
    """How the child ended, in words a learner can act on; outcomes only from a clean exit."""
    if status.get("timeout"):
        raise wall_clock_failure(limits)
    sig = status.get("signal")
    cpu = float(status.get("cpu", 0))
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= limits.cpu_seconds):
        raise cpu_failure(limits)
    if overflow:
        raise RunnerFailure(
            "your code produced more than 8 MB of results; return less",
            zh="你的代码产生了超过 8 MB 的结果；请返回少一些",
        )
    if sig == signal.SIGKILL:
        raise GradingLost(
            "the grading process was killed before it finished (by the server or for using too "
            "much memory); this submission is marked as errored: submit again",
            zh="评测进程在完成之前被结束了（被服务器结束，或者因为占用内存过多）；" + LOST_ZH,
        )
    if sig is not None:
        name = SIGNALS.get(sig, f"signal {sig}")
        name_zh = SIGNALS_ZH.get(sig, f"信号 {sig}")
        raise RunnerFailure(
            f"your code crashed the grading process with {name}",
            zh=f"你的代码使评测进程因{name_zh}而崩溃",
        )
    if status.get("exit") == 121:
        raise RunnerFailure(
            "the grader could not confine your code; it was not run",
            zh="评测程序无法把你的代码限制在沙箱中，因此没有运行它",
        )
    if status.get("exit") != 0 or not raw:
        raise exit_failure(status.get("exit"))
    return decode_reply(raw, cases)


class SandboxRunner:
    """The ``Runner`` for learner code in course mode."""

    def __init__(self, pool: SandboxPool) -> None:
        self.pool = pool

    def run(self, code: str, driver: str, cases: list[Case], limits: Limits) -> list[RunOutcome]:
        request = encode_request(code, driver, cases, limits)
        try:
            status, raw, overflow = self.pool.run(request, limits)
        except ZygoteLost as exc:
            raise GradingLost(
                f"the grader process was lost while running your code ({exc}); this submission "
                "is marked as errored: submit again",
                zh=f"运行你的代码时评测进程丢失了（{exc}）；" + LOST_ZH,
            ) from None
        return interpret(status, raw, overflow, limits, cases)


class UnavailableRunner:
    """Stands in when the sandbox cannot be set up: refuses, saying why."""

    def __init__(self, why: str) -> None:
        self.why = why

    def run(self, code: str, driver: str, cases: list[Case], limits: Limits) -> list[RunOutcome]:
        raise RunnerFailure(
            f"the server cannot grade learner code safely: {self.why}",
            zh=f"服务器无法安全地评测学习者的代码：{self.why}",
        )
