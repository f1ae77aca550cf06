"""Tries the learner's updates on a running guest and checks the state it leaves; public.

The guest does some deterministic work first, then stores its service configuration on memory
page 0; the smoke test (``tutor.sim.staging.smoke_test``) passes while that page still holds it.
Each case tries one or more updates through the learner's ``try_update``. Graded: whether each
update was kept, the guest's state hash after each one (a rolled-back update must leave the hash
it had before, to the bit) and the order in which the model was driven.
"""

import random

from tutor.grading.feedback import Feedback
from tutor.sim import Guest, SimError, Trace
from tutor.sim.staging import Write, smoke_test

RETURNS = {"try_update": bool}
CONFIG_PAGE = 0

WHY = {
    "kept": {
        "en": "an update is kept exactly when the smoke test passes after it, and rolled back "
        "when it fails",
        "zh": "更新之后冒烟测试通过，就保留这次更新；测试失败，就回滚",
    },
    "restored": {
        "en": "after a rollback the guest's state hash must equal its hash just before the "
        "update: take the snapshot before the first write and roll back to that snapshot",
        "zh": "回滚之后，客户机的状态哈希必须与更新前一刻的哈希完全相同：要在第一次写入之前"
        "创建快照，并回滚到这个快照",
    },
    "hashes": {
        "en": "a kept update must stay installed (no rollback after a passing test), and a "
        "failed one must leave nothing behind",
        "zh": "保留的更新必须留在系统里（测试通过后不要回滚），失败的更新则不能留下任何痕迹",
    },
    "order": {
        "en": "drive the model in this order: snapshot, the update's writes, the smoke test, "
        "and a rollback only if the test failed",
        "zh": "按这个顺序驱动模型：创建快照、执行更新的写入、运行冒烟测试，只有测试失败才回滚",
    },
    "snapshot_first": {
        "en": "take the snapshot before the update's first write: a rollback can only return "
        "to a moment that was saved",
        "zh": "要在更新的第一次写入之前创建快照：回滚只能回到保存过的时刻",
    },
    "no_rollback": {
        "en": "the smoke test failed but the guest was not rolled back: the broken update is "
        "still installed",
        "zh": "冒烟测试失败了，但客户机没有回滚：出问题的更新仍然装在系统里",
    },
    "by_hand": {
        "en": "after the failed test your code writes again instead of rolling back: undoing "
        "writes by hand misses what you did not see change",
        "zh": "测试失败后，你的代码又写入了一次，而不是回滚：手工撤销写入，会漏掉你没看到的"
        "那些变化",
    },
    "rolled_back_good": {
        "en": "the smoke test passed, yet the update was rolled back: a passing update is kept",
        "zh": "冒烟测试通过了，更新却被回滚了：通过测试的更新应当保留",
    },
}

STEP = {
    "guest.snapshot": "snapshot",
    "guest.mem_write": "write",
    "guest.disk_write": "write",
    "test.run": "test",
    "guest.rollback": "rollback",
}


def _writes(update):
    return [Write(w["target"], w["value"], w.get("disk")) for w in update]


def run(submission, args, trace: Trace):
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    guest.start("host1")
    guest.run(args["work"], random.Random(args["seed"]))
    guest.write_memory(CONFIG_PAGE, args["config"])
    start = len(trace.events)
    kept, hashes, restored = [], [], []
    for update in args["updates"]:
        before = guest.state_hash()
        writes = _writes(update)

        def test():
            return smoke_test(guest, CONFIG_PAGE, args["config"])

        try:
            result = submission.try_update(guest, [w.__dict__.copy() for w in writes], test)
        except SimError as error:
            if error.zh is None:
                error.zh = "模型拒绝了这个操作：" + str(error)
                if "already has a snapshot" in str(error):
                    error.zh = "每个快照的名称必须唯一：这台客户机已经有一个同名快照了"
            raise
        kept.append(result)
        hashes.append(guest.state_hash()[:12])
        restored.append(None if result else guest.state_hash() == before)
    steps = [STEP[e["kind"]] for e in trace.events[start:] if e["kind"] in STEP]
    return {"kept": kept, "restored": restored, "hashes": hashes, "steps": steps}


def _order(expected, actual):
    """Which rule of snapshot-test-rollback the learner's sequence of steps breaks first."""
    i = next(
        (k for k, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    want = expected[i] if i < len(expected) else None
    got = actual[i] if i < len(actual) else None
    undoes = "snapshot" not in actual and any(
        step == "write" and "test" in actual[:k] for k, step in enumerate(actual)
    )
    if (want == "rollback" and got == "write") or (want == "snapshot" and undoes):
        return WHY["by_hand"]
    if want == "snapshot" and got == "write":
        return WHY["snapshot_first"]
    if want == "rollback":
        return WHY["no_rollback"]
    if got == "rollback":
        return WHY["rolled_back_good"]
    return WHY["order"]


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    steps = None
    if actual["steps"] != expected["steps"]:
        steps = check.say(
            "value",
            _order(expected["steps"], actual["steps"]),
            expected=expected["steps"],
            field="steps",
            actual=actual["steps"],
        )
    return check.first(
        check.equal("kept", expected["kept"], actual["kept"], why=WHY["kept"]),
        steps,
        check.equal("restored", expected["restored"], actual["restored"], why=WHY["restored"]),
        check.equal("hashes", expected["hashes"], actual["hashes"], why=WHY["hashes"]),
    )
