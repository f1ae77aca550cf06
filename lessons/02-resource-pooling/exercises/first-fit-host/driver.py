"""Places guests into a pool with the learner's first_fit() as the policy; public.

The model checks every choice against the host's free capacity, so a prediction that puts a guest
where it does not fit fails with the rule it broke; a legal but different host is compared with
First Fit's choice, guest by guest.
"""

from tutor.sim import CapacityExceeded, Host, ResourcePool, VmSpec

RETURNS = {"first_fit": (str, None)}
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool",),
    "tutor.sim.pool": ("ResourcePool", "_FitIndex"),
}


def run(submission, args, trace):
    pool = ResourcePool(
        (Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in args["hosts"]),
        trace=trace,
    )

    def policy(vm, views):
        hosts = [
            {
                "name": v.name,
                "free_vcpus": v.free_vcpus,
                "free_pages": v.free_pages,
                "on": v.powered_on,
            }
            for v in views
        ]
        chosen = submission.first_fit(
            {"name": vm.name, "vcpus": vm.vcpus, "pages": vm.memory_pages}, hosts
        )
        if chosen is None:
            error = ValueError(
                f"first_fit returned None for {vm.name!r}, but a host has room for it "
                "(every guest here passed admission control)"
            )
            error.zh = (
                f"first_fit 对 {vm.name!r} 返回了 None，但有宿主机放得下它"
                "（这里的每台客户机都已通过准入控制）"
            )
            raise error
        return chosen

    # Not "first_fit": the replay must not narrate a wrong choice as First Fit's.
    policy.__name__ = "learner"
    placed = []
    for g in args["guests"]:
        try:
            placed.append(pool.try_place(VmSpec(g["name"], g["vcpus"], g["pages"]), policy))
        except CapacityExceeded as broken:
            error = ValueError(
                f"{broken}: a host has room only if both its free vCPUs and its free pages suffice"
            )
            error.zh = (
                f"你把 {g['name']!r} 放到了放不下它的宿主机上：只有空闲 vCPU 和空闲内存页都足够时，"
                "宿主机才放得下"
            )
            raise error from None
    pool.check()
    return {"placed": placed, "on": [v.name for v in pool.views() if v.powered_on]}


def compare(args, expected, actual, reveal=False):
    for guest, want, got in zip(args["guests"], expected["placed"], actual["placed"], strict=True):
        if got == want:
            continue
        names = [h["name"] for h in args["hosts"]]
        if names.index(got) > names.index(want):
            message = {
                "en": f"{guest['name']!r} went to {got!r}, but a host earlier in the list also "
                "has room for it: First Fit takes the first host that fits (a guest that exactly "
                "fills the free space still fits)",
                "zh": f"{guest['name']!r} 被放到了 {got!r}，但列表中更靠前的一台宿主机也放得下它："
                "首次适应选第一台放得下的宿主机（恰好占满空闲空间也算放得下）",
            }
        else:
            message = {
                "en": f"{guest['name']!r} went to {got!r}, but First Fit does not stop there: "
                "something about that choice differs from taking the first host with room",
                "zh": f"{guest['name']!r} 被放到了 {got!r}，但首次适应不会停在那里："
                "这个选择与“选第一台放得下的宿主机”不一致",
            }
        if reveal:
            message["en"] += f" (expected {want!r})"
            message["zh"] += f"（应为 {want!r}）"
        return message
    if actual["on"] != expected["on"]:
        return {
            "en": "the hosts left powered on differ from First Fit's",
            "zh": "最终开机的宿主机与首次适应的结果不同",
        }
    return None
