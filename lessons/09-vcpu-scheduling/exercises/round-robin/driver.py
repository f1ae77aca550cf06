"""Replays a learner's round-robin turns on the model's clock; public (runs in the browser)."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import replay_turns

# The model's own round robin (and FIFO and SJF) would be the answer itself.
_HIDDEN = ("round_robin", "fifo", "sjf")
MODEL_ANSWERS = {"tutor.sim": _HIDDEN, "tutor.sim.sched": _HIDDEN}
RETURNS = {"round_robin": [[(int, float)]]}


def run(submission, args, trace):
    lengths = list(args["lengths"])
    return replay_turns(lengths, submission.round_robin(list(lengths), args["quantum"]), trace)


def compare(args, expected, actual, reveal=False):
    """The first turn that departs from round robin, and which rule it breaks."""
    quantum, want, got = args["quantum"], expected["turns"], actual["turns"]
    left = list(args["lengths"])
    queue = list(range(len(left)))  # the model's queue, to say who is at the front
    for i, (job, ran) in enumerate(got):
        if i < len(want) and [job, ran] == want[i]:
            left[job] -= ran
            queue = queue[1:] + ([job] if left[job] > 0 else [])
            continue
        turn = {"step": i + 1, "job": job, "ran": ran, "left": left[job], "quantum": quantum}
        if left[job] <= 0:
            return explain("scheduling.turn.finished", **turn)
        if i >= len(want) or job != queue[0]:
            message = explain("scheduling.turn.out_of_turn", **turn)
            front = explain("scheduling.turn.front", job=want[i][0]) if i < len(want) else None
            return Feedback(reveal and front is not None).revealing(message, front)
        rule = "too_long" if ran > quantum else "past_end" if ran > left[job] else "too_short"
        return explain(f"scheduling.turn.{rule}", **turn)
    if len(got) < len(want):
        unfinished = [j for j, t in enumerate(left) if t > 0]
        return explain("scheduling.turn.unfinished", turns=len(got), unfinished=unfinished)
    return None
