"""Hostile programs against the real grading path (JSON API → queue → sandbox → judge).

Each attack is written against an exercise of the fixture lesson (``walk``: ``def path(layers,
skip)``, which the attacks spell ``path(kind, operation)``; ``echo-loop``: ``def run_vm(vcpu,
devices)``), so editing a course lesson cannot break them. Each must end non-passing with a clear
message, leave the server grading correctly, and leave no trace on the host: no new files, no
stray processes, nothing secret in the report. docs/security.md lists the same attacks with what
stops each one.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS, ROOT
from .live import MANY_MACHINES, LiveServer, descendants_of, grading_children, privilege_modes

CANARY_ENV = "VIRTTUTOR_ATTACK_CANARY"
CANARY = "canary-5b1e0c77"
os.environ[CANARY_ENV] = CANARY  # in the server's own environment: must never reach a report
FAST_LIMITS = {"cpu_seconds": 1, "wall_seconds": 2.5, "memory_mb": 256, "output_kb": 64}
IO_PATH = "walk"
LOOP = "echo-loop"
VCPU = "vcpu-run-loop"  # only for what the browser gets of a course lesson's page
SOLUTION = FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py"
CASES = FIXTURE_LESSONS / "01-fixture/exercises/walk/cases.py"
MARK = "virttutor-pwned-4c1d"
SECRET_KEY = str(ROOT / "instance/secret_key")
DATABASE = str(ROOT / "instance/tutor.db")
WRITE_TARGETS = [
    f"/tmp/{MARK}",
    str(ROOT / MARK),
    str(ROOT / "instance" / MARK),
    str(Path.home() / MARK),
    f"{MARK}",  # relative to the child's working directory
]


@dataclass(frozen=True)
class Attack:
    name: str
    code: str
    expect: str  # a regular expression the report's messages must match
    exercise: str = IO_PATH


def _a(name: str, code: str, expect: str, exercise: str = IO_PATH) -> Attack:
    return Attack(name, code, expect, exercise)


SANDBOX = r"sandbox"
ATTACKS = [
    # -- resources -------------------------------------------------------------------------
    _a(
        "infinite_loop",
        "def path(kind, operation):\n    while True:\n        pass\n",
        r"CPU time|wall-clock",
    ),
    _a(
        "sleep_forever",
        "import time\n\ndef path(kind, operation):\n    time.sleep(10**6)\n",
        r"wall-clock",
    ),
    _a(
        "ignore_sigxcpu_then_loop",
        "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\n"
        "def path(kind, operation):\n    while True:\n        pass\n",
        r"CPU time|wall-clock",
    ),
    _a(
        "raise_own_limits",
        "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))\n"
        "def path(kind, operation):\n    return []\n",
        r"not allowed|Operation not permitted|ValueError",
    ),
    _a(
        "fork_bomb",
        "import os\n\ndef path(kind, operation):\n    while True:\n        os.fork()\n",
        SANDBOX,
    ),
    _a(
        "thread_bomb",
        "import threading, time\n\ndef path(kind, operation):\n    while True:\n"
        "        threading.Thread(target=time.sleep, args=(100,)).start()\n",
        r"can't start new thread.*sandbox",
    ),
    _a(
        "memory_bomb",
        "def path(kind, operation):\n    hoard = []\n    while True:\n"
        "        hoard.append(bytes(128 * 2**20))\n",
        r"memory",
    ),
    _a(
        "recursion_bomb",
        "def path(kind, operation):\n    return path(kind, operation)\n",
        r"recursed too deeply",
    ),
    _a(
        "output_100_mb",
        "def path(kind, operation):\n    for _ in range(1000):\n        print('x' * 100_000)\n",
        r"printed more than",
    ),
    _a(
        "output_to_fd_1",
        "import os\n\ndef path(kind, operation):\n    for _ in range(1600):\n"
        "        os.write(1, b'x' * 65536)\n    return []\n",
        r"stops after",
    ),
    _a(
        "fill_tmp",
        "def path(kind, operation):\n    with open('/tmp/fill', 'wb') as f:\n        while True:\n"
        "            f.write(b'x' * 2**20)\n",
        SANDBOX,
    ),
    # -- reading what is not theirs ---------------------------------------------------------
    _a(
        "read_etc_passwd",
        "def path(kind, operation):\n    return open('/etc/passwd').read().split()\n",
        r"No such file",
    ),
    _a(
        "read_secret_key",
        f"def path(kind, operation):\n    return [open({SECRET_KEY!r}).read()]\n",
        r"No such file",
    ),
    _a(
        "read_database",
        f"def path(kind, operation):\n    return [open({DATABASE!r}, 'rb').read(99).hex()]\n",
        r"No such file",
    ),
    _a("read_reference_solution", f"exec(open({str(SOLUTION)!r}).read())\n", r"No such file"),
    _a(
        "import_solution_by_name",
        "import sys\nsys.path[:0] = ['.', '/work/main', "
        f"{str(SOLUTION.parent)!r}]\nfrom solution import path\n",
        r"No module named 'solution'",
    ),
    _a(
        "read_environment",
        "import os\n\ndef path(kind, operation):\n"
        "    return [f'{k}={v}' for k, v in os.environ.items()] + ['hypervisor']\n",
        r"is not in the model",
    ),
    _a(
        "read_other_processes",
        "import os\n\ndef path(kind, operation):\n    found = []\n"
        "    for pid in [p for p in os.listdir('/proc') if p.isdigit()]:\n"
        "        for leaf in ('environ', 'mem', 'fd/0'):\n"
        "            found.append(open(f'/proc/{pid}/{leaf}', 'rb').read(64).hex())\n"
        "    return found\n",
        SANDBOX,
    ),
    _a(
        "read_other_submission",
        "import os\n\ndef path(kind, operation):\n    seen = []\n"
        "    for root in ('/tmp', '/grader', '/proc/self/fd'):\n"
        "        for dirpath, _, files in os.walk(root):\n"
        "            seen += [os.path.join(dirpath, f) for f in files]\n"
        "    seen += [open(f'/proc/{p}/cmdline', 'rb').read().decode(errors='replace')\n"
        "             for p in os.listdir('/proc') if p.isdigit()]\n"
        "    return ['x'] + seen\n",
        r"is not in the model",
    ),
    # -- writing, network, processes -------------------------------------------------------
    _a(
        "write_outside",
        "def path(kind, operation):\n"
        f"    for target in {WRITE_TARGETS!r}:\n"
        "        try:\n            open(target, 'w').write('pwned')\n"
        "        except OSError as exc:\n            last = exc\n    raise last\n",
        SANDBOX,
    ),
    _a(
        "delete_case_generator",
        f"import os\nos.remove({str(CASES)!r})\n",
        r"No such file|sandbox",
    ),
    _a(
        "socket_to_localhost",
        "import socket\n\ndef path(kind, operation):\n"
        "    socket.create_connection(('127.0.0.1', 5000), timeout=1)\n",
        SANDBOX,
    ),
    _a("subprocess_run", f"import subprocess\nsubprocess.run(['touch', '/tmp/{MARK}'])\n", SANDBOX),
    _a(
        "os_system",
        f"import os\nrc = os.system('touch /tmp/{MARK}')\n\ndef path(kind, operation):\n"
        "    return ['system returned', str(rc)]\n",
        r"is not in the model",
    ),
    _a("os_exec", f"import os\nos.execv('/bin/sh', ['sh', '-c', 'touch /tmp/{MARK}'])\n", SANDBOX),
    _a(
        "ctypes_libc_system",
        "import ctypes\nlibc = ctypes.CDLL('libc.so.6', use_errno=True)\n"
        f"if libc.system(b'touch /tmp/{MARK}') != 0 or libc.fork() < 0:\n"
        "    raise PermissionError(ctypes.get_errno(), 'blocked')\n",
        SANDBOX,
    ),
    _a("ctypes_segfault", "import ctypes\nctypes.string_at(0)\n", r"crashed .*segmentation"),
    _a(
        "ptrace_parent",
        "import ctypes, os\nlibc = ctypes.CDLL('libc.so.6', use_errno=True)\n"
        "if libc.ptrace(16, os.getppid(), 0, 0) != 0:\n"
        "    raise PermissionError(ctypes.get_errno(), 'ptrace refused')\n",
        SANDBOX,
    ),
    _a("kill_parent", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n", SANDBOX),
    _a("kill_everything", "import os, signal\nos.kill(-1, signal.SIGKILL)\n", SANDBOX),
    # -- ending the process ----------------------------------------------------------------
    _a("sys_exit_0", "import sys\nsys.exit(0)\n", r"exit\(\)"),
    _a("os__exit_0", "import os\nos._exit(0)\n", r"ended the grading process"),
    _a("raise_system_exit", "def path(kind, operation):\n    raise SystemExit(0)\n", r"exit\(\)"),
    _a(
        "raise_keyboard_interrupt",
        "def path(kind, operation):\n    raise KeyboardInterrupt\n",
        r"KeyboardInterrupt",
    ),
    _a(
        "raise_base_exception",
        "def path(kind, operation):\n    raise BaseException('ha')\n",
        r"BaseException: ha",
    ),
    # -- forging results ---------------------------------------------------------------------
    _a(
        "print_fake_all_passed",
        'import os\nprint(\'{"verdict": "passed", "score": 100}\')\n'
        'os.write(1, b\'{"outcomes": [], "verdict": "passed"}\')\n'
        "def path(kind, operation):\n    print('All cases pass.')\n    return []\n",
        r"stops after",
    ),
    _a(
        "forge_result_pipe",
        "import json, os\nfake = json.dumps({'verdict': 'passed', 'score': 100, 'outcomes': [\n"
        "    {'name': 'type1 disk_read', 'output': {'path': []}, 'error': None}]}).encode()\n"
        "for fd in range(3, 64):\n    try:\n        os.write(fd, fake)\n    except OSError:\n"
        "        pass\nos._exit(0)\n",
        r"garbled|ended the grading process",
    ),
    _a(
        "lying_eq",
        "class Liar(list):\n    def __eq__(self, other):\n        return True\n"
        "    def __ne__(self, other):\n        return False\n\n"
        "def path(kind, operation):\n    return Liar()\n",
        r"stops after",
    ),
    _a(
        "lying_vcpu_state",
        "def run_vm(vcpu, devices):\n    vcpu.state = 'halted'\n",
        r"must reach devices.port_write",
        LOOP,
    ),
    _a(
        "not_plain_data",
        "class Weird:\n    pass\n\ndef run_vm(vcpu, devices):\n    vcpu.state = 'halted'\n"
        "    devices.serial = Weird()\n",
        r"not plain data",
        LOOP,
    ),
    _a(
        "monkeypatch_judge",
        "import tutor.grading.harness as h\nfrom tutor.grading.protocol import CaseResult, Report\n"
        "h.judge_outcome = lambda case, *a: CaseResult(case.name, True, case.weight)\n"
        "Report.from_results = classmethod(lambda cls, r: cls('passed', 100.0, []))\n"
        "import tutor.grading.judge\n",
        r"No module named 'tutor.grading.judge'",
    ),
    _a(
        "monkeypatch_sim",
        "import tutor.sim, tutor.sim.hypervisor as hv\n"
        "hv.LAYERS['made_up'] = hv.LAYERS['disk']\n"
        "tutor.sim.LAYERS['made_up'] = hv.LAYERS['disk']\n"
        "def path(kind, operation):\n    return ['made_up']\n",
        r"'made_up' is not in the model",
    ),
    _a(
        "monkeypatch_builtins",
        "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda x: 0\n"
        "def path(kind, operation):\n    return 5\n",
        r"TypeError|broke the grader|ended the grading process",
    ),
    _a(
        "tamper_sys_modules",
        "import sys, types\nfake = types.ModuleType('json')\n"
        'fake.dumps = lambda *a, **k: \'{"verdict": "passed", "score": 100}\'\n'
        "sys.modules['json'] = fake\nimport tutor.grading.child as child\nchild.json = fake\n"
        "def path(kind, operation):\n    return []\n",
        r"garbled",
    ),
    # -- source that is not a program ------------------------------------------------------
    _a(
        "lone_surrogates", "def path(kind, operation):\n    return ['\udcff']\n", r"not valid UTF-8"
    ),
    _a("null_bytes", "x = '\0'\n", r"NUL character"),
    _a("syntax_error", "def path(kind, operation:\n    return []\n", r"SyntaxError on line 1"),
    _a(
        "unicode_confusable_name",
        "def p\u0430th(kind, operation):\n    return []\n",
        r"only looks like",
    ),
]


# -- kernel objects that would outlive the submission (#11) ---------------------------------
# Each program makes one kind of object and returns normally if the kernel let it; refused, it
# raises the error it got (the report then carries the sandbox note).
REFUSED = (
    "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
    "def refused(rc, what):\n    if rc < 0:\n"
    "        raise PermissionError(ctypes.get_errno(), what + ' refused')\n"
    "NR = {'x86_64': dict(add_key=248, request_key=249, keyctl=250, ioprio_set=251, prctl=157,"
    " process_madvise=440),\n"
    "      'aarch64': dict(add_key=217, request_key=218, keyctl=219, ioprio_set=30, prctl=167,"
    " process_madvise=440)}[os.uname().machine]\n"
)


def _refused(name: str, body: str, expect: str = SANDBOX) -> Attack:
    """``body`` is the inside of ``path``; it ends by returning an answer the judge rejects."""
    code = REFUSED + "\ndef path(kind, operation):\n" + body + "    return ['the route was open']\n"
    return _a(name, code, expect)


ATTACKS += [
    _refused(
        "sysv_shared_memory_hoard",
        "    libc.shmat.restype = ctypes.c_void_p\n"
        "    for _ in range(16):  # 1 GB made resident, detached: outside RLIMIT_AS\n"
        "        shm = libc.shmget(0, 64 << 20, 0o1666)\n        refused(shm, 'shmget')\n"
        "        at = libc.shmat(shm, None, 0)\n        ctypes.memset(at, 7, 64 << 20)\n"
        "        libc.shmdt(ctypes.c_void_p(at))\n",
    ),
    _refused(
        "sysv_shared_memory_by_key", "    refused(libc.shmget(0x7674, 4096, 0o1666), 'shm')\n"
    ),
    _refused("sysv_message_queue", "    refused(libc.msgget(0x7674, 0o1666), 'msgget')\n"),
    _refused("sysv_semaphores", "    refused(libc.semget(0x7674, 4, 0o1666), 'semget')\n"),
    _refused(
        "posix_message_queue",
        "    refused(libc.mq_open(b'/vt-queue', os.O_CREAT | os.O_RDWR, 0o666, None), 'mq_open')\n",
    ),
    _refused(
        "keyring_user_key",
        "    refused(libc.syscall(NR['add_key'], b'user', b'vt-key', b'x', 1, -4), 'add_key')\n",
    ),
    _refused(
        "inotify_watch_shared_files",
        "    fd = libc.inotify_init1(0)\n    refused(fd, 'inotify_init1')\n"
        "    refused(libc.inotify_add_watch(fd, b'/grader', 0xfff), 'inotify_add_watch')\n",
    ),
    _refused("fanotify_watch", "    refused(libc.fanotify_init(0, 0), 'fanotify_init')\n"),
    _refused(
        "dnotify_directory",
        "    import fcntl\n    fd = os.open('/grader', os.O_RDONLY)\n"
        "    fcntl.fcntl(fd, 1026, 0x80000001)  # F_NOTIFY: DN_ACCESS | DN_MULTISHOT\n",
    ),
    _refused(
        "flock_shared_file",
        "    import fcntl\n    fcntl.flock(os.open('/grader/tutor/__init__.py', os.O_RDONLY),"
        " fcntl.LOCK_SH)\n",
    ),
    _refused(
        "open_file_description_lock",
        "    import fcntl, struct\n    fd = os.open('/grader/tutor/__init__.py', os.O_RDONLY)\n"
        "    lock = struct.pack('hhqqi4x', fcntl.F_RDLCK, 0, 0, 0, 0)\n"
        "    fcntl.fcntl(fd, 37, lock)  # F_OFD_SETLK\n",
    ),
    _refused(
        "file_lease",
        "    import fcntl\n    fd = os.open('/grader/tutor/__init__.py', os.O_RDONLY)\n"
        "    fcntl.fcntl(fd, 1024, fcntl.F_RDLCK)  # F_SETLEASE\n",
    ),
    _refused(
        "posix_timer",
        "    timer = ctypes.c_void_p()\n"
        "    refused(libc.timer_create(0, None, ctypes.byref(timer)), 'timer_create')\n",
    ),
    _refused(
        "dev_shm_directory",
        "    os.mkdir('/dev/shm/vt-left-behind')\n",
    ),
    _refused("dev_symlink", "    os.symlink('/grader', '/dev/vt-left-behind')\n"),
    _refused(
        "high_bits_in_a_command",  # PR_SET_DUMPABLE with junk in the upper half of the register
        "    refused(libc.syscall(NR['prctl'], ctypes.c_long((1 << 32) | 4), 1), 'prctl')\n",
    ),
    # -- reaching the process that will run the next learner's code (#11) ---------------------
    _refused(
        "sigio_stops_every_other_process",  # F_SETOWN + F_SETSIG(SIGSTOP) + O_ASYNC on a pipe
        "    import fcntl, signal\n"
        "    others = [int(p) for p in os.listdir('/proc') if p.isdigit()]\n"
        "    others.remove(os.getpid())\n"
        "    for pid in others:\n        r, w = os.pipe()\n"
        "        fcntl.fcntl(r, fcntl.F_SETOWN, pid)\n        fcntl.fcntl(r, 10, signal.SIGSTOP)\n"
        "        fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)\n"
        "        os.write(w, b'x')\n",
    ),
    _refused(
        "fiosetown_sigio",  # the same through ioctl(FIOSETOWN) and ioctl(FIOASYNC)
        "    import fcntl, struct\n    r, w = os.pipe()\n"
        "    fcntl.ioctl(r, 0x8901, struct.pack('i', os.getppid()))\n"
        "    fcntl.ioctl(r, 0x5452, struct.pack('i', 1))\n    os.write(w, b'x')\n",
    ),
    _refused("renice_every_process_of_the_uid", "    os.setpriority(os.PRIO_USER, 0, 19)\n"),
    _refused("renice_the_process_group", "    os.setpriority(os.PRIO_PGRP, 0, 19)\n"),
    _refused("renice_the_parent", "    os.setpriority(os.PRIO_PROCESS, os.getppid(), 19)\n"),
    _refused("pin_the_parent_to_one_cpu", "    os.sched_setaffinity(os.getppid(), {0})\n"),
    _refused(
        "idle_scheduler_for_the_parent",
        "    os.sched_setscheduler(os.getppid(), os.SCHED_IDLE, os.sched_param(0))\n",
    ),
    _refused(
        "idle_io_priority_for_the_parent",
        "    refused(libc.syscall(NR['ioprio_set'], 1, os.getppid(), 3 << 13), 'ioprio_set')\n",
    ),
    _refused(
        "lower_the_parents_limits",
        "    import resource\n    resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (4, 4))\n",
    ),
    _refused("pidfd_of_the_parent", "    os.pidfd_open(os.getppid())\n"),
    _refused(
        "write_the_parents_proc_files",
        "    with open(f'/proc/{os.getppid()}/oom_score_adj', 'w') as f:\n"
        "        f.write('1000')\n",
    ),
    _a(
        "forge_a_non_finite_reply",  # the real case names, found in memory, with NaN outputs
        "import gc, json, os\n\ndef path(kind, operation):\n"
        "    request = next(o for o in gc.get_objects()\n"
        "                   if isinstance(o, dict) and 'cases' in o and 'driver' in o)\n"
        "    outcomes = [{'name': c['name'], 'output': {'path': [float('nan')]}, 'error': None,\n"
        "                 'trace': [], 'digest': '', 'stdout': ''} for c in request['cases']]\n"
        "    os.write(4, json.dumps({'outcomes': outcomes}).encode())\n    os._exit(0)\n",
        r"garbled",
    ),
    _refused(
        "advise_the_parents_memory",
        "    refused(libc.syscall(NR['process_madvise'], 0, None, 0, 0, 0), 'process_madvise')\n",
    ),
]


@pytest.fixture(scope="module", params=privilege_modes())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A real server in this privilege mode (root, or an unprivileged uid), two sandboxes."""
    folder = tmp_path_factory.mktemp(f"attacks-{request.param}")
    live = LiveServer(
        folder / "attacks.db",
        mode=request.param,
        limits=FAST_LIMITS,
        SECRET_KEY="attack-tests-secret",
        GRADER_WORKERS=2,
        LESSONS_DIR=str(FIXTURE_LESSONS),
        **MANY_MACHINES,
    ).start()
    try:
        assert live.learner().grade(IO_PATH, SOLUTION.read_text()).json()["verdict"] == "passed"
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    db = tmp_path_factory.mktemp("attacks") / "attacks.db"
    yield create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "attack-tests-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
            "WTF_CSRF_ENABLED": False,
        }
    )


