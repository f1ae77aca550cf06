"""Runs a learner's update roll-out on a pool of virtual desktops and checks the pool it leaves;
public.

The pool is ``tutor.sim.scenarios.DesktopPool``: desktops are linked clones of one golden image,
an update is a new image version every desktop is recomposed onto, and an audit is one security
check over all of them. After the learner's function returns, the driver rolls out a few more
desktops: an update that only touched the existing desktops shows on them at once.
"""

from tutor.explanations import explain
from tutor.sim.scenarios import DesktopPool

RETURNS = {"roll_update": [str]}

OS_BLOCKS, PROFILE_BLOCKS = 16, 4
USER_BLOCK = 0  # each user's data on their profile disk


def _image(args):
    """The OS blocks every desktop must read after the update, newest patch last."""
    image = {int(b): v for b, v in args["image"].items()}
    for patch in sorted(args["patches"], key=lambda p: p["version"]):
        image.update({int(b): v for b, v in patch["blocks"].items()})
    return image


def _new_patches(args):
    return sorted(
        (p for p in args["patches"] if p["version"] > args["current"]), key=lambda p: p["version"]
    )


def run(submission, args, trace):
    pool = DesktopPool(OS_BLOCKS, PROFILE_BLOCKS, trace=trace)
    for block, value in sorted(args["image"].items()):
        pool.install(int(block), value)
    pool.roll_out(args["desktops"])
    for patch in sorted(args["patches"], key=lambda p: p["version"]):
        if patch["version"] <= args["current"]:
            pool.push_update({int(b): v for b, v in patch["blocks"].items()})
    for i, desktop in enumerate(pool.desktops):
        desktop.write_disk("profile", USER_BLOCK, 1000 + i)
    for i, block, value in args["drift"]:
        pool.desktops[i].write_disk("os", block, value)
    patches = [
        {"version": p["version"], "blocks": {int(b): v for b, v in p["blocks"].items()}}
        for p in args["patches"]
    ]
    start = len(trace.events)
    failing = submission.roll_update(pool, patches)
    audited = sorted({e["block"] for e in trace.events[start:] if e["kind"] == "desktop.audit"})
    existing = [d.name for d in pool.desktops]
    pool.roll_out(args["late"])
    image = _image(args)
    patched = sorted({int(b) for p in _new_patches(args) for b in p["blocks"]})
    stale = sorted(
        d.name for d in pool.desktops if any(d.read_disk("os", b) != image[b] for b in patched)
    )
    lost = sorted(
        d.name
        for i, d in enumerate(pool.desktops)
        if d.name in existing and d.read_disk("profile", USER_BLOCK) != 1000 + i
    )
    return {
        "version": pool.version,
        "stale_existing": [n for n in stale if n in existing],
        "stale_late": [n for n in stale if n not in existing],
        "profiles_lost": lost,
        "audited": audited,
        "failing": sorted(failing),
    }


def compare(args, expected, actual, reveal=False):
    image, new, version, current = (
        _image(args),
        _new_patches(args),
        actual["version"],
        args["current"],
    )
    stale = len(actual["stale_existing"]) + len(actual["stale_late"])
    older = any(
        {p["blocks"][str(b)] for p in new if str(b) in p["blocks"]} - {image[b]} for b in image
    )
    missing = sorted(set(expected["audited"]) - set(actual["audited"]))
    # The first problem, in the order a learner should fix them: (broken?, explanation, values).
    problems = [
        (
            actual["stale_existing"] and not actual["stale_late"] and version == current,
            "golden_disk",
            {},
        ),
        (
            actual["stale_late"] and version == current,
            "by_hand",
            {"count": len(actual["stale_late"])},
        ),
        (version > expected["version"], "already_has", {"version": version, "current": current}),
        (stale and older, "order", {"count": stale}),
        (stale, "stale", {"count": stale}),
        (version < expected["version"], "one_version_each", {"version": version}),
        (actual["profiles_lost"], "profiles", {"count": len(actual["profiles_lost"])}),
        (missing, "no_audit", {"count": missing if reveal else len(missing)}),
        (actual["failing"] != expected["failing"], "failing", {"count": len(actual["failing"])}),
    ]
    return next(
        (explain(f"desktops.{key}", **values) for bad, key, values in problems if bad), None
    )
