"""Runs a learner's update roll-out on a pool of virtual desktops and checks the pool it leaves;
public.

The pool is ``tutor.sim.scenarios.DesktopPool``: desktops are linked clones of one golden image,
an update is a new image version every desktop is recomposed onto, and an audit is one security
check over all of them. After the learner's function returns, the driver rolls out a few more
desktops: an update that only touched the existing desktops shows on them at once.
"""

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
    image = _image(args)
    new = _new_patches(args)
    if (
        actual["stale_existing"]
        and not actual["stale_late"]
        and actual["version"] == args["current"]
    ):
        return {
            "en": "the desktops that already existed still read the old blocks, while desktops "
            "made afterwards have the patch: a write into the golden image's own disk does not "
            "reach desktops already cloned from it; push_update builds a new image version and "
            "recomposes every desktop onto it",
            "zh": "已经存在的桌面读到的仍是旧数据块，而之后创建的桌面却有补丁：直接写黄金镜像"
            "自己的磁盘，到达不了已经从它克隆出来的桌面；push_update 会构建新的镜像版本，"
            "并把每台桌面重新组合到新版本上",
        }
    if actual["stale_late"] and actual["version"] == args["current"]:
        return {
            "en": f"{len(actual['stale_late'])} desktop(s) rolled out after your update do not "
            "have it: the golden image was never updated, only the desktops one by one; patch "
            "the image (push_update), so every desktop, old and new, gets it",
            "zh": f"你的更新之后新部署的 {len(actual['stale_late'])} 台桌面没有这个补丁："
            "黄金镜像从未更新，只是逐台改了桌面；请更新镜像（push_update），这样新旧桌面都能"
            "得到补丁",
        }
    if actual["version"] > expected["version"]:
        return {
            "en": f"the image is at version {actual['version']}: you pushed a patch the image "
            f"already has (it was at version {args['current']}, so every patch up to that one "
            "is installed); push only the newer ones",
            "zh": f"镜像到了版本 {actual['version']}：你推送了镜像已经有的补丁（它原来是版本 "
            f"{args['current']}，这个版本及以前的补丁都已安装）；只推送更新的补丁",
        }
    if actual["stale_existing"] or actual["stale_late"]:
        stale = len(actual["stale_existing"]) + len(actual["stale_late"])
        older = {
            b: {p["blocks"][str(b)] for p in new if str(b) in p["blocks"]} - {image[b]}
            for b in image
        }
        if any(older.values()):
            return {
                "en": f"{stale} desktop(s) end with a block from an older "
                "patch: push the patches in version order, so the newest value of each block "
                "wins",
                "zh": f"有 {stale} 台桌面最后留下的是旧补丁的数据块："
                "请按版本顺序推送补丁，让每个数据块的最新值生效",
            }
        return {
            "en": f"{stale} desktop(s) do not carry every patched block",
            "zh": f"有 {stale} 台桌面没有包含所有打过补丁的数据块",
        }
    if actual["version"] < expected["version"]:
        return {
            "en": f"the image is at version {actual['version']}: each new patch is one "
            "push_update, one new version",
            "zh": f"镜像停在版本 {actual['version']}：每个新补丁都是一次 push_update，"
            "产生一个新版本",
        }
    if actual["profiles_lost"]:
        return {
            "en": f"{len(actual['profiles_lost'])} user profile(s) lost their data: recomposing "
            "replaces only the OS disk and keeps each user's profile disk; do not rebuild the "
            "desktops",
            "zh": f"有 {len(actual['profiles_lost'])} 个用户配置文件丢失了数据：重新组合只替换"
            "系统盘，保留每个用户的配置文件磁盘；不要重建桌面",
        }
    missing = sorted(set(expected["audited"]) - set(actual["audited"]))
    if missing:
        shown = missing if reveal else len(missing)
        return {
            "en": f"no security check ran for {shown} patched block(s): after an update, audit "
            "every block it changed, over all desktops at once (pool.audit)",
            "zh": f"有 {shown} 个打过补丁的数据块没有做安全检查：更新之后，要对它改动的每个数据块"
            "一次性检查所有桌面（pool.audit）",
        }
    if actual["failing"] != expected["failing"]:
        return {
            "en": f"you report {len(actual['failing'])} failing desktop(s), yet every desktop "
            "carries the update: audit each patched block for its value in the newest patch, "
            "and return the desktops your audits found failing",
            "zh": f"你报告有 {len(actual['failing'])} 台桌面不合格，可每台桌面都已经带上了更新："
            "请按最新补丁中的值检查每个打过补丁的数据块，并返回检查发现的不合格桌面",
        }
    return None
