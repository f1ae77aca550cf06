"""Every ```python block in docs/sim.md runs (each in a fresh namespace)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "sim.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_guide_has_examples() -> None:
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_code_block_runs(code: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, str(DOC), "exec"), {"__name__": "docs_sim"})


def test_every_event_kind_of_the_fixed_scenario_is_documented_in_trace_md(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.sim import parity_scenario
    from tutor.sim import Trace

    seen: set[str] = set()
    original = Trace.emit

    def spy(self: Trace, kind: str, **data: object) -> dict[str, object]:
        seen.add(kind)
        return original(self, kind, **data)

    monkeypatch.setattr(Trace, "emit", spy)
    parity_scenario.run()
    documented = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", (DOC.parent / "trace.md").read_text()))
    undocumented = {k for k in seen if not k.startswith("parity.")} - documented
    assert not undocumented, f"document these event kinds in docs/trace.md: {sorted(undocumented)}"
