"""Runs the guests' writes and reads on the model and checks the learner's predictions; public."""

import copy

from tutor.explanations import explain
from tutor.explanations.isolation import wrong_read
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import carved_host, play_ops

RETURNS = {"predict": [(int, str)]}
# The exercise is to predict the model, not to run it.
MODEL_ANSWERS = {"tutor.sim": ("SlicedHost",), "tutor.sim.slices": ("SlicedHost",)}


def run(submission, args, trace):
    guests, ops = args["guests"], args["ops"]
    predicted = submission.predict(copy.deepcopy(guests), copy.deepcopy(ops))
    observed = play_ops(carved_host(guests, 8, 0, trace), ops, predicted, trace)
    return {"observed": observed, "predicted": predicted}


def compare(args, expected, actual, reveal=False):
    observed, predicted = actual["observed"], actual["predicted"]
    if len(predicted) != len(observed):
        return explain("isolation.count", predicted=len(predicted), reads=len(observed))
    for i, (seen, guess) in enumerate(zip(observed, predicted, strict=True)):
        if seen != guess:
            message = wrong_read(args, i, guess, seen)
            return Feedback(reveal).revealing(message, explain("isolation.model_sees", seen=seen))
    return None
