"""A lab session against the multi-machine set-up of docs/deployment.md, on loopback.

Real servers, each started here and stopped here: PostgreSQL and Redis (tests/servers.py),
gunicorn with ``WEB_PROCESSES`` web processes, and ``WORKERS`` × ``flask tutor worker``. Simulated
students open a session, submit once (a solution or a known wrong program) at a moment spread
over the session, wait for the verdict (a 200, or a 202 they poll) and retry as a browser would
after a documented 503 or a dropped connection. Faults can be injected while they do.

What is checked afterwards, from the database itself:

* every student has a verdict, and every stored submission is ``graded`` (none ``pending``,
  ``grading``, or ``error`` — could not be graded): none lost;
* a trigger installed in the test database logs every write of a verdict: each submission has
  exactly one, so none was graded twice;
* no answer was a 5xx other than the documented 503 (grader unavailable or busy, database
  unavailable).

``python -m bench.lab_session --students 1000`` runs the long session (``make bench``) and prints
the figures for docs/performance.md; tests/storage/test_reliability.py runs a short one with
every fault. Without a program it needs (``missing_tools``) it says which, one line each naming
the Debian package, and exits with status 1 before starting anything.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pwd
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from tests.servers import (  # noqa: E402
    POSTGRES_USER,
    PostgresServer,
    RedisServer,
    ServerMissing,
    free_port,
    postgres_bin,
)

WEB_PROCESSES = 4
WORKERS = 2
# Fast exercises of different lessons, each graded on the learner's own hidden variant.
EXERCISES = ("io-path", "faster-io", "layer-overhead")
FINAL = ("graded", "error")

VERDICT_LOG = """
CREATE TABLE verdict_log (submission_id integer NOT NULL, status text NOT NULL,
                          at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION log_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('graded', 'error')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.report_json IS DISTINCT FROM NEW.report_json) THEN
    INSERT INTO verdict_log (submission_id, status) VALUES (NEW.id, NEW.status);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER submission_verdicts AFTER INSERT OR UPDATE ON submission
  FOR EACH ROW EXECUTE FUNCTION log_verdict();
"""


@dataclass
class Attempt:
    """One student's journey: what they sent, what they were told, how long it took."""

    student: int
    exercise: str
    learner: str = ""  # the id the site gave this browser
    submission: int | None = None
    status: str = ""
    verdict: str = ""
    sent_at: float = 0.0
    verdict_at: float = 0.0
    answers: Counter[int] = field(default_factory=Counter)
    dropped: int = 0  # connections refused or reset (a web process restarting)
    unexpected: list[str] = field(default_factory=list)


