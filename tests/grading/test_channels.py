"""No channel between two submissions, measured (#11).

An attacker's submission (the *writer*) leaves a token through every route a process could use to
reach another one — kernel objects (SysV shared memory, message queues, semaphores; POSIX message
queues; keyrings), files and directories anywhere it can see, locks and leases on the files every
sandbox shares, inotify/dnotify watches, signals through ``F_SETOWN``, the priority, scheduling
class, CPU affinity, I/O class and limits of the processes around it — and a second learner's
submission (the *reader*) looks through the same routes and reports everything it observes.

The reader runs alone first (the baseline), then after the writer on both sandboxes of the pool,
then while a writer holds its objects in the other sandbox. Each time its observation must equal
the baseline and hold no token; the writer must have been refused on every route; on the host,
shared memory (``Shmem``), SysV objects, files and the server's processes are the same before
and after; and a following learner's correct solution passes. Both privilege modes.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import FIXTURE_LESSONS, ROOT
from .live import (
    MANY_MACHINES,
    LiveServer,
    descendants_of,
    grading_children,
    privilege_modes,
    wait_for,
)

# Any exercise will do: the fixture lesson's, so editing a course lesson cannot break these.
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
LIMITS = {"cpu_seconds": 2, "wall_seconds": 5, "memory_mb": 256, "output_kb": 64}
TOKEN_HEAD = "vt-chan"
HOLD_SECONDS = 2.0

COMMON = """
import ctypes, fcntl, hashlib, json, os, struct, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
NR = {'x86_64': dict(add_key=248, keyctl=250, ioprio_set=251),
      'aarch64': dict(add_key=217, keyctl=219, ioprio_set=30)}[os.uname().machine]
KEY = 0x7674
NAME = 'vt-' + 'chan'
SHARED = ['/grader/tutor/__init__.py', '/grader/tutor/sim/__init__.py']
def errno_name(rc):
    return 'ok' if rc >= 0 else 'refused:' + os.strerror(ctypes.get_errno())
"""

WRITER = (
    COMMON
    + """
import builtins, resource, signal
TOKEN = NAME + '-' + 'planted'
HOLD = __HOLD__
done = {}
def attempt(route, action):
    try:
        result = action()
        done[route] = result if isinstance(result, str) else 'ok'
    except OSError as exc:
        done[route] = 'refused:' + (exc.strerror or str(exc))
def shm():
    seg = libc.shmget(KEY, 4096, 0o1666)
    if seg < 0:
        return errno_name(seg)
    at = libc.shmat(seg, None, 0)
    ctypes.memmove(at, TOKEN.encode(), len(TOKEN))
    libc.shmdt(ctypes.c_void_p(at))
    for _ in range(8):  # and 512 MB more, resident and detached
        more = libc.shmget(0, 64 << 20, 0o1666)
        if more >= 0:
            at = libc.shmat(more, None, 0)
            ctypes.memset(at, 7, 64 << 20)
            libc.shmdt(ctypes.c_void_p(at))
    return 'ok'
def msg():
    queue = libc.msgget(KEY, 0o1666)
    if queue < 0:
        return errno_name(queue)
    body = struct.pack('l', 1) + TOKEN.encode()
    return errno_name(libc.msgsnd(queue, body, len(TOKEN), 0))
def sem():
    sems = libc.semget(KEY, 1, 0o1666)
    return errno_name(sems if sems < 0 else libc.semctl(sems, 0, 16, 4242))  # SETVAL
def mqueue():
    queue = libc.mq_open(('/' + NAME).encode(), os.O_CREAT | os.O_RDWR, 0o666, None)
    return errno_name(queue if queue < 0 else libc.mq_send(queue, TOKEN.encode(), len(TOKEN), 0))
def key():
    return errno_name(libc.syscall(NR['add_key'], b'user', NAME.encode(), TOKEN.encode(),
                                   len(TOKEN), -4))
