"""Runs learner code against an exercise driver, one fresh module per case.

The same function runs in the browser worker (practice) and in the grader child process (hidden
cases), so both sides see learner code fail in exactly the same way. It only *computes*: it never
knows the expected answers. ``practice()`` adds the comparison for the browser, where the expected
outputs of practice cases are public anyway.
"""

from __future__ import annotations

import builtins
import contextvars
import difflib
import functools
import inspect
import io
import json
import sys
import threading
import traceback
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tutor.sim import SimError, StepBudget, Trace

from . import shapes
from .limits import Limits
from .protocol import (
    JSON,
    MAX_REPORTED_OUTPUT,
    MAX_REPORTED_STDOUT,
    MAX_TRACE_EVENTS,
    Case,
    CaseResult,
    Report,
    RunOutcome,
    bilingual,
)
from .transcript import Recorder, Replay, ReplayMismatch

SUBMISSION = "<submission>"
MAX_STDOUT = 10_000
# What learner code may print per case unless the exercise says otherwise (its ``output_kb``).
MAX_PRINTED = Limits().output_kb * 1024
RECURSION = {
    "en": "RecursionError: your code recursed too deeply (does it ever stop?)",
    "zh": "RecursionError：你的代码递归太深了（它会停下来吗？）",
}
FAILED = {"en": "your code failed", "zh": "你的代码出错了"}
UNREPLAYABLE = {
    "en": "the grader could not check your answers: the run it received does not match what "
    "your functions returned (did your code change the grader or the model?)",
    "zh": "评测程序无法核对你的答案：它收到的运行结果与你的函数返回的内容不符"
    "（你的代码是否改动了评测程序或模型？）",
}
NOT_PLAIN = {
    "en": "your functions must return plain data (lists, dicts, text, numbers, True/False/None): "
    "the grader checks each answer again on its own copy of the model",
    "zh": "你的函数必须返回普通数据（列表、字典、文本、数字、True/False/None）："
    "评测程序会在自己的模型副本上再核对一遍每个答案",
}
# Python writes no integer over 4,300 digits (``sys.set_int_max_str_digits``): no answer or model
# value here comes near one.
HUGE_NUMBER = {
    "en": "your code made a number with more than 4,300 digits, which cannot be written down; "
    "no answer here is that large",
    "zh": "你的代码算出了一个超过 4,300 位的数，无法写出来；这里没有哪个答案会这么大",
}
UNRECORDABLE = {
    "en": "your code gave the model something it cannot record (only lists, dicts, text and "
    "numbers can be)",
    "zh": "你的代码交给模型的东西无法记录（只能是列表、字典、文本和数字）",
}


def too_many_digits(exc: BaseException) -> bool:
    """Whether ``exc`` is Python refusing to write an integer of over 4,300 digits."""
    return isinstance(exc, ValueError) and "int_max_str_digits" in str(exc)


def unwritable(exc: BaseException) -> dict[str, str]:
    """Why a value of the learner's could not be written as JSON, in both languages."""
    return dict(HUGE_NUMBER if too_many_digits(exc) else UNRECORDABLE)


