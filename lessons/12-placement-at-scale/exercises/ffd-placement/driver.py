"""Gives a learner's ffd() the model's pool through one call, place(vm, host), and grades the
packing it built: which host each guest landed on, in which order, and the hosts it lit.
Public (runs in the browser)."""

from tutor.sim import Host, ResourcePool, VmSpec

# The order of placement is the algorithm: the trace must match FFD's, not only the result.
GRADE_TRACE = True
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool",),
    "tutor.sim.pool": ("ResourcePool",),
}
RETURNS = {"ffd": int}

RULE = {
    "en": "FFD takes the guests largest first (most memory, then most vCPUs, then by name) and "
    "puts each on the first host, in the given order, that still has room for both its "
    "vCPUs and its memory",
    "zh": "首次适应递减按从大到小的顺序取客户机（内存最多的在前，其次 vCPU 最多，再按名字），"
    "把每一台放到按给定顺序第一台 vCPU 和内存都还放得下它的宿主机上",
}


def run(submission, args, trace):
    pool = ResourcePool(
        [Host(h["name"], h["cores"], h["pages"]) for h in args["hosts"]], trace
    )
    specs = {v["name"]: VmSpec(v["name"], v["vcpus"], v["pages"]) for v in args["vms"]}
    pool.announce(specs.values())

    def place(vm_name, host_name):
        if vm_name not in specs:
            error = KeyError(f"there is no guest named {vm_name!r} to place")
            error.zh = f"没有名为 {vm_name!r} 的客户机可以放置"
            raise error
        vm = specs[vm_name]
        free = {h.name: h for h in pool.views()}
        if host_name not in free:
            error = KeyError(f"there is no host named {host_name!r}")
            error.zh = f"没有名为 {host_name!r} 的宿主机"
            raise error
        view = free[host_name]
        if not view.fits(vm):
            error = ValueError(
                f"{vm_name} ({vm.vcpus} vCPUs, {vm.memory_pages} pages) does not fit on "
                f"{host_name}, which has {view.free_vcpus} vCPUs and {view.free_pages} pages "
                "free: check both resources before you place"
            )
            error.zh = (
                f"{vm_name}（{vm.vcpus} 个 vCPU，{vm.memory_pages} 页）放不进 {host_name}，"
                f"它只剩 {view.free_vcpus} 个 vCPU 和 {view.free_pages} 页："
                "放置之前两种资源都要检查"
            )
            raise error
        pool.place(vm, lambda vm, hosts: host_name)

    used = submission.ffd(
        [dict(v) for v in args["vms"]], [dict(h) for h in args["hosts"]], place
    )
    placement = {}
    for name in specs:
        try:
            placement[name] = pool.host_of(name)
        except Exception:
            placement[name] = None
    order = [e["vm"] for e in trace.events if e["kind"] == "pool.place"]
    return {
        "placement": placement,
        "order": order,
        "hosts_on": pool.hosts_on(),
        "used": used,
    }


def compare(args, expected, actual, reveal=False):
    for name in expected["placement"]:
        if actual["placement"].get(name) is None:
            return {
                "en": f"guest {name} was never placed: every guest must land on a host",
                "zh": f"客户机 {name} 始终没有被放置：每一台客户机都必须放到某台宿主机上",
            }
    for i, (want, got) in enumerate(
        zip(expected["order"], actual["order"], strict=False)
    ):
        if want != got:
            message = {
                "en": f"placement {i + 1} was {got}, too early or too late: {RULE['en']}",
                "zh": f"第 {i + 1} 次放置的是 {got}，顺序不对：{RULE['zh']}",
            }
            if reveal:
                message["en"] += f" (expected {want})"
                message["zh"] += f"（应为 {want}）"
            return message
    for name, host in expected["placement"].items():
        got = actual["placement"][name]
        if got != host:
            message = {
                "en": f"{name} landed on {got}, which is not the first host with room: "
                f"{RULE['en']}",
                "zh": f"{name} 被放到了 {got}，但那不是第一台放得下它的宿主机：{RULE['zh']}",
            }
            if reveal:
                message["en"] += f" (expected {host})"
                message["zh"] += f"（应为 {host}）"
            return message
    if actual["used"] != actual["hosts_on"]:
        return {
            "en": f"ffd returned {actual['used']}, but your packing lit {actual['hosts_on']} "
            "hosts: count the hosts that hold at least one guest",
            "zh": f"ffd 返回了 {actual['used']}，但你的装法用到了 {actual['hosts_on']} 台宿主机："
            "要数的是至少放了一台客户机的宿主机",
        }
    return None