def files():
    for folder in ('/tmp', '/dev/shm', '/dev', '.', '/grader', '/'):
        attempt('file ' + folder, lambda: open(os.path.join(folder, NAME), 'w').write(TOKEN))
        attempt('dir ' + folder, lambda: os.mkdir(os.path.join(folder, NAME + '-dir')))
        attempt('link ' + folder, lambda: os.symlink(TOKEN, os.path.join(folder, NAME + '-ln')))
def locks():
    for path in SHARED:
        fd = os.open(path, os.O_RDONLY)
        attempt('flock ' + path, lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB))
        attempt('ofd lock ' + path, lambda: fcntl.fcntl(
            fd, 37, struct.pack('hhqqi4x', fcntl.F_RDLCK, 0, 0, 0, 0)))
        attempt('lease ' + path, lambda: fcntl.fcntl(fd, 1024, fcntl.F_RDLCK))
def others():
    pids = [int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) != os.getpid()]
    for pid in pids:
        def sigio():
            r, w = os.pipe()
            fcntl.fcntl(r, fcntl.F_SETOWN, pid)
            fcntl.fcntl(r, 10, signal.SIGSTOP)
            fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
            os.write(w, b'x')
        if pid != os.getppid():  # stopping the zygote is in the attack suite; here: measure
            attempt(f'sigio {pid}', sigio)
            attempt(f'kill {pid}', lambda: os.kill(pid, signal.SIGSTOP))
        attempt(f'renice {pid}', lambda: os.setpriority(os.PRIO_PROCESS, pid, 19))
        attempt(f'affinity {pid}', lambda: os.sched_setaffinity(pid, {0}))
        attempt(f'scheduler {pid}', lambda: os.sched_setscheduler(
            pid, os.SCHED_IDLE, os.sched_param(0)))
        attempt(f'ioprio {pid}', lambda: errno_name(
            libc.syscall(NR['ioprio_set'], 1, pid, 3 << 13)))
        attempt(f'prlimit {pid}', lambda: resource.prlimit(
            pid, resource.RLIMIT_NOFILE, (4, 4)))
        attempt(f'proc write {pid}', lambda: open(
            f'/proc/{pid}/oom_score_adj', 'w').write('1000'))
    attempt('renice uid', lambda: os.setpriority(os.PRIO_USER, 0, 19))
    attempt('renice group', lambda: os.setpriority(os.PRIO_PGRP, 0, 19))
if not hasattr(builtins, 'planted'):  # the module runs again for every case: plant once
    builtins.planted = True
    for route, action in (('shm', shm), ('msg', msg), ('sem', sem), ('mqueue', mqueue),
                          ('key', key)):
        attempt(route, action)
    files()
    locks()
    others()
    deadline = time.monotonic() + HOLD
    while time.monotonic() < deadline:  # keep touching a shared file for a watcher to see
        try:
            os.close(os.open(SHARED[1], os.O_RDONLY))
        except OSError:
            pass
        time.sleep(0.02)
    opened = {r: v for r, v in done.items() if not v.startswith('refused')}
    report = {'open': opened, 'refused': len(done) - len(opened)}
    raise RuntimeError('WROTE' + json.dumps(report) + 'END')
"""
)

READER = (
    COMMON
    + """
def read(path, size=200):
    try:
        with open(path, 'rb') as f:
            return f.read(size).decode(errors='replace')
    except OSError as exc:
        return 'unreadable:' + (exc.strerror or '')
