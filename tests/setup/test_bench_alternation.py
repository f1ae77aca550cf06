"""``bench.budgets`` measures the lesson page against the trivial route in one wrk run on the same
connections, alternated second by second (``bench/alternate.lua``, #15): separate runs opened new
connections that gunicorn's processes shared out by chance, and one pair's ratio swung 0.44–2.34.
"""

from __future__ import annotations

import math
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from statistics import median
from typing import ClassVar

import pytest

from bench.budgets import ALTERNATE, SENT, second_by_second, wrk_command


def test_each_page_second_is_compared_with_the_seconds_around_it() -> None:
    # 100: wrk's first, partial second; 106: its last. The page (even seconds) at half the rate.
    sent = {100: 7, 101: 1000, 102: 500, 103: 1200, 104: 550, 105: 1000, 106: 3}
    cpu_at = {second: 0.001 * (second - 100) * 1000 for second in range(100, 107)}
    figures = second_by_second(sent, cpu_at)
    assert figures is not None
    assert figures.pairs == 2  # 102 and 104; 100 and 106 are not whole
    assert figures.ratio == pytest.approx(median([500 / 1100, 550 / 1100]))
    assert (figures.rate, figures.trivial_rate) == (525, 1000)
    assert figures.cpu_ms == pytest.approx(median([1000 / 500, 1000 / 550]))
    assert figures.trivial_cpu_ms == pytest.approx(median([1.0, 1000 / 1200, 1.0]))
    # Too short to compare, or a whole second in which nothing was sent: no figure.
    assert second_by_second({100: 5, 101: 900, 102: 400, 103: 5}, {}) is None
    assert second_by_second({**sent, 103: 0}, cpu_at) is None


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept alive, as gunicorn keeps wrk's connections
    seen: ClassVar[Counter[tuple[str, int]]] = Counter()

    def do_GET(self) -> None:
        Recorder.seen[(self.path, math.floor(time.time()))] += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    Recorder.seen.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_one_wrk_run_asks_for_each_path_in_its_own_seconds(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    script = ["--script", str(ALTERNATE), f"http://127.0.0.1:{port}/", "--", "/page", "/trivial"]
    done = subprocess.run(
        [*wrk_command(4, {}), *script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    sent = {int(second): int(count) for second, count in SENT.findall(done.stdout)}
    assert len(sent) >= 4, done.stdout
    seen = Recorder.seen
    assert {path for path, _ in seen} == {"/page", "/trivial"}
    # Each second's requests went to its path (give or take those in flight at its start), and
    # the counts wrk printed are the requests the server answered in that second.
    for second, count in sent.items():
        wanted = "/page" if second % 2 == 0 else "/trivial"
        other = "/trivial" if wanted == "/page" else "/page"
        assert seen[(other, second)] <= 16, (second, seen)  # wrk_command's connections
        assert abs(seen[(wanted, second)] - count) <= 32, (second, count, seen)