class Lab:
    """The servers and processes of one lab session; ``close`` stops every one of them."""

    def __init__(
        self,
        postgres: PostgresServer,
        redis_server: RedisServer,
        database_url: str,
        folder: Path,
        grader: str = "sandbox",
        grader_threads: int = 4,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.postgres = postgres
        self.redis = redis_server
        self.database_url = database_url
        self.folder = folder
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "TUTOR_QUEUE_URL": redis_server.url(0),
            "TUTOR_SECRET_KEY": "lab-session",
            "TUTOR_GRADER": grader,
            "TUTOR_GRADER_WORKERS": str(grader_threads),
            # One machine plays a whole class: every student comes from 127.0.0.1.
            "TUTOR_GRADER_INFLIGHT_PER_IP": "100000",
            "TUTOR_SUBMIT_RATE_LIMIT_PER_IP": "100000 per minute",
            "TUTOR_SESSION_RATE_LIMIT": "100000 per minute",
            "TUTOR_RATELIMIT_STORAGE_URI": redis_server.url(1),
            # Redis restarting must not turn every request into a 500 (docs/deployment.md).
            "TUTOR_RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": "true",
            "TUTOR_RATELIMIT_SWALLOW_ERRORS": "true",
            "TUTOR_GRADER_QUEUE_SIZE": "100000",
            "PYTHONUNBUFFERED": "1",
            **(settings or {}),
        }
        self.web: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes] | None] = [None] * WORKERS
        self._logs: list[object] = []

    # -- processes -----------------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        self._logs.append(log)
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )

    def prepare_database(self) -> None:
        """Migrate once (as `make run` / a deploy does), then install the verdict log."""
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        with psycopg.connect(self.database_url.replace("+psycopg", ""), autocommit=True) as c:
            c.execute(VERDICT_LOG)  # type: ignore[arg-type]

    def start_web(self) -> None:
        self.web = self._spawn(
            "web",
            [
                sys.executable, "-m", "gunicorn", "--workers", str(WEB_PROCESSES),
                "--threads", "16", "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
                "--graceful-timeout", "20", "--no-control-socket", "app:app",
            ],
        )  # fmt: skip
        self.wait_for_web()

    def wait_for_web(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.web is not None and self.web.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.folder / 'web.log'}")
            try:
                status, _, _ = request(self.port, "GET", "/api/lessons", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the web processes did not answer; see {self.folder / 'web.log'}")

    def stop_web(self) -> None:
        """A deploy's restart: SIGTERM lets each process finish the requests it holds."""
        if self.web is not None and self.web.poll() is None:
            self.web.terminate()
            try:
                self.web.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.web.pid, signal.SIGKILL)
                self.web.wait()
        self.web = None

    def start_worker(self, index: int) -> None:
        self.workers[index] = self._spawn(
            f"worker-{index}", [sys.executable, "-m", "flask", "--app", "app", "tutor", "worker"]
        )

    def kill_worker(self, index: int) -> None:
        """kill -9 of the worker process alone, as a crash: its sandbox children are orphaned
        (``close`` ends them with the process group)."""
        worker = self.workers[index]
        if worker is not None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            _kill_group(worker.pid)

    def wait_for_workers(self, seconds: float = 120) -> None:
        """Until a grader has beaten its heartbeat (the web answers 503 before that) and none
        says it cannot grade."""
        from tutor.queue import heartbeat
        from tutor.queue.broker import make_huey

        huey = make_huey(self.redis.url(0))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            beat = heartbeat.last_beat(huey)
            if beat is not None and beat.fresh():
                if beat.refusal_en:
                    raise RuntimeError(f"the worker cannot grade: {beat.refusal_en}")
                return
            time.sleep(0.3)
        raise TimeoutError(f"no worker beat; see {self.folder}/worker-*.log")

    def close(self) -> None:
        # The session is over: no request to finish, so no graceful stop to wait for.
        if self.web is not None:
            _kill_group(self.web.pid)
            self.web.wait()
            self.web = None
        for worker in self.workers:
            if worker is not None:
                _kill_group(worker.pid)
                if worker.poll() is None:
                    worker.kill()
                worker.wait()
        for log in self._logs:
            log.close()  # type: ignore[attr-defined]

    # -- the database's view ----------------------------------------------------------------

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.database_url.replace("+psycopg", "")) as connection:
            return list(connection.execute(sql).fetchall())  # type: ignore[arg-type]

    def wait_until_settled(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                left = self.query(
                    "SELECT count(*) FROM submission WHERE status IN ('pending', 'grading')"
                )
                if left[0][0] == 0:
                    return
            except psycopg.OperationalError:
                pass
            time.sleep(0.5)
        raise TimeoutError("submissions still pending or grading: " + repr(self.query(
            "SELECT id, status, attempts FROM submission WHERE status IN ('pending', 'grading')"
        )))  # fmt: skip


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def missing_tools(grader: str) -> list[tools.Missing]:
    """The programs the session starts that this machine lacks (checked before any is started:
    ``PostgresServer()`` runs initdb, into a folder of /tmp, as soon as it is made)."""
    missing = tools.on_path({"redis-server": "redis-server"})
    try:
        initdb = postgres_bin() / "initdb"
        if not initdb.with_name("pg_ctl").exists():
            missing.append((f"there is no pg_ctl beside {initdb}", "postgresql"))
    except ServerMissing:
        missing.append(("PostgreSQL (initdb, pg_ctl) is not installed", "postgresql"))
    if os.geteuid() == 0:  # PostgreSQL runs as the postgres account (tests/servers.py)
        missing += tools.on_path({"runuser": "util-linux"})
        try:
            pwd.getpwnam(POSTGRES_USER)
        except KeyError:
            missing.append((f"there is no {POSTGRES_USER} account to run it as", "postgresql"))
    if grader == "sandbox":
        missing += tools.on_path({"bwrap": "bubblewrap"})
    return missing


@contextmanager
def lab_servers(folder: Path) -> Iterator[tuple[PostgresServer, RedisServer]]:
    """Both servers, each stopped and its folder removed however the other fared."""
    with ExitStack() as started:
        postgres = PostgresServer()
        started.callback(postgres.close)
        redis_server = RedisServer()
        started.callback(redis_server.close)
        postgres.start()
        redis_server.start()
        yield postgres, redis_server


# -- students -----------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    body: object = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        answer = {k.lower(): v for k, v in response.getheaders()}
        try:
            parsed: object = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")[:300]
        return response.status, answer, parsed
    finally:
        connection.close()


def _cookie(headers: dict[str, str]) -> str:
    return headers.get("set-cookie", "").split(";", 1)[0]


DOCUMENTED = {200, 202, 429, 503}


def student(
    lab_port: Callable[[], int], index: int, code: str, exercise: str, deadline: float
) -> Attempt:
    """A browser that keeps trying (as a learner would, told to retry) until it has a verdict."""
    attempt = Attempt(index, exercise)
    cookie = token = ""
    pause = 0.5
    # The same key on every retry of this student's submit: an answer lost to a fault and sent
    # again gets the stored submission back instead of a second one (docs/api.md).
    key = f"lab-{index}-{uuid.uuid4()}"

    def call(method: str, path: str, body: object = None) -> tuple[int, dict[str, str], object]:
        nonlocal cookie
        headers = {"Cookie": cookie} if cookie else {}
        if token:
            headers["X-CSRFToken"] = token
        if method == "POST":
            headers["Idempotency-Key"] = key
        # A browser waits minutes for an answer before giving up; so does this student.
        status, answer, parsed = request(lab_port(), method, path, body, headers, timeout=300)
        attempt.answers[status] += 1
        if status >= 500 and status != 503:
            attempt.unexpected.append(f"{method} {path}: {status} {str(parsed)[:200]}")
        if _cookie(answer):
            cookie = _cookie(answer)
        return status, answer, parsed

    def wait(answer: dict[str, str]) -> None:
        time.sleep(min(5.0, float(answer.get("retry-after") or pause)) * random.uniform(0.5, 1))

    while time.monotonic() < deadline and not attempt.verdict:
        try:
            if not token:
                status, answer, parsed = call("GET", "/api/session")
                if status == 200 and isinstance(parsed, dict):
                    token = str(parsed["csrf_token"])
                    attempt.learner = str(parsed["learner"])
                else:
                    wait(answer)
                continue
            if attempt.submission is None:
                if not attempt.sent_at:
                    attempt.sent_at = time.monotonic()
                status, answer, parsed = call(
                    "POST", f"/api/exercises/{exercise}/grade", {"code": code}
                )
                if status in (200, 202) and isinstance(parsed, dict):
                    attempt.submission = int(parsed["submission"])
                    attempt.status = str(parsed.get("status"))
                    if attempt.status in FINAL:
                        attempt.verdict = str(parsed.get("verdict"))
                        attempt.verdict_at = time.monotonic()
                else:
                    wait(answer)
                continue
            status, answer, parsed = call("GET", f"/api/submissions/{attempt.submission}")
            if status == 200 and isinstance(parsed, dict) and parsed.get("status") in FINAL:
                attempt.status = str(parsed["status"])
                attempt.verdict = str(parsed.get("verdict"))
                attempt.verdict_at = time.monotonic()
            else:
                time.sleep(0.25 if status in (200, 202) else pause)
        except OSError:  # refused or reset: a web process restarting
            attempt.dropped += 1
            time.sleep(pause)
    return attempt


@dataclass
class Session:
    attempts: list[Attempt]
    seconds: float
    rows: dict[int, tuple[str, int, float, str]]  # id -> (status, attempts, latency s, learner)
    verdicts: Counter[int]  # submission id -> verdicts written

    def problems(self) -> list[str]:
        found = []
        without = [a.student for a in self.attempts if not a.verdict]
        if without:
            found.append(f"{len(without)} student(s) got no verdict: {without[:10]}")
        unexpected = [u for a in self.attempts for u in a.unexpected]
        if unexpected:
            found.append(f"{len(unexpected)} unexpected 5xx: {unexpected[:5]}")
        unfinished = {i: r[0] for i, r in self.rows.items() if r[0] != "graded"}
        if unfinished:
            found.append(f"submissions not graded: {dict(list(unfinished.items())[:10])}")
        twice = {i: n for i, n in self.verdicts.items() if n != 1}
        missing = set(self.rows) - set(self.verdicts)
        if twice or missing:
            found.append(f"verdicts not exactly one: {twice}, none for {sorted(missing)[:10]}")
        learners = {a.learner for a in self.attempts}
        strangers = [i for i in self.unanswered() if self.rows[i][3] not in learners]
        if strangers:
            found.append(f"stored submissions of no student: {strangers[:10]}")
        return found

    def unanswered(self) -> list[int]:
        """Stored submissions whose answer the student never got (the database or the web
        process went away after the row was stored) and that the student's retry did not get
        back. Students send an ``Idempotency-Key``, so there should be none; each would still
        be graded once (the check above holds them to it)."""
        known = {a.submission for a in self.attempts}
        return sorted(set(self.rows) - known)

    def figures(self) -> dict[str, float]:
        client = sorted(a.verdict_at - a.sent_at for a in self.attempts if a.verdict)
        server = sorted(r[2] for r in self.rows.values())
        answers: Counter[int] = Counter()
        for a in self.attempts:
            answers.update(a.answers)
        return {
            "students": len(self.attempts),
            "seconds": round(self.seconds, 1),
            "verdict_p50_s": round(_percentile(client, 50), 2),
            "verdict_p99_s": round(_percentile(client, 99), 2),
            "graded_p50_s": round(_percentile(server, 50), 2),
            "graded_p99_s": round(_percentile(server, 99), 2),
            "answers_503": answers[503],
            "answers_202": answers[202],
            "dropped_connections": sum(a.dropped for a in self.attempts),
            "retried_claims": sum(1 for r in self.rows.values() if r[1] > 1),
            "stored_unanswered": len(self.unanswered()),
        }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def programs(students: int, seed: int = 10) -> list[tuple[str, str]]:
    """(exercise, code) per student: mostly solutions, some known wrong programs, each made the
    student's own by a comment (a class does not hand in byte-identical files)."""
    from tutor.content import load_catalog

    catalog = load_catalog(ROOT / "lessons")
    rng = random.Random(seed)
    chosen = []
    for index in range(students):
        exercise = catalog.exercise(EXERCISES[index % len(EXERCISES)])
        assert exercise is not None
        wrong = [w.code for w in exercise.wrong]
        code = rng.choice(wrong) if wrong and rng.random() < 0.3 else exercise.solution
        chosen.append((exercise.id, f"{code}\n# student {index}\n"))
    return chosen


def run_session(
    lab: Lab,
    students: int,
    spread_seconds: float,
    concurrency: int = 64,
    faults: Callable[[Lab, float], None] | None = None,
    settle_seconds: float = 300,
) -> Session:
    """``students`` submissions starting at moments spread over ``spread_seconds``; ``faults``
    runs beside them (given the lab and the session's start)."""
    work = programs(students)
    start = time.monotonic()
    deadline = start + spread_seconds + settle_seconds
    # One generator for all: a fresh Random(1) per student gave every student the same moment.
    arrivals = random.Random(1)
    moments = sorted(arrivals.uniform(0, spread_seconds) for _ in range(students))

    def one(index: int) -> Attempt:
        delay = start + moments[index] - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        exercise, code = work[index]
        return student(lambda: lab.port, index, code, exercise, deadline)

    fault_thread = None
    if faults is not None:
        fault_thread = threading.Thread(target=faults, args=(lab, start), name="faults")
        fault_thread.start()
    with ThreadPoolExecutor(concurrency) as pool:
        attempts = list(pool.map(one, range(students)))
    if fault_thread is not None:
        fault_thread.join()
    lab.wait_until_settled(settle_seconds)
    seconds = time.monotonic() - start
    rows = {
        int(i): (str(s), int(n), float(latency), str(learner))  # type: ignore[call-overload]
        for i, s, n, latency, learner in lab.query(
            "SELECT id, status, attempts, EXTRACT(EPOCH FROM graded_at - created_at), learner "
            "FROM submission"
        )
    }
    verdicts: Counter[int] = Counter(
        int(i)  # type: ignore[call-overload]
        for (i,) in lab.query("SELECT submission_id FROM verdict_log")
    )
    return Session(attempts, seconds, rows, verdicts)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lab_session")
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=180, help="seconds the arrivals span")
    parser.add_argument("--grader", default="sandbox", choices=("sandbox", "process"))
    parser.add_argument("--folder", type=Path, default=ROOT / "instance" / "lab-session")
    args = parser.parse_args()
    tools.require("bench.lab_session", missing_tools(args.grader))
    args.folder.mkdir(parents=True, exist_ok=True)
    with lab_servers(args.folder) as (postgres, redis_server):
        url = postgres.create_database("lab")
        lab = Lab(postgres, redis_server, url, args.folder, grader=args.grader)
        try:
            lab.prepare_database()
            for index in range(WORKERS):
                lab.start_worker(index)
            lab.start_web()
            lab.wait_for_workers()
            session = run_session(lab, args.students, args.spread, concurrency=200)
        finally:
            lab.close()
    print(json.dumps(session.figures(), indent=2))
    problems = session.problems()
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
