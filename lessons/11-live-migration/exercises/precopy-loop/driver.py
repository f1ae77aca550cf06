"""Hands a learner's migrate() a guest being migrated (tutor.sim.MigrationLink) and grades the
migration it drove: its rounds, stop rule and downtime, then its comparison with V_i = M·(d/B)^i.
Public (runs in the browser)."""

import math

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim import ConstantDirtyRate, MigrationLink

# The loop is the point: rounds copied from a formula without driving the link leave no trace.
GRADE_TRACE = True
MODEL_ANSWERS = {
    "tutor.sim": (
        "precopy",
        "live_migrate",
        "STOP_RULES",
        "XEN_V2",
        "XEN_LEGACY",
        "stop_rules",
    ),
    "tutor.sim.migration": (
        "precopy",
        "live_migrate",
        "STOP_RULES",
        "XEN_V2",
        "XEN_LEGACY",
        "stop_rules",
    ),
}
RETURNS = {"migrate": {"closed_form_mb": [float], "departs_at": (int, None)}}


def _rules(args):
    return explain(f"migration.rules.{args['rules'].replace('-', '_').replace('.', '_')}")


def run(submission, args, trace):
    dirty = ConstantDirtyRate(args["memory_mb"], args["dirty_mbps"])
    link = MigrationLink(
        args["memory_mb"],
        dirty,
        args["bandwidth_mbps"],
        rules=args["rules"],
        trace=trace,
    )
    answer = submission.migrate(link, dict(args))
    if link.finished is None:
        raise mistake(explain("migration.not_finished"), RuntimeError)
    done = link.finished
    return {
        "sent_mb": [r.sent_mb for r in done.rounds],
        "stop_reason": done.stop_reason,
        "downtime_ms": done.downtime_ms,
        "closed_form_mb": answer["closed_form_mb"],
        "departs_at": answer["departs_at"],
    }


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _rounds(args, expected, actual, reveal):
    want, got = expected["sent_mb"], actual["sent_mb"]
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        if not _close(w, g):
            message = explain(
                "migration.round_wrong",
                i=i,
                mb=f"{g:.4g}",
                why=explain("migration.next_round"),
            )
            return _revealing(message, "migration.expected_mb", reveal, mb=f"{w:.4g}")
    if len(got) != len(want):
        key = "migration.too_many_rounds" if len(got) > len(want) else "migration.too_few_rounds"
        message = explain(key, n=len(got), why=_rules(args))
        return _revealing(message, "migration.expected_rounds", reveal, n=len(want))
    return None


def _revealing(message, suffix, reveal, **values):
    if not reveal:
        return message
    extra = explain(suffix, **values)
    return {lang: message[lang] + extra[lang] for lang in message}


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    return check.first(
        _rounds(args, expected, actual, reveal),
        check.equal(
            "stop_and_copy's reason",
            expected["stop_reason"],
            actual["stop_reason"],
            why=_rules(args),
        ),
        _closed_form(expected, actual, check),
        check.equal(
            "departs_at",
            expected["departs_at"],
            actual["departs_at"],
            why=explain("migration.departs"),
        ),
    )


def _closed_form(expected, actual, check):
    want, got = expected["closed_form_mb"], actual["closed_form_mb"]
    if len(got) != len(want):
        return check.say(
            "value",
            explain("migration.one_per_round"),
            expected=len(want),
            field="len(closed_form_mb)",
            actual=len(got),
        )
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        if not _close(w, g):
            return check.say(
                "value",
                explain("migration.closed_form"),
                expected=f"{w:.4g}",
                field=f"closed_form_mb[{i}]",
                actual=f"{g:.4g}",
            )
    return None