class LearnerError(Exception):
    """An error whose English text is ``str(exc)`` (for logs and tests) and whose Chinese text, for
    the learner's page, is ``exc.zh`` (``None``: the page shows the English)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


class OutputLimitExceeded(LearnerError):
    """Printing without end must fail fast, in the browser as on the server."""


class CappedOutput(io.StringIO):
    """Keeps the first ``MAX_STDOUT`` characters and refuses more than ``limit`` in all."""

    def __init__(self, limit: int = MAX_PRINTED) -> None:
        super().__init__()
        self.limit = limit
        self.printed = 0

    def write(self, text: str) -> int:
        self.printed += len(text)
        if self.printed > self.limit:
            kb = self.limit // 1024
            raise OutputLimitExceeded(
                f"your code printed more than {kb} KB of text; print less",
                zh=f"你的代码打印了超过 {kb} KB 的文本；请少打印一些",
            )
        room = MAX_STDOUT - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


_capture: contextvars.ContextVar[CappedOutput | None] = contextvars.ContextVar(
    "virttutor_capture", default=None
)
_install_lock = threading.Lock()


class ThreadStdout(io.TextIOBase):
    """``sys.stdout`` once a run has captured output: each thread (each context) writes to its
    own capture, everything else to the stream that was there before.

    ``contextlib.redirect_stdout`` swaps the process-wide ``sys.stdout``: two threads running
    cases at once (a grader worker computing references) restore each other's buffers, so the
    process is left printing into a dead, capped buffer and one run's output lands in another's.
    """

    def __init__(self, fallback: Any) -> None:
        super().__init__()
        self.fallback = fallback

    def _stream(self) -> Any:
        target = _capture.get()
        return self.fallback if target is None else target

    def write(self, text: str) -> int:
        written: int = self._stream().write(text)
        return written

    def flush(self) -> None:
        self._stream().flush()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream(), name)


@contextmanager
def captured_stdout(out: CappedOutput) -> Iterator[None]:
    """Print into ``out`` in this thread only; other threads keep their own stdout."""
    with _install_lock:
        proxy = sys.stdout
        if not isinstance(proxy, ThreadStdout):
            proxy = ThreadStdout(proxy)
            sys.stdout = proxy
    token = _capture.set(out)
    try:
        yield
    finally:
        _capture.reset(token)
        if sys.stdout is not proxy:  # the code replaced sys.stdout: undo it, as redirect did
            with _install_lock:
                sys.stdout = proxy


class SubmissionError(LearnerError):
    """The code cannot even be loaded (syntax error, error at import time)."""


def check_source(code: str) -> None:
    """Refuses text that can be no program, in the same words for the browser's Run and the
    server's Submit (which asks before storing: PostgreSQL could not even store a NUL)."""
    if not code.strip():
        raise SubmissionError(
            "the code is empty: write your function first", zh="代码是空的：请先编写你的函数"
        )
    if "\x00" in code:
        raise SubmissionError(
            "the code holds a NUL character (often pasted in from another program), which "
            "Python source cannot contain: remove it and submit again",
            zh="代码里有一个 NUL 字符（常是从其他程序粘贴时带进来的），Python 源代码不能包含它："
            "请删掉后重新提交",
        )


# Python's commonest syntax messages (3.11 and Pyodide's 3.13) in Chinese, Python's own words
# kept after them; any other is shown as Python wrote it.
SYNTAX_ZH = (
    ("invalid syntax", "语法不正确"),
    ("expected ':'", "这里缺少冒号 ':'"),
    ("unexpected indent", "这一行多了缩进"),
    ("unindent does not match any outer indentation level", "缩进与外层的任何一级都对不上"),
    ("expected an indented block", "这里需要一个缩进的代码块"),
    ("was never closed", "括号没有闭合"),
    ("unterminated string literal", "字符串没有结束引号"),
    ("unterminated triple-quoted string literal", "三引号字符串没有结束"),
    ("unmatched", "括号不成对"),
    ("invalid character", "含有 Python 代码里不能用的字符"),
    ("invalid decimal literal", "数字写法不正确"),
    ("unexpected EOF while parsing", "代码在语句结束前就结束了"),
    ("inconsistent use of tabs and spaces in indentation", "缩进混用了制表符和空格"),
    ("cannot assign to", "不能给这个表达式赋值"),
    ("Perhaps you forgot a comma?", "也许漏了一个逗号？"),
)


def syntax_zh(message: str) -> str:
    for english, chinese in SYNTAX_ZH:
        if english in message:
            return f"{chinese}（{message}）"
    return message


