"""A step budget, so a loop that keeps driving the model stops with a message, on every platform."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StepBudgetExceeded
from .quantities import whole_number

DEFAULT_STEP_BUDGET = 100_000


@dataclass
class StepBudget:
    limit: int = DEFAULT_STEP_BUDGET
    used: int = 0

    def __post_init__(self) -> None:
        whole_number(
            self.limit, ("StepBudget(limit): limit", "StepBudget(limit) 的 limit"), least=0
        )
        whole_number(self.used, ("StepBudget: used", "StepBudget 的 used"), least=0)

    def spend(self, steps: int = 1) -> None:
        self.used += steps
        if self.used > self.limit:
            raise StepBudgetExceeded(self.limit)