def _grade(server: LiveServer, exercise: str, code: str) -> dict[str, Any]:
    """Grade as a learner of its own (a fresh session)."""
    response = server.learner().grade(exercise, code)
    assert response.status == 200, response.body[:500]
    body = json.loads(response.body, parse_constant=_not_json)  # strict JSON: no NaN, Infinity
    assert isinstance(body, dict)
    return body


def _not_json(name: str) -> None:
    raise AssertionError(f"the report holds {name}, which is not JSON")


def _processes(server: LiveServer) -> tuple[set[int], int]:
    """The server's long-lived processes (bubblewrap, zygotes) and how many forked children
    exist: at rest exactly one spare per zygote, nothing else."""
    assert server.proc is not None
    everything = descendants_of(server.proc.pid)
    children = set(grading_children(server.proc.pid, running=False))
    return everything - children, len(children)


def _left_behind(
    server: LiveServer, before: set[int], spares: int, patience: float = 3.0
) -> set[int]:
    """Processes that were not there before, once the pool is back at rest. A process that was
    still exiting when the test began may vanish meanwhile; that is not a leftover."""
    deadline = time.monotonic() + patience
    while True:
        now, now_spares = _processes(server)
        extra = now - before
        if not extra and now_spares == spares:
            return set()
        if time.monotonic() > deadline:
            return extra or {-now_spares}
        time.sleep(0.05)


