"""Replays a learner's round-robin turns on the model's clock; public (runs in the browser)."""

# The model's own round robin (and FIFO and SJF) would be the answer itself.
MODEL_ANSWERS = {
    "tutor.sim": ("round_robin", "fifo", "sjf"),
    "tutor.sim.sched": ("round_robin", "fifo", "sjf"),
}
RETURNS = {"round_robin": [[(int, float)]]}


def _bad_turn(i, turn, jobs):
    error = ValueError(
        f"turn {i + 1} is {turn!r}: each turn is [job, ran], job a number from 0 to "
        f"{jobs - 1} and ran a positive time"
    )
    error.zh = (
        f"第 {i + 1} 轮是 {turn!r}：每一轮是 [job, ran]，job 是 0 到 {jobs - 1} 之间的编号，"
        "ran 是正的时间"
    )
    return error


def run(submission, args, trace):
    lengths, quantum = list(args["lengths"]), args["quantum"]
    turns = submission.round_robin(list(lengths), quantum)
    left = list(lengths)
    now, first, end = 0, {}, {}
    for i, turn in enumerate(turns):
        if len(turn) != 2 or not 0 <= turn[0] < len(lengths) or turn[1] <= 0:
            raise _bad_turn(i, turn, len(lengths))
        job, ran = int(turn[0]), turn[1]
        first.setdefault(job, now)
        left[job] -= ran
        done = left[job] <= 0 and job not in end
        trace.emit("rr.run", job=job, start=now, ran=ran, done=done)
        now += ran
        if done:
            end[job] = now
    finished = len(end) == len(lengths)
    return {
        "turns": [[int(job), ran] for job, ran in turns],
        "lengths": lengths,
        "response": [first.get(j) for j in range(len(lengths))],
        "turnaround": [end.get(j) for j in range(len(lengths))],
        "average_turnaround": round(sum(end.values()) / len(lengths), 2) if finished else None,
    }


def _msg(en, zh):
    return {"en": en, "zh": zh}


def compare(args, expected, actual, reveal=False):
    """The first turn that departs from round robin, and which rule it breaks."""
    quantum, want, got = args["quantum"], expected["turns"], actual["turns"]
    left = list(args["lengths"])
    queue = list(range(len(left)))  # the model's queue, to say who is at the front
    for i, (job, ran) in enumerate(got):
        step = i + 1
        if i < len(want) and [job, ran] == want[i]:
            left[job] -= ran
            queue.pop(0)
            if left[job] > 0:
                queue.append(job)
            continue
        if left[job] <= 0:
            return _msg(
                f"turn {step}: job {job} runs again, but it had already finished: a finished "
                "job leaves the queue",
                f"第 {step} 轮：作业 {job} 又运行了，但它已经完成：完成的作业会离开队列",
            )
        if i >= len(want) or job != queue[0]:
            message = _msg(
                f"turn {step}: job {job} runs out of turn: the job at the front of the queue "
                "runs next, and a job that used up its quantum goes to the back, behind every "
                "job that was waiting",
                f"第 {step} 轮：作业 {job} 插队运行了：下一个运行的是队首的作业，用完时间片的作业"
                "要排到队尾，排在所有正在等待的作业后面",
            )
            if reveal and i < len(want):
                message["en"] += f" (job {want[i][0]} is at the front)"
                message["zh"] += f"（队首是作业 {want[i][0]}）"
            return message
        if ran > quantum:
            return _msg(
                f"turn {step}: job {job} runs for {ran}, longer than one quantum ({quantum}): "
                "round robin takes the CPU away after one quantum",
                f"第 {step} 轮：作业 {job} 运行了 {ran}，比一个时间片（{quantum}）还长：时间片轮转"
                "在一个时间片之后就收回 CPU",
            )
        if ran > left[job]:
            return _msg(
                f"turn {step}: job {job} runs for {ran} but had only {left[job]} left: a job "
                "that finishes early gives the CPU back at once (OSTEP's scheduler.py advances "
                "the clock by the time the job really ran)",
                f"第 {step} 轮：作业 {job} 运行了 {ran}，但它只剩下 {left[job]}：提前完成的作业会"
                "立即交还 CPU（OSTEP 的 scheduler.py 按作业实际运行的时间推进时钟）",
            )
        return _msg(
            f"turn {step}: job {job} runs for only {ran}, although it had {left[job]} left and "
            f"the quantum is {quantum}: a job keeps the CPU for a whole quantum unless it "
            "finishes first",
            f"第 {step} 轮：作业 {job} 只运行了 {ran}，但它还剩 {left[job]}，时间片是 {quantum}："
            "除非提前完成，作业会占用 CPU 整整一个时间片",
        )
    if len(got) < len(want):
        unfinished = [j for j, t in enumerate(left) if t > 0]
        return _msg(
            f"the schedule ends after {len(got)} turn(s) but job(s) {unfinished} never finish: "
            "keep taking turns until every job has run its whole length",
            f"调度在 {len(got)} 轮后就结束了，但作业 {unfinished} 始终没有完成："
            "要一直轮下去，直到每个作业都运行完它的全部长度",
        )
    return None
