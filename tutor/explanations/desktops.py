"""Updating a pool of virtual desktops through its golden image (lesson 4, desktop-rollout)."""

EXPLANATIONS = {
    "golden_disk": {
        "en": "the desktops that already existed still read the old blocks, while desktops made "
        "afterwards have the patch: a write into the golden image's own disk does not reach "
        "desktops already cloned from it; push_update builds a new image version and recomposes "
        "every desktop onto it",
        "zh": "已经存在的桌面读到的仍是旧数据块，而之后创建的桌面却有补丁：直接写黄金镜像"
        "自己的磁盘，到达不了已经从它克隆出来的桌面；push_update 会构建新的镜像版本，"
        "并把每台桌面重新组合到新版本上",
    },
    "by_hand": {
        "en": "{count} desktop(s) rolled out after your update do not have it: the golden image "
        "was never updated, only the desktops one by one; patch the image (push_update), so "
        "every desktop, old and new, gets it",
        "zh": "你的更新之后新部署的 {count} 台桌面没有这个补丁：黄金镜像从未更新，只是逐台改了"
        "桌面；请更新镜像（push_update），这样新旧桌面都能得到补丁",
    },
    "already_has": {
        "en": "the image is at version {version}: you pushed a patch the image already has (it "
        "was at version {current}, so every patch up to that one is installed); push only the "
        "newer ones",
        "zh": "镜像到了版本 {version}：你推送了镜像已经有的补丁（它原来是版本 {current}，"
        "这个版本及以前的补丁都已安装）；只推送更新的补丁",
    },
    "order": {
        "en": "{count} desktop(s) end with a block from an older patch: push the patches in "
        "version order, so the newest value of each block wins",
        "zh": "有 {count} 台桌面最后留下的是旧补丁的数据块：请按版本顺序推送补丁，"
        "让每个数据块的最新值生效",
    },
    "stale": {
        "en": "{count} desktop(s) do not carry every patched block",
        "zh": "有 {count} 台桌面没有包含所有打过补丁的数据块",
    },
    "one_version_each": {
        "en": "the image is at version {version}: each new patch is one push_update, one new "
        "version",
        "zh": "镜像停在版本 {version}：每个新补丁都是一次 push_update，产生一个新版本",
    },
    "profiles": {
        "en": "{count} user profile(s) lost their data: recomposing replaces only the OS disk and "
        "keeps each user's profile disk; do not rebuild the desktops",
        "zh": "有 {count} 个用户配置文件丢失了数据：重新组合只替换系统盘，保留每个用户的配置"
        "文件磁盘；不要重建桌面",
    },
    "no_audit": {
        "en": "no security check ran for {count} patched block(s): after an update, audit every "
        "block it changed, over all desktops at once (pool.audit)",
        "zh": "有 {count} 个打过补丁的数据块没有做安全检查：更新之后，要对它改动的每个数据块"
        "一次性检查所有桌面（pool.audit）",
    },
    "failing": {
        "en": "you report {count} failing desktop(s), yet every desktop carries the update: audit "
        "each patched block for its value in the newest patch, and return the desktops your "
        "audits found failing",
        "zh": "你报告有 {count} 台桌面不合格，可每台桌面都已经带上了更新：请按最新补丁中的值"
        "检查每个打过补丁的数据块，并返回检查发现的不合格桌面",
    },
}
