"""Runs a learner's update roll-out on a pool of virtual desktops, checks what it leaves."""

from tutor.grading.feedback import Feedback
from tutor.sim.testbed import after_rollout, desktop_pool, patched_image, patches

RETURNS = {"roll_update": [str]}


def run(submission, args, trace):
    pool = desktop_pool(args, trace)
    start, before = len(trace.events), pool.version
    failing = submission.roll_update(pool, patches(args))
    events = trace.events[start:]
    # The golden versions the roll-out built: one per push_update, whatever pool.version says
    # (a learner may set it by hand, which builds nothing).
    built = before + sum(1 for e in events if e["kind"] == "desktop.update")
    return {**after_rollout(pool, args, events), "version": built, "failing": sorted(failing)}


def compare(args, expected, actual, reveal=False):
    image, version, current = patched_image(args), actual["version"], args["current"]
    late, existing, lost = actual["stale_late"], actual["stale_existing"], actual["profiles_lost"]
    stale = len(existing) + len(late)
    older = any(
        {p["blocks"].get(b) for p in patches(args, new=True)} - {None, image[b]} for b in image
    )
    missing = sorted(set(expected["audited"]) - set(actual["audited"]))
    return Feedback.broken(
        "desktops",
        [
            (existing and not late and version == current, "golden_disk"),
            (late and version == current, "by_hand", {"count": len(late)}),
            (
                version > expected["version"],
                "already_has",
                {"version": version, "current": current},
            ),
            (stale and older, "order", {"count": stale}),
            (stale, "stale", {"count": stale}),
            (version < expected["version"], "one_version_each", {"version": version}),
            (lost, "profiles", {"count": len(lost)}),
            (missing, "no_audit", {"count": missing if reveal else len(missing)}),
            (
                actual["failing"] != expected["failing"],
                "failing",
                {"count": len(actual["failing"])},
            ),
        ],
    )