def listing(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        return 'unreadable:' + (exc.strerror or '')
import builtins
if not hasattr(builtins, 'seen'):  # the module runs again for every case: look once
    seen = {}
    found = []  # every text the reader could get from an object someone else may have left
    seg = libc.shmget(KEY, 0, 0)
    seen['shm'] = errno_name(seg)
    if seg >= 0:
        found.append(ctypes.string_at(libc.shmat(seg, None, 0), 64).decode(errors='replace'))
    queue = libc.msgget(KEY, 0)
    seen['msg'] = errno_name(queue)
    if queue >= 0:
        buf = ctypes.create_string_buffer(200)
        if libc.msgrcv(queue, buf, 190, 0, 0o4000) >= 0:
            found.append(buf.raw[8:].decode(errors='replace'))
    sems = libc.semget(KEY, 0, 0)
    seen['sem'] = errno_name(sems if sems < 0 else libc.semctl(sems, 0, 12))  # GETVAL
    mq = libc.mq_open(('/' + NAME).encode(), os.O_RDONLY | os.O_NONBLOCK, 0, None)
    seen['mqueue'] = errno_name(mq)
    if mq >= 0:
        buf = ctypes.create_string_buffer(9000)
        if libc.mq_receive(mq, buf, 9000, None) >= 0:
            found.append(buf.value.decode(errors='replace'))
    seen['sysvipc'] = {k: len(read('/proc/sysvipc/' + k, 10**5).splitlines())
                       for k in ('shm', 'msg', 'sem')}
    keys = read('/proc/keys', 10**5)
    found.append(keys)
    seen['keys'] = len(keys.splitlines())
    for folder in ('/tmp', '/dev/shm', '/dev', '.', '/'):
        seen['ls ' + folder] = listing(folder)
        for name in listing(folder) if isinstance(listing(folder), list) else []:
            if NAME in name:
                path = os.path.join(folder, name)
                found.append(os.readlink(path) if os.path.islink(path) else read(path))
    tree = []
    for top, dirs, names in os.walk('/grader'):
        tree += [os.path.join(top, n) for n in sorted(dirs + names)]
    seen['grader'] = [len(tree), [p for p in tree if NAME in p]]
    for path in SHARED:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            seen['flock ' + path] = 'free'
        except OSError as exc:
            seen['flock ' + path] = exc.strerror
        os.close(fd)
    watch = libc.inotify_init1(os.O_NONBLOCK)
    seen['inotify'] = errno_name(watch)
    if watch >= 0:
        libc.inotify_add_watch(watch, SHARED[1].encode(), 0x20 | 0x01)  # IN_OPEN | IN_ACCESS
        time.sleep(0.8)
        try:
            seen['inotify'] = 'events' if os.read(watch, 4096) else 'none'
        except BlockingIOError:
            seen['inotify'] = 'none'
    def state(pid):
        fields = read(f'/proc/{pid}/stat', 2000).rsplit(')', 1)[-1].split()
        status = dict(l.split(':', 1) for l in read(f'/proc/{pid}/status', 10**4).splitlines()
                      if ':' in l)
        return [fields[0] if fields else '?', fields[16] if len(fields) > 16 else '?',
                fields[38] if len(fields) > 38 else '?',
                status.get('Cpus_allowed_list', '?').strip(), status.get('SigPnd', '?').strip()]
    limits = read('/proc/self/limits', 4000).encode()
    seen['self'] = state('self') + [hashlib.sha1(limits).hexdigest()[:12]]
    seen['parent'] = state(os.getppid())
    seen['processes'] = sorted([read(f'/proc/{p}/comm').strip()] + state(p)[:3]
                               for p in os.listdir('/proc')
                               if p.isdigit() and int(p) not in (os.getpid(),))
    seen['tokens'] = [t for t in found if NAME + '-' in t]
    builtins.seen = seen
seen = builtins.seen
raise RuntimeError('SEEN' + json.dumps(seen) + 'END')
"""
)


def _probe(report: dict[str, Any], marker: str) -> dict[str, Any]:
    texts = [str(report["message"]["en"])] + [str(c["message"]["en"]) for c in report["cases"]]
    for text in texts:
        found = re.search(marker + r"(\{.*\})END", text, re.S)
        if found:
            seen = json.loads(found.group(1))
            assert isinstance(seen, dict)
            return seen
    raise AssertionError(f"the {marker} probe did not run: {json.dumps(report)[:800]}")


def shared_memory_kb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("Shmem:"):
            return int(line.split()[1])
    raise AssertionError("no Shmem line in /proc/meminfo")


def _host() -> dict[str, Any]:
    """What a submission could have left on the host: the writer's SysV objects (its key, or a
    shared memory segment of its size: any other process on the machine, a browser of another
    test, may make SysV objects of its own meanwhile), files named by the token."""
    sysv = {k: len(_writers_objects(k)) for k in ("shm", "msg", "sem")}
    named = [
        str(p)
        for folder in ("/tmp", "/dev/shm", str(ROOT), str(ROOT / "instance"))
        for p in Path(folder).iterdir()
        if TOKEN_HEAD in p.name
    ]
    return {"sysv": sysv, "named": named}


WRITER_KEY = 0x7674  # KEY in the programs above


def _writers_objects(kind: str) -> list[str]:
    rows = [line.split() for line in Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]]
    return [
        row[1]
        for row in rows
        if int(row[0]) == WRITER_KEY or (kind == "shm" and int(row[3]) == 64 << 20)
    ]


@pytest.fixture(scope="module", params=privilege_modes())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"channels-{request.param}")
    live = LiveServer(
        folder / "channels.db",
        mode=request.param,
        limits=LIMITS,
        GRADER_WORKERS=2,
        LESSONS_DIR=str(FIXTURE_LESSONS),
        **MANY_MACHINES,
    ).start()
    try:
        assert live.learner().grade("walk", SOLUTION).json()["verdict"] == "passed"
        yield live
    finally:
        live.stop()


def _grade(server: LiveServer, code: str) -> dict[str, Any]:
    reply = server.learner().grade("walk", code)
    assert reply.status == 200, reply.body[:300]
    body = reply.json()
    assert isinstance(body, dict)
    return body


def test_nothing_crosses_from_one_submission_to_another(server: LiveServer) -> None:
    assert server.proc is not None
    root = server.proc.pid
    processes = descendants_of(root) - set(grading_children(root, running=False))
    host, shmem = _host(), shared_memory_kb()
    reader = READER
    baseline = [_probe(_grade(server, reader), "SEEN") for _ in range(2)]  # one per sandbox
    assert baseline[0] == baseline[1], "the reader must see the same on either sandbox"
    assert baseline[0]["tokens"] == []

    # One after the other: the writer, then the reader on each of the two sandboxes.
    wrote = _probe(_grade(server, WRITER.replace("__HOLD__", "0")), "WROTE")
    after = [_probe(_grade(server, reader), "SEEN") for _ in range(2)]

    # At the same time: a writer holding everything in one sandbox, the reader in the other.
    holding: dict[str, Any] = {}
    writer = threading.Thread(
        target=lambda: holding.update(_grade(server, WRITER.replace("__HOLD__", str(HOLD_SECONDS))))
    )
    writer.start()
    wait_for(lambda: grading_children(root), 10, "the writer to run")
    during = _probe(_grade(server, reader), "SEEN")
    writer.join()
    wrote_during = _probe(holding, "WROTE")

    for wrote_ in (wrote, wrote_during):
        assert wrote_["open"] == {} and wrote_["refused"] >= 40, f"the writer got through: {wrote_}"
    for seen in (*after, during):
        assert seen["tokens"] == [] and seen == baseline[0], _difference(baseline[0], seen)
    # A following learner's correct solution passes, on both sandboxes.
    for _ in range(2):
        assert _grade(server, SOLUTION)["verdict"] == "passed"
    # Host side: no shared memory, SysV object, file or process left behind.
    assert shared_memory_kb() - shmem < 256 * 1024, "shared memory escaped the sandbox"
    assert _host() == host
    wait_for(
        lambda: descendants_of(root) - set(grading_children(root, running=False)) == processes,
        5,
        "the server's processes to be the same as before",
    )


def _difference(before: dict[str, Any], after: dict[str, Any]) -> str:
    changed = {
        k: (before.get(k), after.get(k))
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k)
    }
    return "the reader saw something the writer left: " + json.dumps(changed)[:1500]
