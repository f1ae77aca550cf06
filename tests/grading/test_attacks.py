"""Hostile programs against the real grading path (JSON API → queue → sandbox → judge).

Each attack is written against a real exercise of lesson 5 (``io-path``: ``def path(kind,
operation)``; ``vcpu-run-loop``: ``def run_vm(vcpu, devices)``) and must end non-passing with a
clear message, leave the server grading correctly, and leave no trace on the host: no new files,
no stray processes, nothing secret in the report. docs/security.md lists the same attacks with
what stops each one.
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

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.grading.limits import Limits
from tutor.web import create_app

from ..conftest import ROOT
from .live import descendants_of, grading_children

CANARY_ENV = "VIRTTUTOR_ATTACK_CANARY"
CANARY = "canary-5b1e0c77"
os.environ[CANARY_ENV] = CANARY  # in the server's own environment: must never reach a report
FAST = Limits(cpu_seconds=1, wall_seconds=2.5, memory_mb=256, output_kb=64)
IO_PATH = "io-path"
VCPU = "vcpu-run-loop"
SOLUTION = ROOT / "lessons/05-hypervisors/exercises/io-path/solution.py"
CASES = ROOT / "lessons/05-hypervisors/exercises/io-path/cases.py"
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
        r"can't start new thread",
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
        "def path(kind, operation):\n    print('x' * 100_000_000)\n",
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
        r"is not a layer",
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
        r"is not a layer",
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
    _a("delete_case_generator", f"import os\nos.remove({str(CASES)!r})\n", r"No such file"),
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
        r"is not a layer",
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
        r"serial console",
        VCPU,
    ),
    _a(
        "not_plain_data",
        "class Weird:\n    pass\n\ndef run_vm(vcpu, devices):\n    vcpu.state = 'halted'\n"
        "    devices.serial = Weird()\n",
        r"not plain data",
        VCPU,
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
        r"'made_up' is not a layer",
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
    _a("huge_source", "x = 1\n" * 60_000, r"larger than 200 KB"),
    _a(
        "lone_surrogates", "def path(kind, operation):\n    return ['\udcff']\n", r"not valid UTF-8"
    ),
    _a("null_bytes", "x = '\0'\n", r"null bytes"),
    _a("syntax_error", "def path(kind, operation:\n    return []\n", r"SyntaxError on line 1"),
    _a(
        "unicode_confusable_name",
        "def p\u0430th(kind, operation):\n    return []\n",
        r"only looks like 'path'",
    ),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    db = tmp_path_factory.mktemp("attacks") / "attacks.db"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "attack-tests-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
            "WTF_CSRF_ENABLED": False,
            "GRADER": "sandbox",
            "GRADER_WORKERS": 2,
        }
    )
    for exercise in app.extensions["catalog"].exercises():
        exercise.limits = FAST
    yield app


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert _grade(client, IO_PATH, SOLUTION.read_text())["verdict"] == "passed"  # pool warm
    return client


def _grade(client: FlaskClient, exercise: str, code: str) -> dict[str, object]:
    response = client.post(f"/api/exercises/{exercise}/grade", json={"code": code})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, dict)
    return body


def _processes() -> tuple[set[int], int]:
    """The server's long-lived processes (bubblewrap, zygotes) and how many forked children
    exist: at rest exactly one pre-forked spare per zygote, nothing else."""
    everything = descendants_of(os.getpid())
    children = set(grading_children(os.getpid(), running=False))
    return everything - children, len(children)


def _left_behind(before: set[int], spares: int, patience: float = 3.0) -> set[int]:
    """Processes that were not there before, once the pool is back at rest. A process that was
    still exiting when the test began may vanish meanwhile; that is not a leftover."""
    deadline = time.monotonic() + patience
    while True:
        now, now_spares = _processes()
        extra = now - before
        if not extra and now_spares == spares:
            return set()
        if time.monotonic() > deadline:
            return extra or {-now_spares}
        time.sleep(0.05)


def _host_traces() -> list[str]:
    paths = [*WRITE_TARGETS[:-1], "/tmp/fill", str(ROOT / "fill")]
    return [p for p in paths if os.path.exists(p)] + (
        [] if CASES.exists() and SOLUTION.exists() else ["lesson files are gone"]
    )


def test_the_attack_list_is_long_enough() -> None:
    names = [a.name for a in ATTACKS]
    assert len(names) >= 30 and len(set(names)) == len(names)


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_fails_cleanly_and_leaves_no_trace(client: FlaskClient, attack: Attack) -> None:
    before, spares = _processes()
    report = _grade(client, attack.exercise, attack.code)
    text = json.dumps(report, ensure_ascii=False)
    messages = [str(report["message"]["en"])] + [str(c["message"]["en"]) for c in report["cases"]]  # type: ignore[index,union-attr]
    assert report["verdict"] != "passed" and report["score"] == 0, text[:500]
    assert any(re.search(attack.expect, m) for m in messages), (attack.expect, messages[:3])
    assert CANARY not in text and "attack-tests-secret" not in text
    assert _host_traces() == []
    # The server is still healthy: the same path grades the reference solution fully.
    assert _grade(client, IO_PATH, SOLUTION.read_text())["verdict"] == "passed"
    assert _left_behind(before, spares) == set(), "a process was left behind"


def test_concurrent_submission_is_invisible_to_an_attacker(client: FlaskClient) -> None:
    secret = "OTHER-STUDENT-" + "e91f"  # the literal never appears whole in the attack's source
    other = f"import time\n# {secret}\ndef path(kind, operation):\n    time.sleep(0.3)\n"
    thread = threading.Thread(target=_grade, args=(client, IO_PATH, other))
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
    report = _grade(client, IO_PATH, spy)
    thread.join()
    assert report["verdict"] == "failed" and secret not in json.dumps(report)


def test_browser_only_gets_practice_cases(app: Flask, client: FlaskClient) -> None:
    page = client.get("/lessons/hypervisors").get_data(as_text=True)
    exercise = app.extensions["catalog"].exercise(VCPU)
    hidden = exercise.cases(12345, "hidden")
    practice = exercise.cases(0, "practice")
    assert all(c.name in page for c in practice)
    assert not any(c.name in page for c in hidden)
    assert "HOST_IO = " not in page and "cases.py" not in page  # no solution, no generator


def test_what_the_sandbox_can_see() -> None:
    from tutor.grading.protocol import Case
    from tutor.grading.sandbox import SandboxRunner, shared_pool

    spy = (
        "import os\n\ndef path(kind, operation):\n"
        "    return ['uid=%d' % os.getuid(), 'env=' + ','.join(sorted(os.environ))]"
        " + ['/' + n for n in sorted(os.listdir('/'))]"
        " + ['/usr/' + n for n in sorted(os.listdir('/usr'))]"
        " + ['/root/' + n for n in os.listdir('/root')]"
        " + ['/tmp/' + n for n in os.listdir('/tmp')]\n"
    )
    driver = (ROOT / "lessons/05-hypervisors/exercises/io-path/driver.py").read_text()
    (outcome,) = SandboxRunner(shared_pool(2)).run(
        spy, driver, [Case("c", {"kind": "kvm", "operation": "privileged"})], FAST
    )
    seen = outcome.output["path"]
    assert seen[0] == "uid=65534" and seen[1] in ("env=LANG", "env=LANG,PWD")
    top = {p for p in seen if p.count("/") == 1}
    assert top <= {
        "/usr",
        "/lib",
        "/lib64",
        "/lib32",
        "/bin",
        "/sbin",
        "/root",
        "/grader",
        "/proc",
        "/dev",
        "/tmp",
    }
    assert {p for p in seen if p.startswith("/usr/")} <= {"/usr/lib", "/usr/lib64", "/usr/lib32"}
    assert [p for p in seen if p.startswith("/root/")] in ([], ["/root/.pyenv"])
    assert not [p for p in seen if p.startswith("/tmp/")]
