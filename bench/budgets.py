"""The server-side goals of issue #15, each as a ratio measured in this one run (``make bench``).

    .venv/bin/python -m bench.budgets [--seconds 10] [--lesson hypervisors] [--clients 4]

One gunicorn (``bench.served_app``: the real application plus a trivial route), started and
stopped here, with a fresh SQLite database and grading inside the request (``QUEUE_URL=
immediate``, the bubblewrap sandbox), so a Submit over HTTP costs what the server does for it:

* **lesson page throughput** (wrk, a learner's session cookie) against ``/bench/trivial`` on the
  same server in the same wrk run, on the same connections, alternated second by second
  (``bench/alternate.lua``; the median of each page second's rate over the two seconds around
  it): goal ≥ 0.8. Measured twice: as wrk asks by default (no compression, the issue's method)
  and as a browser asks (``Accept-Encoding: br, gzip``). Beside each, the web processes' CPU per
  request of the page and of the trivial route, second by second.
* **graded submissions per second** end to end (``POST /api/exercises/<id>/grade``, ``--clients``
  learners each with one submission in flight on a kept-alive connection, ``Submitter``) against
  the sandbox alone (``SandboxRunner`` with as many zygotes, as many in flight, in this
  process), the two taking turns of a second, both set up once (``bench.alternation``; the
  median of each HTTP turn's rate over the two sandbox turns around it): goal ≥ 0.7; with the
  bytes of each reply,
  the web processes' CPU per submission (their own time, not the sandboxed children's) and the
  whole machine's busy time per graded submission on each side (``/proc/stat``): both keep the
  cores busy, so the ratio is about the sandbox's cost over a submission's whole cost over HTTP.
* **JS sent for a lesson**, except Pyodide: every script of the page and every module they import,
  fetched with ``Accept-Encoding: gzip``: goal ≤ 150 KB.

It fails loudly (exit status 1, naming the Debian package) when wrk or bubblewrap is missing.
The machine's load average is printed: on a shared machine every figure depends on it.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from bench.alternation import (  # noqa: E402
    Alternation,
    Turn,
    median_rate,
    neighbour_ratios,
    per_job_ms,
    ratios_to_neighbours,
)
from tests.servers import free_port  # noqa: E402

if TYPE_CHECKING:
    from tutor.content import Exercise
    from tutor.grading.sandbox import SandboxPool

WEB_PROCESSES = 2
WEB_THREADS = 8
GOALS = {"lesson": 0.8, "grading": 0.7, "js_kb": 150.0}
EXERCISES = ("io-path", "vcpu-run-loop")
# What a browser sends; wrk sends no Accept-Encoding unless told.
BROWSER_ENCODING = "br, gzip"
# Grading over HTTP and the sandbox alone take turns of this long (``bench.alternation``): two
# turns per ``TURN_SECONDS`` of ``--seconds``, and one more of the sandbox's to end with.
TURN_SECONDS = 1.0
# The page's run, in ``--seconds``: each second of the page against the two seconds around it of
# the trivial route, on the same connections (``alternated``). The page's two sides differ by a
# tenth of a millisecond of CPU, and one second's rate swings with the host: a run of 20 s had
# five page seconds in a row at 0.68–0.80 while the host took the machine (median 0.80, the
# server's CPU ratio 0.82), so 30 s, the median of about fourteen.
PAGE_SECONDS = 3
ALTERNATE = Path(__file__).with_name("alternate.lua")
SENT = re.compile(r"^second (\d+) (\d+)$", re.M)
NEEDED = {"wrk": "wrk", "bwrap": "bubblewrap"}


def require_tools() -> None:
    tools.require("bench.budgets", tools.on_path(NEEDED))


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master), not their sandboxes."""
        return self.children(self.process.pid)

    @staticmethod
    def children(pid: int) -> list[int]:
        """Processes started by any thread of ``pid`` (each thread lists its own; a thread may
        end between the listing and the reading: it then started none that count)."""
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                found += [int(child) for child in (task / "children").read_text().split()]
            except FileNotFoundError:
                continue
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU of every web process so far (``/proc/<pid>/stat``)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