def compile_submission(code: str) -> types.CodeType:
    check_source(code)
    # A byte order mark (some editors save one) is no part of the program: Python drops it
    # from a file, and so does this.
    code = code.removeprefix("\ufeff")
    try:
        return compile(code, SUBMISSION, "exec")
    except SyntaxError as exc:
        where = f" on line {exc.lineno}" if exc.lineno else ""
        where_zh = f"（第 {exc.lineno} 行）" if exc.lineno else ""
        raise SubmissionError(
            f"SyntaxError{where}: {exc.msg}",
            zh=f"语法错误 SyntaxError{where_zh}：{syntax_zh(exc.msg)}",
        ) from None
    except ValueError as exc:  # (NUL, the usual cause, is refused above; any other the same)
        raise SubmissionError(
            f"the code cannot be compiled: {exc}", zh=f"代码无法编译：{exc}"
        ) from None


def load_module(name: str, source: str | types.CodeType) -> types.ModuleType:
    module = types.ModuleType(name)
    code = source if isinstance(source, types.CodeType) else compile(source, name, "exec")
    exec(code, module.__dict__)
    return module


def describe(exc: BaseException) -> dict[str, JSON]:
    """A learner-readable error: the rule for model errors, the line in their code otherwise."""
    if isinstance(exc, SimError):
        return {"type": type(exc).__name__, "rule": str(exc.rule), "message": bilingual(exc)}
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == SUBMISSION:
            line = frame.lineno
    where = f" (line {line} of your code)" if line else ""
    where_zh = f"（你的代码第 {line} 行）" if line else ""
    # Python's own error text stays as Python wrote it, in both languages, unless the exception
    # carries a Chinese text of its own (a driver's shape check: ``error.zh = "..."``).
    name = type(exc).__name__
    text = f"{name}: {exc}" if str(exc) else name
    zh = getattr(exc, "zh", None)
    text_zh = f"{name}：{zh}" if isinstance(zh, str) and zh else text
    return {
        "type": name,
        "rule": "python",
        "message": {"en": text + where, "zh": text_zh + where_zh},
        "line": line,
    }


Driver = types.ModuleType

# Letters from other scripts that look like Latin ones: ``def pаth`` (Cyrillic а) is not ``path``.
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαοριντυχκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlqwABEKMHOPCTXIJSaopivtuxkABEZHIKMNOPTYX",
)


def confusable_hint(exc: AttributeError, submission: types.ModuleType) -> dict[str, str] | None:
    """Name the definition that only looks like the missing one (mixed scripts)."""
    missing = getattr(exc, "name", None)
    if not isinstance(missing, str):
        return None
    for name in list(vars(submission)):
        if name != missing and not name.isascii() and name.translate(CONFUSABLES) == missing:
            return {
                "en": f"your code defines {name!r}, which only looks like {missing!r}: it "
                "contains letters from another alphabet (e.g. Cyrillic); retype the name in "
                "plain ASCII",
                "zh": f"你的代码定义的 {name!r} 只是看起来像 {missing!r}：它含有其他字母表的字母"
                "（例如西里尔字母）；请用纯 ASCII 重新输入这个名字",
            }
    return None


NO_SPEC = object()


class MissingEntryPoint(LearnerError):
    """The learner's code lacks (or misnames, or mis-shapes) the function the exercise calls."""


def check_entry_points(driver: Driver, submission: types.ModuleType) -> None:
    """Say "define a function named ``path(kind, operation)``" before the driver trips over it,
    and make each function's return value answer to the driver's declared shape.

    The loader gives every driver ``ENTRY_POINTS`` (name -> signature as the starter code writes
    it); without it there is nothing to check.
    """
    entry_points = getattr(driver, "ENTRY_POINTS", None)
    if not isinstance(entry_points, dict):
        return
    # What each function must return (a driver's ``RETURNS``, see tutor/grading/shapes.py).
    returns = getattr(driver, "RETURNS", None) or {}
    defined = [n for n, v in vars(submission).items() if callable(v) and not n.startswith("__")]
    for name, signature in entry_points.items():
        found = vars(submission).get(name)
        if callable(found):
            _check_arity(name, signature, found)
            spec = returns.get(name, NO_SPEC)
            if spec is not NO_SPEC:
                submission.__dict__[name] = shapes.returning(found, spec, name)
            continue
        en = f"define a function named `{signature}`: your code has no function called {name!r}"
        zh = f"请定义名为 `{signature}` 的函数：你的代码里没有叫 {name!r} 的函数"
        close = difflib.get_close_matches(name, defined, n=1, cutoff=0.6)
        lookalike = next(
            (d for d in defined if not d.isascii() and d.translate(CONFUSABLES) == name), None
        )
        if lookalike:
            en += f" ({lookalike!r} only looks like it: it contains letters from another alphabet)"
            zh += f"（{lookalike!r} 只是看起来像：它含有其他字母表的字母）"
        elif close:
            en += f" (did you mean to name {close[0]!r} {name!r}?)"
            zh += f"（你是想把 {close[0]!r} 命名为 {name!r} 吗？）"
        raise MissingEntryPoint(en, zh=zh)


