"""Checks the learner's address translation against the hypervisor model's, access by access.

The model carves the layout's guests out of a ``SlicedHost`` and performs each access: it emits
``slice.read`` with the host address, or ``slice.refused``. The learner's answer follows as a
``slice.translated`` event, so a replay departs at the first access translated wrong.
"""

from tutor.sim import Disk, Host, IsolationViolation, Nic, SlicedHost

RETURNS = {"translate": (int, None)}
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}
SIZE = {"memory": "memory_pages", "disk": "disk_blocks"}
UNIT = {"memory": ("page", "页"), "disk": ("block", "块")}


def run(submission, args, trace):
    layout = args["layout"]
    guests = layout["guests"]
    host = SlicedHost(
        Host(
            "host",
            cores=len(guests),
            memory_pages=layout["hypervisor_pages"] + sum(g["memory_pages"] for g in guests) + 8,
            disks=(Disk("sda", sum(g["disk_blocks"] for g in guests) + 8),),
            nics=(Nic("eth0", 1000),),
        ),
        trace=trace,
        hypervisor_pages=layout["hypervisor_pages"],
    )
    for g in guests:
        host.carve(g["name"], 1, g["memory_pages"], g["disk_blocks"], 0)
    model, yours = [], []
    for guest, resource, address in args["accesses"]:
        try:
            host.read(guest, resource, address)
            model.append(host.host_address(guest, resource, address))
        except IsolationViolation:
            model.append(None)
        answer = submission.translate(
            {"hypervisor_pages": layout["hypervisor_pages"], "guests": [dict(g) for g in guests]},
            guest,
            resource,
            address,
        )
        yours.append(answer)
        trace.emit(
            "slice.translated", guest=guest, resource=resource, address=address, host_address=answer
        )
    return {"model": model, "yours": yours}


def compare(args, expected, actual, reveal=False):
    layout = args["layout"]
    for (guest, resource, address), want, got in zip(
        args["accesses"], actual["model"], actual["yours"], strict=True
    ):
        if want == got:
            continue
        unit, unit_zh = UNIT[resource]
        where_zh = "内存" if resource == "memory" else "磁盘"
        size = next(g for g in layout["guests"] if g["name"] == guest)[SIZE[resource]]
        head = {
            "en": f"{guest!r} {resource} {unit} {address}: you returned {got!r}, which is wrong: ",
            "zh": f"{guest!r} 的{where_zh}第 {address} {unit_zh}：你返回了 {got!r}，这不对：",
        }
        why = _why(layout, guest, resource, address, size, want, got)
        message = {lang: head[lang] + why[lang] for lang in ("en", "zh")}
        if reveal:
            message["en"] += f" (the model's answer is {want!r})"
            message["zh"] += f"（模型的答案是 {want!r}）"
        return message
    return None


def _why(layout, guest, resource, address, size, want, got):
    unit, unit_zh = UNIT[resource]
    if want is None:
        owner = _owner(layout, resource, got) if isinstance(got, int) else None
        tail_en = f"; host {unit} {got} belongs to {owner}" if owner else ""
        tail_zh = f"；宿主机第 {got} {unit_zh}属于 {owner}" if owner else ""
        return {
            "en": f"{address} is outside the {size} {unit}s of {guest!r} (0..{size - 1}), so the "
            f"hypervisor refuses it: return None{tail_en}",
            "zh": f"{address} 超出了 {guest!r} 的 {size} {unit_zh}（0..{size - 1}），"
            f"虚拟机监控程序会拒绝它：请返回 None{tail_zh}",
        }
    if got is None:
        return {
            "en": f"{address} lies inside the {size} {unit}s of {guest!r} (0..{size - 1}): "
            "translate it, do not refuse it",
            "zh": f"{address} 在 {guest!r} 的 {size} {unit_zh}（0..{size - 1}）之内："
            "应当换算，而不是拒绝",
        }
    if got == address:
        return {
            "en": "that is the guest's own number; the host address adds where its slice starts",
            "zh": "这是客户机自己的编号；宿主机地址还要加上它切片的起点",
        }
    if resource == "memory" and got == want - layout["hypervisor_pages"]:
        return {
            "en": f"the first {layout['hypervisor_pages']} host pages are the hypervisor's own: "
            "guests' memory starts after them",
            "zh": f"宿主机最前面的 {layout['hypervisor_pages']} 页属于虚拟机监控程序自己："
            "客户机的内存从它们之后开始",
        }
    if resource == "disk" and got == want + layout["hypervisor_pages"]:
        return {
            "en": "the hypervisor keeps memory pages, not disk blocks: the first slice of the "
            "disk starts at block 0",
            "zh": "虚拟机监控程序保留的是内存页，不是磁盘块：磁盘上的第一片切片从第 0 块开始",
        }
    return {
        "en": f"the slice of {guest!r} starts where the slices carved before it end (on memory, "
        "after the hypervisor's own pages), and each slice is as large as its guest's size",
        "zh": f"{guest!r} 的切片从先切分出的各片结束的地方开始"
        "（内存还要排在虚拟机监控程序自己的页之后），每片的大小就是它那台客户机的大小",
    }


def _owner(layout, resource, where):
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    if resource == "memory" and 0 <= where < start:
        return "the hypervisor itself"
    for g in layout["guests"]:
        size = g[SIZE[resource]]
        if start <= where < start + size:
            return repr(g["name"])
        start += size
    return None
