"""Builds the model's pool with the given placement, lets a learner's relieve() live-migrate
guests, and grades the result: no host above the threshold, and no more memory migrated than
the model's own rule needs. Public (runs in the browser)."""

from tutor.sim import Host, ResourcePool, VmSpec

MODEL_ANSWERS = {"tutor.sim": ("ResourcePool",), "tutor.sim.pool": ("ResourcePool",)}

COPY_COST = {
    "en": "a live migration copies at least the guest's whole memory over the network, so move "
    "the guests with the least memory that still bring each host under the threshold",
    "zh": "一次实时迁移至少要通过网络复制这台客户机的全部内存，所以应该迁移内存最少、"
    "又能让每台宿主机降到阈值以下的客户机",
}


def _pool(args, trace):
    pool = ResourcePool(
        [Host(h["name"], h["cores"], h["pages"]) for h in args["hosts"]], trace
    )
    specs = {}
    for h in args["hosts"]:
        for g in h["guests"]:
            specs[g["name"]] = VmSpec(g["name"], g["vcpus"], g["pages"], load=g["load"])
    pool.announce(specs.values())
    for h in args["hosts"]:
        for g in h["guests"]:
            pool.place(specs[g["name"]], lambda vm, hosts, name=h["name"]: name)
    trace.emit("pool.threshold", threshold=args["threshold"])
    return pool, specs


def run(submission, args, trace):
    pool, specs = _pool(args, trace)
    moved = []

    def migrate(vm_name, host_name):
        if vm_name not in specs:
            error = KeyError(f"there is no guest named {vm_name!r}")
            error.zh = f"没有名为 {vm_name!r} 的客户机"
            raise error
        views = {v.name: v for v in pool.views()}
        if host_name not in views:
            error = KeyError(f"there is no host named {host_name!r}")
            error.zh = f"没有名为 {host_name!r} 的宿主机"
            raise error
        vm = specs[vm_name]
        if pool.host_of(vm_name) != host_name and not views[host_name].fits(vm):
            view = views[host_name]
            error = ValueError(
                f"{vm_name} ({vm.vcpus} vCPUs, {vm.memory_pages} pages) does not fit on "
                f"{host_name}, which has {view.free_vcpus} vCPUs and {view.free_pages} pages free"
            )
            error.zh = (
                f"{vm_name}（{vm.vcpus} 个 vCPU，{vm.memory_pages} 页）放不进 {host_name}，"
                f"它只剩 {view.free_vcpus} 个 vCPU 和 {view.free_pages} 页"
            )
            raise error
        pool.move(vm_name, host_name)
        moved.append(vm_name)

    hot_before = pool.overloaded(args["threshold"])
    submission.relieve([_copy(h) for h in args["hosts"]], args["threshold"], migrate)
    hot = pool.overloaded(args["threshold"])
    return {
        "hot_before": hot_before,
        "hot_after": {name: round(pool.utilisation(name) * 100, 1) for name in hot},
        "pages_moved": sum(specs[name].memory_pages for name in moved),
        "moves": len(moved),
    }


def _copy(host):
    return {**host, "guests": [dict(g) for g in host["guests"]]}


def compare(args, expected, actual, reveal=False):
    pct = round(args["threshold"] * 100)
    for name, util in actual["hot_after"].items():
        if name in actual["hot_before"]:
            return {
                "en": f"{name} is still at {util:g} % CPU, above the {pct} % threshold: keep "
                "migrating guests off it, to hosts that stay at or under the threshold",
                "zh": f"{name} 的 CPU 利用率仍是 {util:g} %，超过 {pct} % 的阈值：继续把它上面的"
                "客户机迁移到接收后仍不超过阈值的宿主机上",
            }
        return {
            "en": f"your moves pushed {name} to {util:g} % CPU, over the {pct} % threshold: "
            "a target must stay at or under the threshold with the guest it receives",
            "zh": f"你的迁移把 {name} 的 CPU 利用率推到了 {util:g} %，超过 {pct} % 的阈值："
            "目标宿主机接收客户机之后也必须不超过阈值",
        }
    if actual["pages_moved"] > expected["pages_moved"]:
        message = {
            "en": f"you live-migrated {actual['pages_moved']} pages of memory, but a relief that "
            f"moves less exists: {COPY_COST['en']}",
            "zh": f"你实时迁移了 {actual['pages_moved']} 页内存，但存在迁移量更少的减负方案："
            f"{COPY_COST['zh']}",
        }
        if reveal:
            message["en"] += (
                f" (the model's rule moves {expected['pages_moved']} pages)"
            )
            message["zh"] += f"（模型的规则迁移 {expected['pages_moved']} 页）"
        return message
    return None
