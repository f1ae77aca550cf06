"""One client cannot crowd out the others (#11), against a live server run as docs/deployment.md
says (waitress, buffering whole requests, behind one trusted proxy so each simulated machine has
its own address in ``X-Forwarded-For``).

* one submission in flight per learner and per address: the next is 429 with ``Retry-After``,
  nothing stored; another address is served;
* a greedy address with 16 threads (16 learners) submitting slow programs as fast as it can does
  not slow an honest learner elsewhere beyond a second;
* past the rate limit, 429 with ``Retry-After`` (JSON for the API, the Submit fragment);
* 200 connections sending their bodies a byte at a time do not stop the site answering.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from ..conftest import FIXTURE_LESSONS
from ..grading.live import Learner, LiveServer

# Any exercise will do: the fixture lesson's, so editing a course lesson cannot break these.
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
SLOW = "import time\ntime.sleep(0.5)\ndef path(kind, operation):\n    return []\n"
SLOWER = "import time\ntime.sleep(1.5)\ndef path(kind, operation):\n    return []\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("fairness")
    live = LiveServer(
        folder / "fairness.db",
        front="waitress",
        GRADER_WORKERS=2,
        SUBMIT_RATE_LIMIT="8 per minute",
        SUBMIT_RATE_LIMIT_PER_IP="1000 per minute",
        SESSION_RATE_LIMIT="1000 per minute",
        GRADER_INFLIGHT_PER_IP=1,  # one per address, to see the address's limit at work
        LESSONS_DIR=str(FIXTURE_LESSONS),
    ).start()
    try:
        assert live.learner("10.9.9.9").grade("walk", SOLUTION).json()["verdict"] == "passed"
        yield live
    finally:
        live.stop()


def _in_background(learner: Learner, code: str) -> threading.Thread:
    thread = threading.Thread(target=learner.grade, args=("walk", code))
    thread.start()
    time.sleep(0.4)  # it is being graded now
    return thread


def test_one_submission_in_flight_per_learner_and_per_address(server: LiveServer) -> None:
    ann = server.learner("10.0.0.1")
    ann.open_site()
    rows = len(server.rows())
    first = _in_background(ann, SLOWER)
    again = ann.grade("walk", SOLUTION)
    neighbour = server.learner("10.0.0.1").grade("walk", SOLUTION)  # same address
    elsewhere = server.learner("10.0.0.2").grade("walk", SOLUTION)
    first.join()
    for refused in (again, neighbour):
        assert refused.status == 429 and int(refused.headers["Retry-After"]) >= 1
        assert "still being graded" in refused.json()["error"] and refused.json()["error_zh"]
    assert elsewhere.status == 200 and elsewhere.json()["verdict"] == "passed"
    assert len(server.rows()) == rows + 2  # the slow one and the other address's
    # With the verdict in, the learner may submit again.
    assert ann.grade("walk", SOLUTION).json()["verdict"] == "passed"


def _latency(learner: Learner, times: int) -> list[float]:
    seconds = []
    for _ in range(times):
        began = time.monotonic()
        reply = learner.grade("walk", SOLUTION)
        seconds.append(time.monotonic() - began)
        assert reply.status == 200 and reply.json()["verdict"] == "passed", reply.body[:300]
    return seconds


def test_a_greedy_client_does_not_slow_an_honest_learner(server: LiveServer) -> None:
    quiet = statistics.median(_latency(server.learner("10.1.0.1"), 3))
    stop = threading.Event()
    refused = []

    def greedy(learner: Learner) -> None:
        while not stop.is_set():
            reply = learner.grade("walk", SLOW)
            if reply.status == 429:
                refused.append(reply)
                time.sleep(0.05)

    with ThreadPoolExecutor(16) as pool:
        for _ in range(16):
            pool.submit(greedy, server.learner("10.6.6.6"))
        time.sleep(1.0)
        busy = _latency(server.learner("10.1.0.2"), 5)
        stop.set()
    print(
        f"\nhonest learner: {quiet:.2f} s alone, median {statistics.median(busy):.2f} s "
        f"(max {max(busy):.2f} s) beside 16 greedy threads; {len(refused)} greedy refusals"
    )
    assert refused and statistics.median(busy) < quiet + 1.0 and max(busy) < 2.5


def test_past_the_rate_limit_submissions_are_refused(server: LiveServer) -> None:
    learner = server.learner("10.2.0.1")
    statuses = [learner.grade("walk", SOLUTION).status for _ in range(9)]
    assert statuses == [200] * 8 + [429]
    over = learner.grade("walk", SOLUTION)
    assert over.status == 429 and int(over.headers["Retry-After"]) >= 1
    assert "too many submissions" in over.json()["error"]
    fragment = learner.request(
        "POST",
        "/exercises/walk/submit",
        b"code=x",
        {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"},
    )
    assert fragment.status == 429 and "Too many submissions" in fragment.body.decode()
    assert "The grader is busy" not in fragment.body.decode()  # it is this learner's limit


def test_slow_bodies_do_not_stop_the_site_answering(server: LiveServer) -> None:
    sockets = []
    try:
        for _ in range(200):
            conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            conn.sendall(
                b"POST /api/exercises/walk/grade HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
            )
            sockets.append(conn)
        began = time.monotonic()
        page = server.request("GET", "/", timeout=10)
        graded = server.learner("10.3.0.1").grade("walk", SOLUTION)
        seconds = time.monotonic() - began
        for conn in sockets[:50]:  # still trickling
            conn.sendall(b" ")
        assert page.status == 200 and graded.json()["verdict"] == "passed" and seconds < 5
    finally:
        for conn in sockets:
            conn.close()
