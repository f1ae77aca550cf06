"""Inside the untrusted grading process: a JSON request in, plain-JSON outcomes out.

Nothing here knows expected answers or verdicts. ``handle`` turns a request into the bytes the
parent reads from a private result pipe (never stdout), so whatever the learner prints cannot pose
as a result, and whatever the learner's objects claim about themselves (``__eq__``, ``__str__``)
is flattened to JSON data here, in the learner's own process, before anything trusted sees it.

``main`` is the entry point of ``ProcessRunner`` (development); the sandbox's zygote calls
``handle`` in each forked child.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

from .harness import MAX_PRINTED, SubmissionError, run_cases, too_many_digits, unwritable
from .protocol import Case, RunOutcome, bilingual

SANDBOX_NOTE = (
    " (grading runs in a sandbox: no files outside your code, no network, no new processes "
    "or threads)"
)
SANDBOX_NOTE_ZH = "（评测在沙箱中进行：除你的代码外没有文件，没有网络，也不能创建新的进程或线程）"
SANDBOXED_ERRORS = {
    "PermissionError",
    "OSError",
    "FileNotFoundError",
    "BlockingIOError",
    "ModuleNotFoundError",
    "ImportError",
}
MEMORY_NOTE = "MemoryError: your code used more memory than the grader allows ({mb} MB)"
MEMORY_NOTE_ZH = "MemoryError：你的代码使用的内存超过了评测程序允许的上限（{mb} MB）"


def _memory_note(mb: int) -> dict[str, str]:
    return {"en": MEMORY_NOTE.format(mb=mb), "zh": MEMORY_NOTE_ZH.format(mb=mb)}


def _broke(detail: str) -> dict[str, str]:
    return {
        "en": f"your code broke the grader: {detail}",
        "zh": f"你的代码破坏了评测程序：{detail}",
    }


def _plain(outcome: RunOutcome, memory_mb: int) -> dict[str, Any]:
    """The outcome as JSON data; anything that is not plain data becomes the case's error."""
    error = outcome.error
    if error is not None:
        kind = str(error.get("type", ""))
        message = bilingual(error.get("message"))
        no_thread = kind == "RuntimeError" and "new thread" in message["en"]
        if (kind in SANDBOXED_ERRORS or no_thread) and SANDBOX_NOTE not in message["en"]:
            error = {
                **error,
                "message": {
                    "en": message["en"] + SANDBOX_NOTE,
                    "zh": message["zh"] + SANDBOX_NOTE_ZH,
                },
            }
        elif kind == "MemoryError":
            error = {**error, "message": _memory_note(memory_mb)}
    data: dict[str, Any] = {
        "name": outcome.name,
        "output": outcome.output,
        "error": error,
        "trace": outcome.trace,
        "digest": outcome.digest,
        "stdout": outcome.stdout,
        "answers": outcome.answers,
    }
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        data["output"] = None
        data["trace"] = []
        data["answers"] = None
        # What is checked is the case's whole outcome: the return value and the model's state
        # the driver reports, where a learner's NaN often ends up without being returned.
        if too_many_digits(exc):
            message = unwritable(exc)
        elif isinstance(exc, ValueError) and "Out of range float" in str(exc):
            message = {
                "en": "what your code produced (returned, or left in the model's state) holds a "
                "number that is not finite (NaN or infinity): the model takes finite numbers "
                "only; check the values your code computes or passes in",
                "zh": "你的代码产生的结果（返回值，或留在模型状态里的值）含有一个不是有限数的数"
                "（NaN 或无穷大）：模型只接受有限的数；请检查你的代码计算或传入的值",
            }
        else:
            message = {
                "en": "what your code produced (returned, or left in the model's state) is not "
                f"plain data (lists, dicts, strings, numbers): {type(exc).__name__}: {exc}",
                "zh": "你的代码产生的结果（返回值，或留在模型状态里的值）不是普通数据（列表、"
                f"字典、字符串、数字）：{type(exc).__name__}: {exc}",
            }
        data["error"] = {"type": type(exc).__name__, "rule": "python", "message": message}
    return data


def handle(request: dict[str, Any]) -> bytes:
    """Run the request's cases; never raises, always returns one JSON reply."""
    memory_mb = int(request.get("memory_mb", 512))
    try:
        cases = [Case(c["name"], c["args"], float(c.get("weight", 1))) for c in request["cases"]]
        outcomes = run_cases(
            request["code"],
            request["driver"],
            cases,
            request["step_budget"],
            int(request.get("max_printed", MAX_PRINTED)),
        )
        reply: dict[str, Any] = {"outcomes": [_plain(o, memory_mb) for o in outcomes]}
    except SubmissionError as exc:
        reply = {"submission_error": bilingual(exc)}
    except MemoryError:
        reply = {"submission_error": _memory_note(memory_mb)}
    except BaseException as exc:  # the learner broke the harness itself (sys.modules, builtins)
        reply = {"submission_error": _broke(f"{type(exc).__name__}: {exc}")}
    try:
        return json.dumps(reply, allow_nan=False).encode()
    except BaseException as exc:
        return json.dumps({"submission_error": _broke(type(exc).__name__)}).encode()


def main(result_fd: int) -> None:
    request = json.loads(sys.stdin.buffer.read())
    sys.stdin.close()
    sys.setrecursionlimit(2_000)
    # Python ignores SIGXFSZ, which would turn the output cap into an OSError the learner's code
    # can catch; the default action kills the process so the runner reports the limit instead.
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    reply = handle(request)
    view = memoryview(reply)
    while view:
        view = view[os.write(result_fd, view) :]
    os.close(result_fd)
