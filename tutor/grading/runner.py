"""Runs learner code in a separate process under CPU, memory, file-size and wall-clock limits.

This is the seam the sandbox plugs into: a runner takes (code, driver, cases, limits) and returns
outcomes or raises ``RunnerFailure`` with a learner-readable reason. Callers never care how the
process was confined.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from . import json_text
from .harness import FAILED, LearnerError, SubmissionError
from .limits import Limits
from .protocol import Case, RunOutcome, bilingual

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_RESULT_BYTES = 16 * 1024 * 1024
CHILD_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from tutor.grading.child import main; "
    "main(int(sys.argv[2]))"
)


class RunnerFailure(LearnerError):
    """The run was stopped as a whole (limit hit, crash); the message (English ``str(exc)``,
    Chinese ``exc.zh``) is for the learner."""


class GradingLost(RunnerFailure):
    """The grading process was lost before it finished (killed from outside, its zygote gone):
    the server could not grade this code, which is not the learner's doing. The judge gives no
    verdict for it; the worker stores the submission with the status ``error`` and this
    message (submit again)."""


def wall_clock_failure(limits: Limits) -> RunnerFailure:
    return RunnerFailure(
        f"stopped after {limits.wall_seconds:g} s of wall-clock time: does your code wait "
        "or loop forever?",
        zh=f"运行 {limits.wall_seconds:g} 秒（墙上时钟时间）后被停止：你的代码是否在等待，"
        "或者陷入了死循环？",
    )


def cpu_failure(limits: Limits) -> RunnerFailure:
    return RunnerFailure(
        f"stopped after {limits.cpu_seconds} s of CPU time: your code probably loops forever",
        zh=f"用掉 {limits.cpu_seconds} 秒 CPU 时间后被停止：你的代码很可能陷入了死循环",
    )


def exit_failure(status: object) -> RunnerFailure:
    return RunnerFailure(
        f"your code ended the grading process before it could report (exit status {status}); "
        "do not call exit() or kill the process",
        zh=f"你的代码在评测进程报告结果之前就结束了它（退出状态 {status}）；"
        "不要调用 exit()，也不要结束进程",
    )


class Runner(Protocol):
    def run(
        self, code: str, driver: str, cases: list[Case], limits: Limits
    ) -> list[RunOutcome]: ...


def _set_limits(limits: Limits) -> None:
    os.setsid()
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = limits.output_kb * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (out, out))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _read_capped(fd: int, sink: list[bytes]) -> None:
    size = 0
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(65536):
            size += len(chunk)
            if size > MAX_RESULT_BYTES:
                sink.clear()
                sink.append(b"")
                return
            sink.append(chunk)


def encode_request(code: str, driver: str, cases: list[Case], limits: Limits) -> bytes:
    """What every runner sends its child; ASCII-escaped so even lone surrogates travel safely."""
    return json.dumps(
        {
            "code": code,
            "driver": driver,
            "cases": [{"name": c.name, "args": c.args, "weight": c.weight} for c in cases],
            "step_budget": limits.step_budget,
            "max_printed": limits.output_kb * 1024,
        },
        ensure_ascii=True,
    ).encode()


class ProcessRunner:
    """A fresh interpreter per submission; ``python -I`` so no environment leaks in."""

    def command(self, result_fd: int) -> list[str]:
        return [sys.executable, "-I", "-c", CHILD_BOOT, str(PROJECT_ROOT), str(result_fd)]

    def run(self, code: str, driver: str, cases: list[Case], limits: Limits) -> list[RunOutcome]:
        request = encode_request(code, driver, cases, limits)
        read_fd, write_fd = os.pipe()
        chunks: list[bytes] = []
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryDirectory() as cwd:
            proc = subprocess.Popen(
                self.command(write_fd),
                stdin=subprocess.PIPE,
                stdout=stdout,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                cwd=cwd,
                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                preexec_fn=lambda: _set_limits(limits),
            )
            os.close(write_fd)
            reader = threading.Thread(target=_read_capped, args=(read_fd, chunks), daemon=True)
            reader.start()
            timed_out = False
            try:
                assert proc.stdin is not None
                proc.stdin.write(request)
                proc.stdin.close()
            except BrokenPipeError:
                pass
            try:
                proc.wait(timeout=limits.wall_seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            reader.join(timeout=2)
        return _interpret(proc.returncode, timed_out, b"".join(chunks), limits, cases)


def _interpret(
    code: int, timed_out: bool, raw: bytes, limits: Limits, cases: list[Case]
) -> list[RunOutcome]:
    if timed_out:
        raise wall_clock_failure(limits)
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and not raw:
        raise cpu_failure(limits)
    if code == -signal.SIGXFSZ:
        raise RunnerFailure(
            f"your code printed more than {limits.output_kb} KB; print less",
            zh=f"你的代码打印了超过 {limits.output_kb} KB 的内容；请少打印一些",
        )
    if not raw:
        raise exit_failure(code)
    return decode_reply(raw, cases)


def decode_reply(raw: bytes, cases: list[Case] | None) -> list[RunOutcome]:
    """Parse a child's reply as plain JSON data and check its shape; believe nothing else.

    No object hooks, no verdicts: only outputs, errors and traces, which the judge compares
    itself. A reply of the wrong shape (forged or garbled) is a failure of the run.
    """
    garbled = RunnerFailure(
        "the grading process returned garbled results (did your code write to its files or "
        "replace parts of the grader?)",
        zh="评测进程返回了无法识别的结果（你的代码是否写入了它的文件，或者替换了评测程序的某些部分？）",
    )
    try:
        reply = json_text.parse(raw.decode("utf-8"), parse_constant=_refuse_non_finite)
    except (ValueError, RecursionError):
        raise garbled from None
    if not isinstance(reply, dict):
        raise garbled
    if "submission_error" in reply:
        why = _clip(bilingual(reply["submission_error"]), 2000)
        raise SubmissionError(why["en"], zh=why["zh"])
    items = reply.get("outcomes")
    if not isinstance(items, list) or not all(isinstance(o, dict) for o in items):
        raise garbled
    if cases is not None and [o.get("name") for o in items] != [c.name for c in cases]:
        raise garbled
    outcomes = []
    for item in items:
        error = item.get("error")
        if error is not None and not isinstance(error, dict):
            raise garbled
        try:
            outcome = RunOutcome.from_json(item)
        except (TypeError, ValueError):
            raise garbled from None
        if error is not None:
            outcome.error = {
                "type": str(error.get("type", "Error"))[:100],
                "rule": str(error.get("rule", "python"))[:100],
                "message": _clip(bilingual(error.get("message") or FAILED), 2000),
                "line": error.get("line") if isinstance(error.get("line"), int) else None,
            }
        outcomes.append(outcome)
    return outcomes


def _refuse_non_finite(name: str) -> None:
    """``NaN`` and ``Infinity`` are not JSON: the child never sends them (it encodes with
    ``allow_nan=False``), so a reply holding one is forged."""
    raise ValueError(f"a reply holds the non-JSON number {name}")


def _clip(message: dict[str, str], limit: int) -> dict[str, str]:
    return {lang: text[:limit] for lang, text in message.items()}


class InProcessRunner:
    """For code we wrote ourselves (reference solutions, ``wrong/`` and ``shortcut/`` programs):
    no isolation, but the same encoding as the sandbox, both ways — the request is encoded and
    decoded as a grading process receives it, handled by the child's own ``handle``, and its
    reply goes through ``decode_reply``. So ``check-lessons`` fails a lesson whose cases or
    outputs would not survive the trip to a real grading process (a set in the arguments, a
    non-finite number, an object that is not plain data)."""

    def run(self, code: str, driver: str, cases: list[Case], limits: Limits) -> list[RunOutcome]:
        from .child import handle

        try:
            request = json.loads(encode_request(code, driver, cases, limits))
        except (TypeError, ValueError) as exc:
            raise RunnerFailure(
                f"the cases cannot be sent to a grading process (not JSON: {exc})",
                zh=f"这些用例无法发送给评测进程（不是 JSON：{exc}）",
            ) from None
        request["memory_mb"] = limits.memory_mb
        return decode_reply(handle(request), cases)
