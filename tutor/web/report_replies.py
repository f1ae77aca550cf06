"""What a grading reply carries: the verdict for everyone, traces only where a page replays them,
and nothing of a hidden case that could hold its answer for the learner who submitted.

A stored report holds every case's trace (≈ 60 KB for vcpu-run-loop). The lesson page's
"Replay" buttons need them, so the htmx report fragment carries them once, per case, in
``replay_data`` (nothing else: the fragment's HTML already says the verdict). The JSON API's
clients (scripts, the self-study progress import) replay nothing: their replies leave traces
out unless asked with ``?traces=1``. A report stored before #15 also had the failing case's
trace again at the top; it is never sent twice.

A learner's own Submit is graded on hidden cases, fixed per learner: the same cases on every
Submit. Each case's trace, the state their code returned (``output``) and the index where their
run left the reference's (``departure``) can hold the model's own answer for that case (the
driver's ``output`` of translate-address holds the model's address for each access; a trace
holds the model's events), so a learner would read the answers off one Submit and pass the
next with a table. They see each case's verdict, title, message and what their code printed
(``own_view``); staff of the course see everything, replayed (the submission page).
"""

from __future__ import annotations

from typing import Any

from flask import request

# What static/js/exercise.js enhanceReport() reads of each case.
REPLAY_FIELDS = ("name", "title", "passed", "trace", "departure", "message", "output")


# What a learner is not sent of their own hidden cases (each can hold the model's answer).
HIDDEN_DETAIL = frozenset({"trace", "output", "departure"})


def own_view(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` as the learner who submitted it sees it: a hidden-case report without
    ``HIDDEN_DETAIL``; a practice report (the public cases) as it is."""
    if report.get("scope", "hidden") != "hidden":
        return report
    lean = {key: value for key, value in report.items() if key != "trace"}
    if isinstance(report.get("cases"), list):
        lean["cases"] = [
            {k: v for k, v in case.items() if k not in HIDDEN_DETAIL}
            if isinstance(case, dict)
            else case
            for case in report["cases"]
        ]
    return lean


def replay_data(report: dict[str, Any]) -> dict[str, Any]:
    """The cases a page can replay, with what a replay shows: for the report fragment."""
    return {
        "cases": [
            {key: case.get(key) for key in REPLAY_FIELDS}
            for case in report.get("cases") or []
            if isinstance(case, dict) and case.get("trace")
        ]
    }


def without_traces(report: dict[str, Any]) -> dict[str, Any]:
    lean = {key: value for key, value in report.items() if key != "trace"}
    if isinstance(report.get("cases"), list):
        lean["cases"] = [
            {k: v for k, v in case.items() if k != "trace"} if isinstance(case, dict) else case
            for case in report["cases"]
        ]
    return lean


def api_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report as the JSON API sends it: with traces (once) only for ``?traces=1``."""
    if request.args.get("traces") == "1":
        return {key: value for key, value in report.items() if key != "trace"}
    return without_traces(report)
