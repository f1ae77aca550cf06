"""Errors a learner can read.

Every rule the model enforces fails with one of these, worded as the rule that was broken, so the
grader can pass the message straight to the learner instead of a Python traceback. ``str(error)``
is the English text; ``error.zh`` the Chinese one. Every error the model raises gives one
(``tests/sim/test_rules_raise.py`` checks the source); ``None`` is left for errors made outside
the model, and the page then shows the English.
"""

from __future__ import annotations


class SimError(Exception):
    """A rule of the simulated system was broken; the message names the rule."""

    rule = "model"

    def __init__(self, message: str = "", zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


class StepBudgetExceeded(SimError):
    """Runaway learner code is stopped by the model itself, not only by the browser or the OS."""

    rule = "step-budget"

    def __init__(self, budget: int) -> None:
        super().__init__(
            f"stopped after {budget} simulation steps (the step budget): "
            "your code probably loops forever, e.g. it keeps calling run() after the guest halted",
            zh=f"模拟执行了 {budget} 步后被停止（超出步数预算）："
            "你的代码很可能陷入了死循环，例如在客户机停机后仍不断调用 run()",
        )
        self.budget = budget


class IsolationViolation(SimError):
    """One guest tried to touch what belongs to another; the security manager refused."""

    rule = "isolation"


class CapacityExceeded(SimError):
    """A request asked for more than the host or pool physically has."""

    rule = "capacity"


class InvalidOperation(SimError):
    """An API call that makes no sense in the current state (e.g. running a halted vCPU)."""

    rule = "protocol"


class ArchitectureMismatch(SimError):
    """A guest built for one CPU architecture was sent to a host of another: a VMM runs guest
    code directly on the CPU, so that needs an emulator or binary translator (e.g. QEMU TCG)."""

    rule = "architecture"


_WORDED: dict[type[Exception], type[SimError]] = {}


def worded(text: dict[str, str], kind: type[Exception] = ValueError) -> Exception:
    """A refusal in the explanations catalogue's words (``{"en", "zh"}``), made outside the
    model (a test bench's, a driver's): an instance of ``kind`` (so a ``ValueError`` still
    catches it) that is read like the model's own refusals, the sentence alone, without a Python
    class name before it ("ValueError: first_fit returned None ...")."""
    if kind not in _WORDED:
        # the rule's sentence as it is written (a KeyError's str() would quote it)
        body = {"__module__": __name__, "__str__": Exception.__str__}
        _WORDED[kind] = type(kind.__name__, (InvalidOperation, kind), body)
    return _WORDED[kind](text["en"], zh=text.get("zh") or text["en"])
