"""The event trace: the only thing animations and graders read besides final state.

Events are plain JSON-able dicts so that the same trace can cross the Pyodide boundary, travel in
an HTTP response and be replayed by d3 without any translation layer. The schema is versioned and
documented in docs/trace.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .budget import StepBudget

SCHEMA_VERSION = 1

JSONValue = Any


@dataclass
class Trace:
    """An append-only list of events; each event also spends one step of the budget."""

    budget: StepBudget = field(default_factory=StepBudget)
    events: list[dict[str, JSONValue]] = field(default_factory=list)

    def emit(self, kind: str, **data: JSONValue) -> dict[str, JSONValue]:
        self.budget.spend()
        event: dict[str, JSONValue] = {"seq": len(self.events), "kind": kind, **data}
        self.events.append(event)
        return event

    def of_kind(self, kind: str) -> list[dict[str, JSONValue]]:
        return [e for e in self.events if e["kind"] == kind]

    def to_json(self) -> dict[str, JSONValue]:
        return {"schema": SCHEMA_VERSION, "events": list(self.events)}

    def digest(self) -> str:
        """Identical behaviour in CPython and Pyodide must give an identical digest."""
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