@contextmanager
def served(folder: Path, grader_threads: int) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "TUTOR_SECRET_KEY": "bench-budgets",
        "TUTOR_QUEUE_URL": "immediate",
        "TUTOR_GRADER": "sandbox",
        "TUTOR_GRADER_WORKERS": str(grader_threads),
        "TUTOR_ASSETS_MODE": "local",  # every script from this server, so all of it is counted
        "TUTOR_GRADER_INFLIGHT_PER_IP": "100000",
        "TUTOR_SUBMIT_RATE_LIMIT": "100000 per minute",
        "TUTOR_SUBMIT_RATE_LIMIT_PER_IP": "100000 per minute",
        "TUTOR_SESSION_RATE_LIMIT": "100000 per minute",
        "TUTOR_RATELIMIT_STORAGE_URI": "memory://",
        "TUTOR_GRADER_QUEUE_SIZE": "100000",
    }
    log = folder / "gunicorn.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers",
                str(WEB_PROCESSES),
                "--threads",
                str(WEB_THREADS),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "bench.served_app:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    server = Server(port, process, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            sys.exit(
                f"gunicorn exited at start; see {server.log}:\n{server.log.read_text()[-3000:]}"
            )
        try:
            status, _, _ = get(server, "/bench/trivial")
            if status == 200 and len(server.worker_pids()) == WEB_PROCESSES:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within 120 s; see {server.log}")


