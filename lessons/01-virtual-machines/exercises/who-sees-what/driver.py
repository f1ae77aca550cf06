"""Runs the guests' writes and reads on the model and checks the learner's predictions; public.
The model decides what every read sees (``SlicedHost`` keeps each guest in its own slice); each
prediction follows its read as ``slice.predicted``, so a replay marks the first one wrong."""

from tutor.explanations import explain
from tutor.explanations.isolation import why_read
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import carved_host, play_ops

RETURNS = {"predict": [(int, str)]}
# The exercise is to predict the model, not to run it.
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}


def run(submission, args, trace):
    guests, ops = args["guests"], args["ops"]
    predicted = submission.predict(
        {n: dict(s) for n, s in guests.items()}, [list(op) for op in ops]
    )
    observed = play_ops(carved_host(guests, 8, 0, trace), ops, predicted, trace)
    return {"observed": observed, "predicted": predicted}


def compare(args, expected, actual, reveal=False):
    observed, predicted = actual["observed"], actual["predicted"]
    if len(predicted) != len(observed):
        return explain("isolation.count", predicted=len(predicted), reads=len(observed))
    reads = [op for op in args["ops"] if op[0] == "read"]
    for i, (seen, guess) in enumerate(zip(observed, predicted, strict=True)):
        if seen != guess:
            _, guest, resource, address = reads[i]
            unit = explain(f"isolation.unit.{resource}", address=address)
            message = explain("isolation.read", n=i + 1, guest=guest, unit=unit, guess=guess)
            message = Feedback.because(message, why_read(args, i, guess, seen))
            return Feedback(reveal).revealing(message, explain("isolation.model_sees", seen=seen))
    return None