def _check_arity(name: str, signature: str, function: Callable[..., Any]) -> None:
    wanted = _parameters(signature)
    if _takes(function, wanted):
        return
    count = len(wanted)
    raise MissingEntryPoint(
        f"the exercise calls `{signature}` with {count} argument(s), but your {name!r} cannot "
        f"take them: define it as `def {signature}:`",
        zh=f"练习会用 {count} 个参数调用 `{signature}`，但你的 {name!r} 接收不了："
        f"请把它定义为 `def {signature}:`",
    )


@functools.lru_cache(maxsize=256)
def _parameters(signature: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in signature.partition("(")[2].rstrip(")").split(",") if p.strip())


def _takes(function: Callable[..., Any], wanted: tuple[str, ...]) -> bool:
    """Whether ``function`` can be called with ``wanted`` positional arguments. Asked for
    every case, of functions made anew for each (the judge's replay stand-ins, a learner's
    ``def`` run again): a plain function's answer depends only on its code and which of its
    parameters have defaults, so it is worked out once per code (reading a signature was a
    tenth of a replay's time, #15)."""
    if (
        type(function) is not types.FunctionType
        or "__signature__" in function.__dict__
        or "__wrapped__" in function.__dict__
    ):
        return _signature_takes(function, wanted)
    key = (
        function.__code__,
        len(function.__defaults__ or ()),
        frozenset(function.__kwdefaults__ or ()),
        wanted,
    )
    found = _TAKES.get(key)
    if found is None:
        if len(_TAKES) >= 512:
            _TAKES.clear()
        found = _TAKES[key] = _signature_takes(function, wanted)
    return found


_TAKES: dict[tuple[types.CodeType, int, frozenset[str], tuple[str, ...]], bool] = {}


def _signature_takes(function: Callable[..., Any], wanted: tuple[str, ...]) -> bool:
    try:
        inspect.signature(function).bind(*wanted)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): let the call decide
        return True
    return True


class ModelAnswerHidden(LearnerError):
    """The learner's code reached for the model's own answer to the exercise."""