def shared_memory_kb() -> int:
    """The host's ``Shmem`` (SysV and POSIX shared memory, tmpfs): what escaped a sandbox."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("Shmem:"):
            return int(line.split()[1])
    raise AssertionError("no Shmem line in /proc/meminfo")


SHMEM_SLACK_KB = 192 * 1024  # other programs on the machine; the hoard above tries 1 GB


def _host_traces() -> list[str]:
    paths = [*WRITE_TARGETS[:-1], "/tmp/fill", str(ROOT / "fill")]
    paths += [f"/dev/shm/{n}" for n in os.listdir("/dev/shm") if "vt-" in n]
    return [p for p in paths if os.path.exists(p)] + (
        [] if CASES.exists() and SOLUTION.exists() else ["lesson files are gone"]
    )


def test_the_attack_list_is_long_enough() -> None:
    names = [a.name for a in ATTACKS]
    assert len(names) >= 30 and len(set(names)) == len(names)


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_fails_cleanly_and_leaves_no_trace(server: LiveServer, attack: Attack) -> None:
    before, spares = _processes(server)
    shmem = shared_memory_kb()
    report = _grade(server, attack.exercise, attack.code)
    text = json.dumps(report, ensure_ascii=False)
    messages = [str(report["message"]["en"])] + [str(c["message"]["en"]) for c in report["cases"]]
    assert report["verdict"] != "passed" and report["score"] == 0, text[:500]
    assert any(re.search(attack.expect, m) for m in messages), (attack.expect, messages[:3])
    assert CANARY not in text and "attack-tests-secret" not in text
    assert _host_traces() == []
    assert shared_memory_kb() - shmem < SHMEM_SLACK_KB, "shared memory escaped the sandbox"
    # Whatever it did, the next learner's correct solution passes, on either sandbox.
    for _ in range(2):
        assert _grade(server, IO_PATH, SOLUTION.read_text())["verdict"] == "passed"
    assert _left_behind(server, before, spares) == set(), "a process was left behind"


def test_huge_source_is_refused_before_it_is_stored(server: LiveServer) -> None:
    rows = len(server.rows())
    response = server.learner().grade(IO_PATH, "x = 1\n" * 60_000)  # 360 KB
    assert response.status == 413 and "larger than 200 KB" in response.json()["error"]
    assert len(server.rows()) == rows


def test_concurrent_submission_is_invisible_to_an_attacker(server: LiveServer) -> None:
    secret = "OTHER-STUDENT-" + "e91f"  # the literal never appears whole in the attack's source
    other = f"import time\n# {secret}\ndef path(kind, operation):\n    time.sleep(0.3)\n"
    thread = threading.Thread(target=_grade, args=(server, IO_PATH, other))
    thread.start()
    spy = (
        "import os\n\ndef path(kind, operation):\n    seen = []\n"
        "    for p in [p for p in os.listdir('/proc') if p.isdigit()]:\n"
        "        for leaf in ('cmdline', 'environ', 'mem'):\n"
        "            try:\n                seen.append(open(f'/proc/{p}/{leaf}', 'rb').read(10**6)"
        ".decode(errors='replace'))\n"
        "            except OSError as exc:\n                seen.append(repr(exc))\n"
        "    return ['x'] + seen\n"
    )
    report = _grade(server, IO_PATH, spy)
    thread.join()
    assert report["verdict"] == "failed" and secret not in json.dumps(report)


def test_browser_only_gets_practice_cases(app: Flask) -> None:
    page = app.test_client().get("/lessons/hypervisors").get_data(as_text=True)
    exercise = app.extensions["catalog"].exercise(VCPU)
    hidden = exercise.cases(12345, "hidden")
    practice = exercise.cases(0, "practice")
    assert all(c.name in page for c in practice)
    assert not any(c.name in page for c in hidden)
    assert "HOST_IO = " not in page and "cases.py" not in page  # no solution, no generator


SPY = (
    "import json, os\n"
    "seen = {'uid': os.getuid(), 'env': sorted(os.environ),\n"
    "        'top': sorted(os.listdir('/')), 'usr': sorted(os.listdir('/usr')),\n"
    "        'root': sorted(os.listdir('/root')), 'tmp': os.listdir('/tmp'),\n"
    "        'dev_writable': os.access('/dev', os.W_OK) or os.access('/dev/shm', os.W_OK),\n"
    "        'ipc': {n: ' '.join(open('/proc/sys/' + n).read().split()) for n in\n"
    "                ('kernel/shmmni', 'kernel/msgmni', 'kernel/sem', 'fs/mqueue/queues_max')}}\n"
    "raise RuntimeError('SEEN' + json.dumps(seen) + 'END')\n"
)


def observed(report: dict[str, Any], marker: str) -> dict[str, Any]:
    """What a probe program reported (it raises ``marker{json}END`` at import)."""
    messages = [str(report["message"]["en"])] + [str(c["message"]["en"]) for c in report["cases"]]
    found = next((m for m in (re.search(marker + r"(\{.*\})END", t) for t in messages) if m), None)
    assert found, f"the probe did not run: {json.dumps(report)[:600]}"
    seen = json.loads(found.group(1))
    assert isinstance(seen, dict)
    return seen


def test_what_the_sandbox_can_see(server: LiveServer) -> None:
    seen = observed(_grade(server, IO_PATH, SPY), "SEEN")
    assert seen["uid"] == 65534 and seen["env"] in (["LANG"], ["LANG", "PWD"])
    assert set(seen["top"]) <= {
        "usr",
        "lib",
        "lib64",
        "lib32",
        "bin",
        "sbin",
        "root",
        "grader",
        "proc",
        "dev",
        "tmp",
    }
    assert set(seen["usr"]) <= {"lib", "lib64", "lib32"}
    assert seen["root"] in ([], [".pyenv"]) and seen["tmp"] == []
    assert seen["dev_writable"] is False
    # The sandbox's own IPC namespace can hold no object of any kind.
    assert seen["ipc"] == {
        "kernel/shmmni": "0",
        "kernel/msgmni": "0",
        "kernel/sem": "0 0 0 0",
        "fs/mqueue/queues_max": "0",
    }
