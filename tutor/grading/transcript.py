"""The learner's answers, recorded where their code runs and replayed where it is judged.

Learner code shares its process with the driver and the model, so whatever that process reports
about the model — which pages a guest saw, which guests were stranded, whether a program
diverged — the learner's code can forge: it can walk the interpreter's frames, replace the
driver's ``run``, or patch the model. What the learner really decides is what their functions
return. So the grading process records each answer (``Recorder``: the function, its arguments
as it left them, its result), and the judge runs the driver again in its own process with a
stand-in submission that gives the same answers in the same order (``Replay``); the verdict is
on the model state *that* run leaves. Forging the recording only changes the answers — which
is the learner's right — never the model's account of them.

This works where the driver hands the learner's functions plain data (lists, dicts, text,
numbers), as most exercises do. Where it hands them model objects or callbacks (the learner
drives the model: ``move(guest, target, trace)``), the answer is the calls made on those
objects, which this does not record: the recording is ``None``. Which exercises are replayed is
decided by the reference solution's own run, in the judge, never by the learner's process.

Values cross the process boundary as JSON, with tags for what JSON lacks (tuples, sets, dicts
with keys that are not text, non-finite floats), so the driver gets back the same types.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable
from typing import Any

from .protocol import JSON

TAG = "\x00t"  # a key no learner's dict holds by accident: {TAG: kind, "v": value}
MAX_DEPTH = 200


class Unplain(TypeError):
    """A value that is not plain data (an object, a function, a model object)."""


class ReplayMismatch(RuntimeError):
    """The driver asked for an answer the recording does not hold (a forged or cut recording:
    an honest run replays call for call)."""


def encode(value: Any, depth: int = 0) -> JSON:
    if depth > MAX_DEPTH:
        raise Unplain("nested too deeply")
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, tuple | set | frozenset):
        kind = type(value).__name__
        items = sorted(value, key=repr) if kind != "tuple" else value
        return {TAG: kind, "v": [encode(item, depth + 1) for item in items]}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and TAG not in value:
            return {key: encode(item, depth + 1) for key, item in value.items()}
        pairs = [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]
        return {TAG: "dict", "v": pairs}
    raise Unplain(type(value).__name__)


def decode(value: JSON, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise ReplayMismatch("nested too deeply")
    if isinstance(value, list):
        return [decode(item, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(TAG)
    if kind is None:
        return {key: decode(item, depth + 1) for key, item in value.items()}
    items = value.get("v")
    if kind == "float" and items in ("nan", "inf", "-inf"):
        return float(str(items))
    if not isinstance(items, list):
        raise ReplayMismatch(f"a recorded {kind!r} holds no items")
    decoded = [decode(item, depth + 1) for item in items]
    if kind == "tuple":
        return tuple(decoded)
    if kind in ("set", "frozenset"):
        try:
            return set(decoded) if kind == "set" else frozenset(decoded)
        except TypeError:
            raise ReplayMismatch("a recorded set holds unhashable items") from None
    if kind == "dict" and all(isinstance(p, list) and len(p) == 2 for p in decoded):
        try:
            return {key: item for key, item in decoded}
        except TypeError:
            raise ReplayMismatch("a recorded dict has an unhashable key") from None
    raise ReplayMismatch(f"an unknown recorded value {kind!r}")


class Recorder:
    """Wraps the learner's entry points; ``calls`` is ``None`` once any call took or gave a
    value that is not plain data (nothing to replay)."""

    def __init__(self) -> None:
        self.calls: list[JSON] | None = []
        self._depth = 0

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # the learner's own functions calling each other
                return function(*args, **kwargs)
            self._depth += 1
            try:
                result = function(*args, **kwargs)
            finally:
                self._depth -= 1
            if self.calls is not None:
                try:
                    self.calls.append(
                        {
                            "name": name,
                            "args": encode([list(args), kwargs]),
                            "result": encode(result),
                        }
                    )
                except Unplain:
                    self.calls = None
            return result

        return recorded


class Replay:
    """The stand-in for the learner's functions in the judge: each call gives the next recorded
    answer, after putting the arguments in the state the learner's call left them in."""

    def __init__(self, calls: JSON) -> None:
        if not isinstance(calls, list) or not all(isinstance(c, dict) for c in calls):
            raise ReplayMismatch("the recording is not a list of calls")
        self._calls = deque(calls)

    def function(self, name: str) -> Callable[..., Any]:
        def answer(*args: Any, **kwargs: Any) -> Any:
            if not self._calls:
                raise ReplayMismatch(f"no answer recorded for call of {name}()")
            call = self._calls.popleft()
            if call.get("name") != name:
                raise ReplayMismatch(f"the recording answers {call.get('name')!r}, not {name!r}")
            after = decode(call.get("args"))
            if not (isinstance(after, list) and len(after) == 2):
                raise ReplayMismatch("the recorded arguments have the wrong shape")
            positional, named = after
            if len(positional) != len(args) or set(named) != set(kwargs):
                raise ReplayMismatch(f"{name}() was called with other arguments")
            for live, left in zip(args, positional, strict=True):
                _leave_as(live, left)
            for key, live in kwargs.items():
                _leave_as(live, named[key])
            return decode(call.get("result"))

        return answer

    def unused(self) -> int:
        return len(self._calls)


def _leave_as(live: Any, left: Any) -> None:
    """A list or dict argument the learner's call changed in place is changed the same way."""
    if isinstance(live, list) and isinstance(left, list):
        live[:] = left
    elif isinstance(live, dict) and isinstance(left, dict):
        live.clear()
        live.update(left)