def get(
    server: Server, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = server.connection()
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@dataclass
class Learner:
    cookie: str
    token: str


def new_learner(server: Server) -> Learner:
    status, headers, body = get(server, "/api/session")
    assert status == 200, (status, body[:200])
    cookie = headers["set-cookie"].split(";", 1)[0]
    return Learner(cookie, json.loads(body)["csrf_token"])


# -- lesson page throughput ---------------------------------------------------------------------


def wrk_command(seconds: float, headers: dict[str, str]) -> list[str]:
    command = ["wrk", "--threads", "2", "--connections", "16", "--duration", f"{seconds:g}s"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    return command


def run_wrk(seconds: float, headers: dict[str, str], *target: str) -> str:
    """wrk's output of one run on ``target`` (a URL, or a script, a URL and its arguments); a run
    that got error replies stops the bench, saying so."""
    out = subprocess.run(
        [*wrk_command(seconds, headers), *target], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in out:
        sys.exit(f"wrk got errors from {' '.join(target)}:\n{out}")
    return out


def warm(server: Server, path: str, headers: dict[str, str]) -> None:
    """A second of wrk on ``path``, its figures not kept."""
    out = run_wrk(1, headers, server.url(path))
    if not re.search(r"[1-9]\d* requests in", out):
        sys.exit(f"wrk got nothing from {path}:\n{out}")


@dataclass
class PageFigures:
    label: str
    rate: float  # the lesson page, requests/s (median of its seconds)
    trivial_rate: float
    ratio: float  # the median of each page second's rate over its two trivial neighbours'
    cpu_ms: float  # web-process CPU per lesson page (median of its seconds)
    trivial_cpu_ms: float
    pairs: int  # how many page seconds had both neighbours


def alternated(
    server: Server, path: str, yardstick: str, seconds: float, headers: dict[str, str]
) -> PageFigures:
    """One wrk run (``bench/alternate.lua``): ``path`` in the clock's even seconds,
    ``yardstick`` in its odd ones, on the same connections; per whole second, the requests sent
    and the web processes' CPU (read at each second's start by a thread here)."""
    cpu_at: dict[int, float] = {}
    stop = threading.Event()

    def read_cpu_each_second() -> None:
        while not stop.is_set():
            time.sleep(1 - time.time() % 1 + 0.002)
            cpu_at[int(time.time())] = server.cpu_seconds()

    reader = threading.Thread(target=read_cpu_each_second, daemon=True)
    reader.start()
    try:
        out = run_wrk(
            seconds, headers, "--script", str(ALTERNATE), server.url("/"), "--", path, yardstick
        )
    finally:
        stop.set()
        reader.join()
    sent = {int(second): int(count) for second, count in SENT.findall(out)}
    figures = second_by_second(sent, cpu_at)
    if figures is None:
        sys.exit(f"wrk sent too little to compare {path} with {yardstick}:\n{out}")
    return figures


def second_by_second(sent: dict[int, int], cpu_at: dict[int, float]) -> PageFigures | None:
    """The figures of an alternated run from the requests sent in each second of the clock (the
    measured path in even seconds) and the web processes' CPU seconds at each second's start;
    None when no even second has two whole odd seconds around it."""
    whole = sorted(sent)[1:-1]  # wrk started and stopped within the first and last
    if not all(sent[second] for second in whole):
        return None
    cpu_ms = {
        second: 1000 * (cpu_at[second + 1] - cpu_at[second]) / sent[second]
        for second in whole
        if second in cpu_at and second + 1 in cpu_at
    }
    page = [second for second in whole if second % 2 == 0]
    trivial = [second for second in whole if second % 2]
    ratios = ratios_to_neighbours({second: sent[second] for second in whole}, page)
    if not ratios:
        return None

    def median_cpu(seconds: list[int]) -> float:
        found = [cpu_ms[second] for second in seconds if second in cpu_ms]
        return statistics.median(found) if found else float("nan")

    return PageFigures(
        "",
        statistics.median(sent[second] for second in page),
        statistics.median(sent[second] for second in trivial),
        statistics.median(ratios),
        median_cpu(page),
        median_cpu(trivial),
        len(ratios),
    )


def lesson_throughput(server: Server, lesson: str, seconds: float) -> list[PageFigures]:
    learner = new_learner(server)
    rows = []
    for label, encoding in (
        ("no compression (wrk's default)", None),
        ("as a browser", BROWSER_ENCODING),
    ):
        headers = {"Cookie": learner.cookie}
        if encoding:
            headers["Accept-Encoding"] = encoding
        status, answer, body = get(server, f"/lessons/{lesson}", headers)
        assert status == 200, (status, body[:200])
        if "set-cookie" in answer:  # what a browser would send from now on
            learner.cookie = headers["Cookie"] = answer["set-cookie"].split(";", 1)[0]
        # Every web process renders and caches the page on its first request of it: a second
        # of each before the measured run, so it measures no process's first render.
        warm(server, f"/lessons/{lesson}", headers)
        warm(server, "/bench/trivial", headers)
        figures = alternated(
            server, f"/lessons/{lesson}", "/bench/trivial", PAGE_SECONDS * seconds, headers
        )
        figures.label = label
        rows.append(figures)
    return rows


# -- grading over HTTP against the sandbox alone ------------------------------------------------


@dataclass
class GradingFigures:
    exercise: str
    http_rate: float
    sandbox_rate: float
    ratio: float  # the median of each HTTP turn's rate over the two sandbox turns around it
    reply_bytes: float
    cpu_ms: float
    graded: int
    machine_ms: float  # every core's busy time per graded submission, over HTTP
    alone_machine_ms: float  # and with the sandbox alone
    pairs: int  # HTTP turns compared


def machine_busy_seconds() -> float:
    """Busy time of every core so far (``/proc/stat``: user, nice, system, irq and softirq; not
    idle, I/O wait or steal, the time a virtual machine's host gave to others): what a graded
    submission costs the whole machine, whichever process spent it (the web processes, their
    sandboxes, the clients, the kernel)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


class Submitter:
    """One learner's kept-alive connection, sending the same submit again and again.

    A request is written in one ``sendall`` and its reply read by ``Content-Length``: the
    client shares the server's two cores, and ``http.client`` (its headers read by
    ``email.parser``) cost 0.48 ms of CPU per submission, this 0.13 ms (one client, thread
    CPU). In the same runs the ratio below rose by 0.03–0.06 (seven alternated pairs): a
    heavier client took that from the server it measures. A reply without ``Content-Length``
    or a closed connection stops the run, saying so."""

    def __init__(self, server: Server, path: str, body: bytes, learner: Learner) -> None:
        self.socket = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        self.replies = self.socket.makefile("rb")
        self.path, self.body, self.learner = path, body, learner
        self.request = self._request()

    def _request(self) -> bytes:
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            f"Cookie: {self.learner.cookie}\r\nX-CSRFToken: {self.learner.token}\r\n"
            f"Content-Length: {len(self.body)}\r\n\r\n"
        )
        return head.encode() + self.body

    def submit(self) -> tuple[int, bytes]:
        self.socket.sendall(self.request)
        status_line = self.replies.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        length = None
        while (line := self.replies.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"set-cookie":  # kept, as a browser keeps it (the first verdict
                # notes "stored" in it)
                self.learner.cookie = value.strip().split(b";", 1)[0].decode()
                self.request = self._request()
        if length is None:
            raise ConnectionError(f"a reply without Content-Length: {status_line!r}")
        return int(status_line.split()[1]), self.replies.read(length)

    def close(self) -> None:
        self.replies.close()
        self.socket.close()


def warm_every_process(server: Server, exercise_id: str, code: str, clients: int) -> None:
    """Grades until every web process has started its sandbox pool (its zygotes are its
    children): a process starts it on its first submission, which takes seconds, and the
    clients' kept-alive connections may all land on one process, so new ones are made each
    second until both have; otherwise a turn would measure a process's start."""
    deadline = time.monotonic() + 120
    while True:
        submitters, _sizes, submit = over_http(server, exercise_id, code, clients)
        take_turns(server, {"http": submit}, clients, ["http"], submitters)
        if all(server.children(pid) for pid in server.worker_pids()):
            return
        if time.monotonic() > deadline:
            sys.exit("a web process did not start its sandbox pool within 120 s")


def sandbox_alone(exercise: Exercise, clients: int) -> tuple[SandboxPool, Callable[[int], None]]:
    """A started pool of ``clients`` zygotes in this process, and a job running the exercise's
    solution in it as the grading server would (its hidden cases, encoded, the reply decoded)."""
    from tutor.grading.judge import variant_seed
    from tutor.grading.sandbox import SandboxPool, SandboxRunner

    cases = exercise.cases(variant_seed("bench", "student", exercise.id), "hidden")
    pool = SandboxPool(clients)
    pool.start()
    runner = SandboxRunner(pool)

    def run(_client: int) -> None:
        runner.run(exercise.solution, exercise.driver, cases, exercise.limits)

    return pool, run


def over_http(
    server: Server, exercise_id: str, code: str, clients: int
) -> tuple[list[Submitter], list[int], Callable[[int], None]]:
    """``clients`` learners' kept-alive connections, the sizes of the replies they get, and a job
    submitting ``code`` on one of them (a reply that is not a pass stops the bench)."""
    body = json.dumps({"code": code}).encode()
    path = f"/api/exercises/{exercise_id}/grade"
    submitters = [Submitter(server, path, body, new_learner(server)) for _ in range(clients)]
    sizes: list[int] = []

    def submit(client: int) -> None:
        status, reply = submitters[client].submit()
        if status != 200 or json.loads(reply).get("verdict") != "passed":
            raise RuntimeError(f"{status} {reply[:300]!r}")
        sizes.append(len(reply))

    return submitters, sizes, submit


def take_turns(
    server: Server,
    jobs: dict[str, Callable[[int], None]],
    clients: int,
    sides: list[str],
    submitters: list[Submitter],
) -> list[Turn]:
    """``sides``' turns of ``TURN_SECONDS``, the submitters' connections closed after them; a
    reply that is not a pass or a lost connection stops the bench, saying so."""
    try:
        alternation = Alternation(jobs, clients, server.cpu_seconds, machine_busy_seconds)
        return alternation.run(sides, TURN_SECONDS)
    except (RuntimeError, OSError, ValueError) as failed:
        sys.exit(f"grading over HTTP failed: {failed!s}")
    finally:
        for submitter in submitters:
            submitter.close()


def grading_figures(server: Server, clients: int, seconds: float) -> list[GradingFigures]:
    """Per exercise, grading over HTTP and the sandbox alone taking turns (``Alternation``), the
    sandbox's first and last: each HTTP turn's rate over the mean of the two around it."""
    from tutor.content import load_catalog

    catalog = load_catalog(ROOT / "lessons")
    turns_count = 2 * max(1, round(seconds / TURN_SECONDS)) + 1
    sides = ["alone" if i % 2 == 0 else "http" for i in range(turns_count)]
    rows = []
    for exercise_id in EXERCISES:
        exercise = catalog.exercise(exercise_id)
        assert exercise is not None, exercise_id
        warm_every_process(server, exercise_id, exercise.solution, clients)
        submitters, sizes, submit = over_http(server, exercise_id, exercise.solution, clients)
        pool, alone = sandbox_alone(exercise, clients)
        try:
            turns = take_turns(server, {"http": submit, "alone": alone}, clients, sides, submitters)
        finally:
            pool.close()
        ratios = neighbour_ratios(turns, "http")
        rows.append(
            GradingFigures(
                exercise_id,
                median_rate(turns, "http"),
                median_rate(turns, "alone"),
                statistics.median(ratios),
                statistics.mean(sizes),
                per_job_ms(turns, "http", lambda turn: turn.cpu_seconds),
                len(sizes),
                per_job_ms(turns, "http", lambda turn: turn.busy_seconds),
                per_job_ms(turns, "alone", lambda turn: turn.busy_seconds),
                len(ratios),
            )
        )
    return rows


# -- JS sent for a lesson -----------------------------------------------------------------------

SCRIPT_SRC = re.compile(r"<script\b[^>]*?\bsrc=\"([^\"]+)\"")
# Scripts the page loads itself rather than through <script src>: the d3 loader's local copies
# (one per d3 module) and CodeMirror's (loaded with the first editor), URLs separated by spaces.
# Counted as sent: a learner who uses the page gets them all.
LOADED_BY_THE_PAGE = re.compile(r"\bdata-(?:local|codemirror)=\"([^\"]+\.js[^\"]*)\"")
# Static imports, dynamic imports, workers and `new URL("./x.js", import.meta.url)`.
JS_REFERENCE = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew\s+(?:Worker|URL)\s*\(\s*|\bimportScripts\s*\(\s*)"""
    r"""["']((?:\.{1,2}/|/static/)[^"']+?\.m?js)["']"""
)
EXCLUDED = ("/vendor/pyodide-",)
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.S)
# The animation's renderer is imported by a computed name (`./${name}.js`): taken from the page.
ANIMATION = re.compile(r"\bdata-animation=\"([\w-]+)\"")


def lesson_scripts(server: Server, lesson: str) -> dict[str, tuple[int, int]]:
    """Every script URL of the lesson (transitively) → (bytes, bytes as sent with gzip)."""
    _, _, page = get(server, f"/lessons/{lesson}")
    html = page.decode()
    base = server.url(f"/lessons/{lesson}")
    sources = SCRIPT_SRC.findall(html) + [
        url for found in LOADED_BY_THE_PAGE.findall(html) for url in found.split()
    ]
    queue = [urljoin(base, src) for src in sources]
    queue += [server.url(f"/static/js/viz/{name}.js") for name in ANIMATION.findall(html)]
    sizes: dict[str, tuple[int, int]] = {}
    while queue:
        url = queue.pop()
        path = urlsplit(url)
        key = path.path
        if key in sizes or any(part in key for part in EXCLUDED):
            continue
        target = f"{path.path}?{path.query}" if path.query else path.path
        status, headers, sent = get(server, target, {"Accept-Encoding": "gzip"})
        if status != 200:
            sys.exit(f"{target}: HTTP {status}")
        raw = gzip.decompress(sent) if headers.get("content-encoding") == "gzip" else sent
        sizes[key] = (len(raw), len(sent))
        for reference in JS_REFERENCE.findall(COMMENT.sub("", raw.decode("utf-8", "replace"))):
            queue.append(urljoin(url, reference))
    return sizes


# -- the report ---------------------------------------------------------------------------------


def line(label: str, measured: str, yardstick: str, ratio: float, goal: str, met: bool) -> None:
    print(
        f"{label:56} {measured:>13} {yardstick:>13} {ratio:6.2f} {goal:>7}  "
        f"{'met' if met else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.budgets")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--lesson", default="hypervisors")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    require_tools()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-budgets-") as tmp:
        grader_threads = max(1, args.clients // WEB_PROCESSES)
        with served(Path(tmp), grader_threads) as server:
            scripts = lesson_scripts(server, args.lesson)
            pages = lesson_throughput(server, args.lesson, args.seconds)
            grading = grading_figures(server, WEB_PROCESSES * grader_threads, args.seconds)
    load_after = os.getloadavg()

    print(
        f"\n#15 budgets, {os.cpu_count()} cores, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after; gunicorn {WEB_PROCESSES} processes × {WEB_THREADS} threads"
    )
    print(f"{'goal':56} {'measured':>13} {'yardstick':>13} {'ratio':>6} {'goal':>7}")
    for page in pages:
        line(
            f"lesson page {args.lesson}, {page.label}",
            f"{page.rate:.0f} r/s",
            f"{page.trivial_rate:.0f} r/s",
            page.ratio,
            "≥ 0.80",
            page.ratio >= GOALS["lesson"],
        )
        # What the page costs the server itself, beside the rates (wrk shares the two cores).
        print(
            f"  web-process CPU per request: page {page.cpu_ms:.2f} ms, trivial route "
            f"{page.trivial_cpu_ms:.2f} ms (ratio {page.trivial_cpu_ms / page.cpu_ms:.2f}); "
            f"the median of {page.pairs} seconds of the page against the two around each"
        )
    for row in grading:
        ratio = row.ratio
        line(
            f"graded over HTTP / sandbox alone, {row.exercise}",
            f"{row.http_rate:.1f}/s",
            f"{row.sandbox_rate:.1f}/s",
            ratio,
            "≥ 0.70",
            ratio >= GOALS["grading"],
        )
        print(
            f"  {row.graded} graded: {row.reply_bytes / 1000:.1f} KB per reply, "
            f"{row.cpu_ms:.2f} ms of web-process CPU per submission; the median of "
            f"{row.pairs} turns of {TURN_SECONDS:g} s over HTTP against the two sandbox turns "
            "around each"
        )
        # Where the ratio comes from: both sides keep the two cores busy, so it is close to
        # the sandbox's cost over the whole cost of a submission over HTTP.
        print(
            f"  the machine's busy time per graded submission: {row.machine_ms:.1f} ms over "
            f"HTTP, {row.alone_machine_ms:.1f} ms sandbox alone (≥ 0.70 needs ≤ "
            f"{row.alone_machine_ms / GOALS['grading']:.1f} ms over HTTP)"
        )
    raw = sum(size for size, _ in scripts.values())
    sent = sum(size for _, size in scripts.values())
    ratio = sent / 1000 / GOALS["js_kb"]
    line(
        f"JS for the lesson but Pyodide, gzip ({len(scripts)} files)",
        f"{sent / 1000:.1f} KB",
        f"{raw / 1000:.1f} KB",
        ratio,
        "≤ 1.00",
        ratio <= 1.0,
    )
    print("  (JS row: yardstick = the same files uncompressed; ratio = bytes sent / 150 KB)")


if __name__ == "__main__":
    main()
