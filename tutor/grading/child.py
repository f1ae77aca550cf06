"""Entry point of the untrusted grading process: JSON request on stdin, outcomes on a pipe.

Nothing here knows expected answers; the parent only reads outcomes from the result pipe, never
stdout, so whatever the learner prints cannot pose as a result.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from .harness import SubmissionError, run_cases
from .protocol import Case


def main(result_fd: int) -> None:
    request = json.loads(sys.stdin.buffer.read())
    sys.stdin.close()
    result_channel = os.fdopen(result_fd, "w")
    sys.setrecursionlimit(2_000)
    # Python ignores SIGXFSZ, which would turn the output cap into an OSError the learner's code
    # can catch; the default action kills the process so the runner reports the limit instead.
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    cases = [Case(c["name"], c["args"], float(c.get("weight", 1))) for c in request["cases"]]
    try:
        outcomes = run_cases(request["code"], request["driver"], cases, request["step_budget"])
        reply: dict[str, object] = {"outcomes": [o.to_json() for o in outcomes]}
    except SubmissionError as exc:
        reply = {"submission_error": str(exc)}
    json.dump(reply, result_channel)
    result_channel.close()
