"""Snapshot, smoke test and rollback around an update (lesson 6, snapshot-rollback)."""

from __future__ import annotations

from . import Text, explain, table

EXPLANATIONS = {
    "why": {
        "kept": {
            "en": "an update is kept exactly when the smoke test passes after it, and "
            "rolled back when it fails",
            "zh": "更新之后冒烟测试通过，就保留这次更新；测试失败，就回滚",
        },
        "restored": {
            "en": "after a rollback the guest's state hash must equal its hash just "
            "before the update: take the snapshot before the first write and "
            "roll back to that snapshot",
            "zh": "回滚之后，客户机的状态哈希必须与更新前一刻的哈希完全相同：要在第一次写"
            "入之前创建快照，并回滚到这个快照",
        },
        "hashes": {
            "en": "a kept update must stay installed (no rollback after a passing "
            "test), and a failed one must leave nothing behind",
            "zh": "保留的更新必须留在系统里（测试通过后不要回滚），失败的更新则不能留下任何痕迹",
        },
        "order": {
            "en": "drive the model in this order: snapshot, the update's writes, the "
            "smoke test, and a rollback only if the test failed",
            "zh": "按这个顺序驱动模型：创建快照、执行更新的写入、运行冒烟测试，只有测试失败才回滚",
        },
        "snapshot_first": {
            "en": "take the snapshot before the update's first write: a "
            "rollback can only return to a moment that was saved",
            "zh": "要在更新的第一次写入之前创建快照：回滚只能回到保存过的时刻",
        },
        "no_rollback": {
            "en": "the smoke test failed but the guest was not rolled back: the "
            "broken update is still installed",
            "zh": "冒烟测试失败了，但客户机没有回滚：出问题的更新仍然装在系统里",
        },
        "by_hand": {
            "en": "after the failed test your code writes again instead of rolling "
            "back: undoing writes by hand misses what you did not see change",
            "zh": "测试失败后，你的代码又写入了一次，而不是回滚：手工撤销写入，会漏掉你没"
            "看到的那些变化",
        },
        "rolled_back_good": {
            "en": "the smoke test passed, yet the update was rolled back: a passing update is kept",
            "zh": "冒烟测试通过了，更新却被回滚了：通过测试的更新应当保留",
        },
    },
    "refused": {
        "en": "the model refused this operation: {error}",
        "zh": "模型拒绝了这个操作：{error}",
    },
    "same_name": {
        "en": "each snapshot needs a name of its own: this guest already has a snapshot "
        "of that name",
        "zh": "每个快照的名称必须唯一：这台客户机已经有一个同名快照了",
    },
}


def order_rule(expected: list[str], actual: list[str]) -> Text:
    """Which rule of snapshot-test-rollback a learner's sequence of steps (``snapshot``,
    ``write``, ``test``, ``rollback``) breaks first, against the reference's sequence."""
    why: dict[str, Text] = table("snapshots.why")
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
        return why["by_hand"]
    if want == "snapshot" and got == "write":
        return why["snapshot_first"]
    if want == "rollback":
        return why["no_rollback"]
    if got == "rollback":
        return why["rolled_back_good"]
    return why["order"]


def refusal_zh(error: Exception) -> str:
    """The Chinese of a model refusal a learner's try_update let escape."""
    if "already has a snapshot" in str(error):
        return explain("snapshots.same_name")["zh"]
    return explain("snapshots.refused", error=str(error))["zh"]
