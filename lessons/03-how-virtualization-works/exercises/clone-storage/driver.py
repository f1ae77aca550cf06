"""Plays a plan of disk writes and linked clones on the model, and checks the learner's forecast.

The learner's predict_storage(plan) sees only the plan and must say, before the model runs it, how
many blocks each guest's own copy-on-write delta will hold and how many blocks are stored in all.
The model then carries the plan out (its trace is what the animation replays) and measures both;
the forecast is graded against the model's measurement, never against a formula of ours.
"""

import copy

from tutor.sim import Guest, storage_blocks

RETURNS = {"predict_storage": {"per_guest": {str: int}, "total": int}}
# Running the plan on the model would be measuring, not predicting.
MODEL_ANSWERS = {
    "tutor.sim": ("Guest", "DiskImage", "storage_blocks", "DesktopPool"),
    "tutor.sim.guest": ("Guest", "DiskImage", "storage_blocks"),
    "tutor.sim.scenarios": ("DesktopPool",),
}


def carry_out(plan, trace):
    """The plan on the model: every write a distinct non-zero value, clones started to write."""
    golden = Guest(
        plan["golden"], memory_pages=4, disk_blocks={"disk0": plan["blocks"]}, trace=trace
    )
    golden.start("host-a")
    guests = {golden.name: golden}
    value = 0
    for step in plan["steps"]:
        if step[0] == "write":
            for block in step[2]:
                value += 1
                guests[step[1]].write_disk("disk0", block, value)
        else:
            clone = guests[step[1]].linked_clone(step[2])
            clone.start()
            guests[clone.name] = clone
    return guests


def run(submission, args, trace):
    forecast = submission.predict_storage(copy.deepcopy(args["plan"]))
    guests = carry_out(args["plan"], trace)
    return {
        "predicted": forecast,
        "measured": {
            "per_guest": {name: g.own_blocks() for name, g in guests.items()},
            "total": storage_blocks(list(guests.values())),
            "full_copies": sum(len(g.disks["disk0"].contents()) for g in guests.values()),
        },
    }


def layers(plan):
    """Each guest's write lists, split where a clone froze its delta: {guest: [[blocks], ...]}."""
    split = {plan["golden"]: [[]]}
    for step in plan["steps"]:
        if step[0] == "write":
            split[step[1]][-1].extend(step[2])
        else:
            split[step[1]].append([])
            split[step[2]] = [[]]
    return split


def _say(en, zh, reveal, value):
    if reveal:
        en += f" (the model measured {value})"
        zh += f"（模型测得 {value}）"
    return {"en": en, "zh": zh}


def compare(args, expected, actual, reveal=False):
    measured, got = actual["measured"], actual["predicted"]
    split = layers(args["plan"])
    golden = args["plan"]["golden"]
    names = set(measured["per_guest"])
    if set(got["per_guest"]) != names:
        return {
            "en": "per_guest must name every guest of the plan, the golden VM included, and "
            f"nothing else; it names {sorted(got['per_guest'])}",
            "zh": "per_guest 必须列出计划中的每一台客户"
            "机（包括黄金镜像所在的虚拟机），不能多也不能少；"
            f"它列出的是 {sorted(got['per_guest'])}",
        }
    for name, want in measured["per_guest"].items():
        guess = got["per_guest"][name]
        if guess == want:
            continue
        own = split[name][-1]
        if guess == len(own) and len(own) != len(set(own)):
            return _say(
                f"per_guest[{name!r}] is {guess}, one per write, but a block written twice is "
                "stored once: a delta keeps one copy of each block, the latest value",
                f"per_guest[{name!r}] 是 {guess}，每次写入算一个，但同一个块写两次只存一份："
                "增量只为每个块保存一份副本，也就是最新的值",
                reveal,
                want,
            )
        if guess == len({b for layer in split[name] for b in layer}):
            return _say(
                f"per_guest[{name!r}] is {guess}, but what {name!r} wrote before a linked clone "
                "was made from it was frozen into the shared, read-only base: its own delta "
                "started empty again at that moment",
                f"per_guest[{name!r}] 是 {guess}，"
                f"但从 {name!r} 制作链接克隆之前，它写入的内容已经被"
                "冻结进共享的只读基础镜像：从那一刻起，它自己的增量重新从空开始",
                reveal,
                want,
            )
        return _say(
            f"per_guest[{name!r}] is {guess}, not the number of blocks in the own delta of "
            f"{name!r}: count the distinct blocks it wrote since its delta was started (when it "
            "was created, or when a clone was last made from it)",
            f"per_guest[{name!r}] 是 {guess}，不等于 {name!r} 自己的增量中的块数：数一数自它的增量"
            "开始以来（创建时，或最近一次从它制作克隆时）它写过的不同块",
            reveal,
            want,
        )
    guess, want = got["total"], measured["total"]
    if guess == want:
        return None
    if guess == sum(measured["per_guest"].values()):
        return _say(
            f"total is {guess}, only the guests' own deltas: it leaves out the frozen layers, "
            f"such as the base image {golden!r} wrote before it was cloned, which are stored "
            "once and shared by every clone",
            f"total 是 {guess}，只算了各台客户机自己的增量：它漏掉了被冻结的层，例如 {golden!r} "
            "在被克隆之前写入的基础镜像，这些层只存一份，由所有克隆共享",
            reveal,
            want,
        )
    if guess == measured["full_copies"]:
        return _say(
            f"total is {guess}, as if every clone were a full copy: a linked clone's disk points "
            "at the shared base, so only its copy-on-write delta is new storage",
            f"total 是 {guess}，就好像每个克隆都是一份完整副本：链接克隆的磁盘指向共享的基础镜像，"
            "只有它的写时复制增量才占用新的存储",
            reveal,
            want,
        )
    if guess == sum(len(layer) for guest in split.values() for layer in guest):
        return _say(
            f"total is {guess}, one per write, but a block written twice into the same layer is "
            "stored once",
            f"total 是 {guess}，每次写入算一个，但同一层里同一个块写两次只存一份",
            reveal,
            want,
        )
    return _say(
        f"total is {guess}, not what the model stores: every layer once — the frozen shared "
        "layers plus each guest's own delta",
        f"total 是 {guess}，与模型实际存储的不一致："
        "每一层只算一次——被冻结的共享层，加上每台客户机自己的增量",
        reveal,
        want,
    )
