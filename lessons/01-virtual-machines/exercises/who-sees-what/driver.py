"""Runs the guests' writes and reads on the model and checks the learner's predictions; public.

The model decides what every read sees: ``SlicedHost`` translates each guest address into that
guest's own slice and refuses one outside it. After each read the learner's prediction is put into
the trace (``slice.predicted``), so a replay marks the first read predicted wrong.
"""

from tutor.sim import Disk, Host, IsolationViolation, Nic, SlicedHost

RETURNS = {"predict": [(int, str)]}
# The exercise is to predict the model, not to run it.
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}
SIZE = {"memory": "memory_pages", "disk": "disk_blocks"}
UNIT = {"memory": ("memory page", "内存第 {} 页"), "disk": ("disk block", "磁盘第 {} 块")}


def run(submission, args, trace):
    guests, ops = args["guests"], args["ops"]
    predicted = submission.predict(
        {name: dict(sizes) for name, sizes in guests.items()}, [list(op) for op in ops]
    )
    host = SlicedHost(
        Host(
            "host",
            cores=len(guests),
            memory_pages=8 + sum(g["memory_pages"] for g in guests.values()),
            disks=(Disk("sda", sum(g["disk_blocks"] for g in guests.values())),),
            nics=(Nic("eth0", 1000),),
        ),
        trace=trace,
        hypervisor_pages=8,
    )
    for name, sizes in guests.items():
        host.carve(name, 1, sizes["memory_pages"], sizes["disk_blocks"], 0)
    observed = []
    for op in ops:
        try:
            if op[0] == "restart":
                host.restart(op[1])
            elif op[0] == "write":
                host.write(op[1], op[2], op[3], op[4])
            else:
                observed.append(host.read(op[1], op[2], op[3]))
        except IsolationViolation:
            if op[0] == "read":
                observed.append("refused")
        if op[0] == "read":
            i = len(observed) - 1
            guess = predicted[i] if i < len(predicted) else None
            trace.emit("slice.predicted", guest=op[1], read=i, predicted=guess)
    return {"observed": observed, "predicted": predicted}


def compare(args, expected, actual, reveal=False):
    observed, predicted = actual["observed"], actual["predicted"]
    if len(predicted) != len(observed):
        return {
            "en": f"predict() returned {len(predicted)} values, but the ops contain "
            f"{len(observed)} reads: one value per read, in order (writes and restarts add none)",
            "zh": f"predict() 返回了 {len(predicted)} 个值，但 ops 中有 {len(observed)} 次读取："
            "每次读取对应一个值，按顺序排列（写入和重启不产生值）",
        }
    reads = [op for op in args["ops"] if op[0] == "read"]
    for i, (seen, guess) in enumerate(zip(observed, predicted, strict=True)):
        if seen == guess:
            continue
        _, guest, resource, address = reads[i]
        en_unit, zh_unit = UNIT[resource]
        why = _why(args, i, guess, seen)
        message = {
            "en": f"read {i + 1} ({guest!r}, {en_unit} {address}): you predicted {guess!r}, "
            f"which is wrong: {why['en']}",
            "zh": f"第 {i + 1} 次读取（{guest!r}，{zh_unit.format(address)}）：你预测的是 "
            f"{guess!r}，这不对：{why['zh']}",
        }
        if reveal:
            message["en"] += f" (the model's read sees {seen!r})"
            message["zh"] += f"（模型的这次读取看到的是 {seen!r}）"
        return message
    return None


def _why(args, index, guess, seen):
    """The rule this prediction breaks, worked out from the ops before the read."""
    guests, reads, history = args["guests"], -1, []
    for op in args["ops"]:
        if op[0] == "read":
            reads += 1
            if reads == index:
                break
        history.append(op)
    _, guest, resource, address = [op for op in args["ops"] if op[0] == "read"][index]
    size = guests[guest][SIZE[resource]]
    units, units_zh = ("pages", "页") if resource == "memory" else ("blocks", "块")
    own = f"the {size} {units} of {guest!r} (0..{size - 1})"
    own_zh = f"{guest!r} 的 {size} {units_zh}（0..{size - 1}）"
    if seen == "refused":
        return {
            "en": f"{address} is outside {own}: the hypervisor's bounds check refuses it, so it "
            "can never reach into the next guest's slice",
            "zh": f"{address} 超出了{own_zh}：虚拟机监控程序的边界检查拒绝了它，"
            "所以它永远伸不进下一台客户机的切片",
        }
    if guess == "refused":
        return {
            "en": f"{address} lies inside {own}, so the read is allowed",
            "zh": f"{address} 在{own_zh}之内，所以这次读取是允许的",
        }
    for op in history:
        if op[0] != "write" or op[4] != guess:
            continue
        if not 0 <= op[3] < guests[op[1]][SIZE[op[2]]]:
            return {
                "en": f"{guess!r} was written by a refused write ({op[1]!r} past the end of its "
                "slice): a refused write lands nowhere, least of all in a neighbour's slice",
                "zh": f"{guess!r} 来自一次被拒绝的写入（{op[1]!r} 越过了自己切片的末尾）："
                "被拒绝的写入哪里都不会落下，更不会落进邻居的切片",
            }
        if op[1] != guest:
            return {
                "en": f"{guess!r} was written by {op[1]!r} into its own slice: {resource} "
                f"{address} of {guest!r} is a different host frame, so it never sees another "
                "guest's writes",
                "zh": f"{guess!r} 是 {op[1]!r} 写进它自己切片的：{guest!r} 的同一个地址是宿主机上"
                "另一个位置，所以它永远看不到别的客户机写入的内容",
            }
    restarted = any(op[0] == "restart" and op[1] == guest for op in history)
    if restarted and resource == "memory":
        return {
            "en": "a restart wipes the guest's memory (it is RAM); only its disk keeps what was "
            "written before",
            "zh": "重启会清空客户机的内存（它是 RAM）；只有磁盘会保留之前写入的内容",
        }
    if restarted and resource == "disk":
        return {
            "en": "a restart keeps the disk: the virtual disk is a file on the host that survives "
            "power-off",
            "zh": "重启不会清空磁盘：虚拟磁盘是宿主机上的一个文件，断电后依然存在",
        }
    return {
        "en": "a read sees the last value its own guest wrote at that address, or 0 if it never "
        "wrote there",
        "zh": "一次读取看到的，是它自己这台客户机最后一次写在这个地址的值；从没写过就是 0",
    }
