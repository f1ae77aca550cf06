"""Hands migrate() a guest being migrated and grades the migration it drove; public (browser)."""

import math

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim.testbed import migration_link

# The loop is the point: rounds copied from a formula without driving the link leave no trace.
GRADE_TRACE = True
_HIDDEN = ("precopy", "live_migrate", "STOP_RULES", "XEN_V2", "XEN_LEGACY", "stop_rules")
MODEL_ANSWERS = {"tutor.sim": _HIDDEN, "tutor.sim.migration": _HIDDEN}
RETURNS = {"migrate": {"closed_form_mb": [float], "departs_at": (int, None)}}


def run(submission, args, trace):
    link = migration_link(args, trace)
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


def compare(args, expected, actual, reveal=False):
    check, rules = Feedback(reveal), explain(f"migration.rules.{_rules_key(args)}")
    return check.first(
        _rounds(check, rules, expected["sent_mb"], actual["sent_mb"]),
        check.equal(
            "stop_and_copy(reason)", expected["stop_reason"], actual["stop_reason"], why=rules
        ),
        check.close(
            "downtime_ms",
            expected["downtime_ms"],
            actual["downtime_ms"],
            why=explain("migration.downtime"),
        ),
        check.numbers(
            "closed_form_mb",
            expected["closed_form_mb"],
            actual["closed_form_mb"],
            why=explain("migration.closed_form"),
            why_count=explain("migration.one_per_round"),
        ),
        check.equal(
            "departs_at",
            expected["departs_at"],
            actual["departs_at"],
            why=explain("migration.departs"),
        ),
    )


def _rules_key(args):
    return args["rules"].replace("-", "_").replace(".", "_")


def _rounds(check, rules, want, got):
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        if not math.isclose(w, g, rel_tol=1e-6, abs_tol=1e-9):
            why = explain("migration.next_round")
            message = explain("migration.round_wrong", i=i, mb=f"{g:.4g}", why=why)
            return check.revealing(message, explain("migration.expected_mb", mb=f"{w:.4g}"))
    if len(got) != len(want):
        key = "migration.too_many_rounds" if len(got) > len(want) else "migration.too_few_rounds"
        message = explain(key, n=len(got), why=rules)
        return check.revealing(message, explain("migration.expected_rounds", n=len(want)))
    return None