def guarded_builtins(driver: Driver) -> dict[str, Any] | None:
    """Builtins whose ``import`` hides the model's answers to this exercise from learner code.

    A driver lists them as ``MODEL_ANSWERS = {"tutor.sim": ("path_of",), ...}``: the functions
    and tables that compute exactly what the exercise asks (io-path's ``path_of``). Imports of
    those modules hand the learner a copy without them, and naming one says why. This closes the
    one-line shortcut (``from tutor.sim import path_of``); it is not a sandbox — the grader's
    process boundary is — and an exercise whose answer is a model lookup stays a warm-up.
    """
    hidden = getattr(driver, "MODEL_ANSWERS", None)
    if not isinstance(hidden, dict) or not hidden:
        return None
    real_import = builtins.__import__
    proxies: dict[str, types.ModuleType] = {}

    def proxy(module: types.ModuleType) -> types.ModuleType:
        name = module.__name__
        if name in proxies:
            return proxies[name]
        shadow = types.ModuleType(name, module.__doc__)
        proxies[name] = shadow
        names = set(hidden.get(name, ()))
        for key, value in vars(module).items():
            if key in names:
                continue
            if isinstance(value, types.ModuleType) and _guards(value.__name__, hidden):
                value = proxy(value)
            shadow.__dict__[key] = value

        def refuse(attribute: str) -> Any:
            if attribute in names:
                raise ModelAnswerHidden(
                    f"{name}.{attribute} is the model's own answer to this exercise: write "
                    "your function without it",
                    zh=f"{name}.{attribute} 正是模型对这道练习给出的答案：请不用它，自己写出函数",
                )
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}")

        shadow.__dict__["__getattr__"] = refuse
        return shadow

    def guarded_import(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        module = real_import(name, globals, locals, fromlist, level)
        if level == 0 and isinstance(module, types.ModuleType) and _guards(module.__name__, hidden):
            return proxy(module)
        return module

    guarded = dict(vars(builtins))
    guarded["__import__"] = guarded_import
    return guarded


def _guards(module: str, hidden: dict[str, Any]) -> bool:
    """Whether ``module`` is, or leads to, a module with hidden answers."""
    return any(target == module or target.startswith(module + ".") for target in hidden)


def run_cases(
    code: str,
    driver_source: str,
    cases: Iterable[Case],
    step_budget: int,
    max_printed: int = MAX_PRINTED,
) -> list[RunOutcome]:
    """Run every case; raises ``SubmissionError`` only if the code does not compile. Each
    outcome carries the learner's answers (``transcript``), for the judge to replay."""
    compiled = compile_submission(code)
    driver = load_module("driver", driver_source)

    def load(submission: types.ModuleType) -> None:
        guarded = guarded_builtins(driver)
        if guarded is not None:
            submission.__dict__["__builtins__"] = guarded
        exec(compiled, submission.__dict__)

    # Without ``ENTRY_POINTS`` (a driver the loader did not write) no call is known to record.
    recorded = isinstance(getattr(driver, "ENTRY_POINTS", None), dict)
    return [
        _run_one(load, driver, case, step_budget, max_printed, Recorder() if recorded else None)
        for case in cases
    ]


def replay_cases(
    driver_source: str, recorded: list[tuple[Case, JSON]], step_budget: int
) -> list[RunOutcome]:
    """Each case run again in the judge's own process, with the learner's recorded answers
    standing in for their functions (``tutor.grading.transcript``): the model state it leaves
    is the one graded, whatever the learner's process reported. One driver for them all, as a
    grading process has (compiled once per process: reloading it per case cost more than the
    learner's whole run)."""
    driver = load_module("driver", _compiled(driver_source))
    return [_replay_one(driver, case, answers, step_budget) for case, answers in recorded]


@functools.lru_cache(maxsize=64)
def _compiled(driver_source: str) -> types.CodeType:
    return compile(driver_source, "driver", "exec")


def _replay_one(driver: Driver, case: Case, answers: JSON, step_budget: int) -> RunOutcome:
    replays: list[Replay] = []

    def load(submission: types.ModuleType) -> None:
        replays.append(Replay(answers))  # a recording of the wrong shape: ReplayMismatch
        for name in getattr(driver, "ENTRY_POINTS", None) or {}:
            submission.__dict__[name] = replays[0].function(name)

    # No digest: the replay's trace holds the model's values and the recording's decoded JSON,
    # always writable, and nothing reads a replay's digest (a tenth of its time, #15).
    outcome = _run_one(load, driver, case, step_budget, MAX_PRINTED, None, digest=False)
    if outcome.error is None and replays[0].unused():
        outcome.error = _unreplayable()
    return outcome


def _unreplayable() -> dict[str, JSON]:
    return {"type": "ReplayMismatch", "rule": "python", "message": {**UNREPLAYABLE}}


def _run_one(
    load: Callable[[types.ModuleType], None],
    driver: Driver,
    case: Case,
    step_budget: int,
    max_printed: int,
    recorder: Recorder | None,
    digest: bool = True,
) -> RunOutcome:
    trace = Trace(StepBudget(step_budget))
    out = CappedOutput(max_printed)
    outcome = RunOutcome(name=case.name)
    submission = types.ModuleType("submission")
    # Taken before the learner's code runs: a ``driver.run`` it replaces is not the one called
    # (one way among many to forge a run in this process; the judge's replay is the defence).
    run = driver.run
    try:
        with captured_stdout(out):
            load(submission)
            check_entry_points(driver, submission)
            if recorder is not None:
                for name in getattr(driver, "ENTRY_POINTS", None) or {}:
                    found = submission.__dict__.get(name)
                    if callable(found):
                        submission.__dict__[name] = recorder.wrap(name, found)
            outcome.output = run(submission, case.args, trace)
    except ReplayMismatch:
        outcome.error = _unreplayable()
    except MissingEntryPoint as exc:
        outcome.error = {"type": "MissingEntryPoint", "rule": "entry", "message": bilingual(exc)}
    except shapes.ShapeError as exc:
        outcome.error = {"type": "ShapeError", "rule": "shape", "message": bilingual(exc)}
    except ModelAnswerHidden as exc:
        outcome.error = {"type": "ModelAnswerHidden", "rule": "shortcut", "message": bilingual(exc)}
    except RecursionError:
        outcome.error = {"type": "RecursionError", "rule": "python", "message": {**RECURSION}}
    except OutputLimitExceeded as exc:
        outcome.error = {"type": "OutputLimitExceeded", "rule": "output", "message": bilingual(exc)}
    except SystemExit:
        outcome.error = {
            "type": "SystemExit",
            "rule": "python",
            "message": {
                "en": "your code called exit() (SystemExit): return a value instead of exiting",
                "zh": "你的代码调用了 exit()（SystemExit）：请返回一个值，而不是退出",
            },
        }
    except AttributeError as exc:
        outcome.error = describe(exc)
        hint = confusable_hint(exc, submission)
        if hint:
            message = outcome.error["message"]
            outcome.error["message"] = {
                "en": f"{message['en']}: {hint['en']}",
                "zh": f"{message['zh']}：{hint['zh']}",
            }
    except BaseException as exc:  # KeyboardInterrupt, BaseException: the learner's, not ours
        outcome.error = describe(exc)
    outcome.trace = trace.events[:MAX_TRACE_EVENTS]
    try:
        outcome.digest = trace.digest() if digest else ""
    except (TypeError, ValueError, RecursionError) as exc:  # the run holds the learner's value
        outcome.trace, outcome.output = [], None
        outcome.error = {"type": type(exc).__name__, "rule": "python", "message": unwritable(exc)}
    outcome.stdout = out.getvalue()
    if recorder is not None:
        outcome.answers = recorder.calls
    return outcome


# compare() returns None (right), or a message: a str (English only) or {"en": ..., "zh": ...}.
# A compare() that takes a fourth argument, ``reveal``, is told whether its message may name the
# expected value: never on hidden cases, and in practice only once the learner has tried that
# case several times or opened a hint — otherwise repeated Runs would read the answer off it.
Compare = Callable[..., "str | dict[str, str] | None"]


def takes_reveal(compare: Compare) -> bool:
    """Whether ``compare`` takes ``reveal``: asked once per case, answered once per function
    (reading a signature was ~1 ms of a submission's grading)."""
    try:
        return _takes_reveal(compare)
    except TypeError:  # an unhashable callable
        return _signature_takes_reveal(compare)


def _signature_takes_reveal(compare: Compare) -> bool:
    try:
        return len(inspect.signature(compare).parameters) >= 4
    except (TypeError, ValueError):
        return False


_takes_reveal = functools.lru_cache(maxsize=256)(_signature_takes_reveal)


def first_departure(expected: list[JSON], actual: list[JSON]) -> int | None:
    """Index of the first event where the learner's run leaves the reference run."""
    if expected == actual:  # (a right answer's run: compared in C, not event by event)
        return None
    for i, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want != got:
            return i
    if len(expected) != len(actual):
        return min(len(expected), len(actual))
    return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n…"


def reported_stdout(text: str) -> str:
    """What a case's report shows of the learner's printed text."""
    return _clip(text, MAX_REPORTED_STDOUT)


def _reported_output(output: JSON) -> JSON:
    """The learner's returned state, for the replay; a huge one is summarised, not stored."""
    try:
        encoded = json.dumps(output, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return _clip(repr(output), MAX_REPORTED_OUTPUT)
    return output if len(encoded) <= MAX_REPORTED_OUTPUT else _clip(encoded, MAX_REPORTED_OUTPUT)


PROCESS_DEPARTS = {
    "en": "your code produced the right final state, but not by driving the model: its run "
    "departs from the reference run at event {n} ({event}); the exercise grades the process, "
    "so compute the answer through the objects you are given",
    "zh": "你的代码得到了正确的最终状态，但不是通过驱动模型得到的：它的运行在第 {n} 个事件"
    "（{event}）处偏离了参考运行；这道练习评的是过程，请通过给你的对象算出结果",
}


def judge_outcome(
    case: Case,
    expected: RunOutcome,
    actual: RunOutcome,
    compare: Compare,
    reveal: bool = False,
    grade_trace: bool = False,
) -> CaseResult:
    """Trusted comparison: the learner's outcome against the reference outcome for one case.

    ``grade_trace`` (a driver's ``GRADE_TRACE = True``): where the process is the point, a right
    answer reached without the model's events (a lookup table) does not pass."""
    departure = first_departure(expected.trace, actual.trace)
    result = CaseResult(
        name=case.name,
        passed=False,
        weight=case.weight,
        # The same events: the reference's list, checked for the report's bounds once.
        trace=expected.trace if departure is None else actual.trace,
        title=case.label(),
        stdout=reported_stdout(actual.stdout),
        output=_reported_output(actual.output),
    )
    if actual.error is not None:
        result.message = bilingual(actual.error.get("message") or FAILED)
        result.rule = str(actual.error.get("rule", "python"))
        result.departure = len(actual.trace) if departure is None else departure
        return result
    problem: str | dict[str, str] | None
    try:
        if takes_reveal(compare):
            problem = compare(case.args, expected.output, actual.output, reveal)
        else:
            problem = compare(case.args, expected.output, actual.output)
    except Exception as exc:  # a malformed output (wrong type, missing key) is the learner's
        problem = {
            "en": f"your function returned something the checker cannot read: {exc!r}",
            "zh": f"你的函数返回了检查程序无法读取的内容：{exc!r}",
        }
    if problem is None and grade_trace and departure is not None:
        event = actual.trace[departure]["kind"] if departure < len(actual.trace) else "end"
        problem = {
            lang: text.format(n=departure + 1, event=event)
            for lang, text in PROCESS_DEPARTS.items()
        }
    result.passed = problem is None
    result.message = bilingual(problem)
    result.rule = "" if problem is None else "answer"
    if not result.passed:
        result.departure = departure
    return result


def practice(code: str, driver_source: str, cases: list[dict[str, Any]], step_budget: int) -> JSON:
    """Browser entry point: run and compare practice cases whose expected outputs are public.

    Each case may carry ``reveal`` (the page decides: several failed Runs, or a hint opened) and
    ``expected_trace`` (the reference run, so a replay can mark where the learner's run left it).
    """
    parsed = [
        Case(c["name"], c["args"], float(c.get("weight", 1)), title=c.get("title")) for c in cases
    ]
    try:
        outcomes = run_cases(code, driver_source, parsed, step_budget)
    except SubmissionError as exc:
        return Report.error(exc, scope="practice").to_json()
    driver = load_module("driver", driver_source)
    results = [
        judge_outcome(
            case,
            RunOutcome(case.name, output=raw["expected"], trace=raw.get("expected_trace") or []),
            outcome,
            driver.compare,
            reveal=bool(raw.get("reveal")),
            grade_trace=bool(getattr(driver, "GRADE_TRACE", False)),
        )
        for case, raw, outcome in zip(parsed, cases, outcomes, strict=True)
    ]
    return Report.from_results(results, scope="practice").to_json()
