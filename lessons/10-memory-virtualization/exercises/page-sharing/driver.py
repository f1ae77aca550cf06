"""Builds the guests in the model's MachineMemory, shares, writes, and counts frames; public."""

from tutor.sim import MachineMemory

RETURNS = {"frames_used": {"after_share": int, "after_writes": int}}


def run(submission, args, trace):
    guests, salts, writes = args["guests"], args["salts"], args["writes"]
    predicted = submission.frames_used(
        {g: list(pages) for g, pages in guests.items()},
        dict(salts),
        [list(w) for w in writes],
    )
    pages = sum(len(contents) for contents in guests.values())
    mm = MachineMemory(frames=pages + len(writes), trace=trace)
    for guest, contents in guests.items():
        mm.add_guest(guest, pages=len(contents), salt=salts.get(guest))
        for page, value in enumerate(contents):
            mm.map(guest, page, page)
            mm.write(guest, page, value)
    mm.share()
    after_share = mm.frames - mm.free_frames
    for guest, page, value in writes:
        mm.write(guest, page, value)
    mm.check()
    return {
        "predicted": dict(predicted),
        "model": {"after_share": after_share, "after_writes": mm.frames - mm.free_frames},
    }


SHARE_RULE = {
    "en": "after share(), each group of pages with the same contents and the same salt uses one "
    "frame (a guest's own duplicates too); guests with different salts are never compared",
    "zh": "执行 share() 之后，内容相同且盐值相同的每一组页只占一个页框（同一台客户机内部的重复页"
    "也一样）；盐值不同的客户机之间从不比较",
}
SALT_RULE = {
    "en": " Here some guests have different salts: pages are merged only between guests with the "
    "same salt (or both unsalted), so identical pages of differently salted guests keep their "
    "own frames",
    "zh": "这里有些客户机的盐值不同：只有盐值相同（或都不加盐）的客户机之间才合并页，所以盐值"
    "不同的客户机即使页内容相同，也各自保留页框",
}
WRITE_RULE = {
    "en": "a write to a page whose frame is still used by another page costs a new frame "
    "(copy-on-write); a write to a page that has its frame alone costs nothing",
    "zh": "写一个页时，如果它的页框此刻仍被别的页使用，就要多花一个新页框（写时复制）；"
    "如果它独占页框，就不花任何页框",
}


def compare(args, expected, actual, reveal=False):
    got, model = actual["predicted"], actual["model"]
    salted = len({args["salts"].get(g) for g in args["guests"]}) > 1
    for key, rule in (("after_share", SHARE_RULE), ("after_writes", WRITE_RULE)):
        if got[key] == model[key]:
            continue
        en = f"{key} is {got[key]}, but the model uses a different number of frames: {rule['en']}"
        zh = f"{key} 是 {got[key]}，但模型使用的页框数与此不同：{rule['zh']}"
        if key == "after_share" and salted:
            en += "." + SALT_RULE["en"]
            zh += "。" + SALT_RULE["zh"]
        if reveal:
            en += f" (the model uses {model[key]})"
            zh += f"（模型使用 {model[key]} 个）"
        return {"en": en, "zh": zh}
    return None
