"""Checks a predicted break-even point by running the mix on the cost model; public."""

from tutor.explanations import explain
from tutor.explanations.techniques import break_even_problem
from tutor.grading.feedback import Feedback, mistake
from tutor.sim.testbed import bt_wins, cpu_costs

_HIDDEN = ("cheaper", "technique_cycles", "measure_techniques", "bt_wins")
MODEL_ANSWERS = dict.fromkeys(("tutor.sim", "tutor.sim.isa", "tutor.sim.testbed"), _HIDDEN)
RETURNS = {"break_even": (int, None)}


def run(submission, args, trace):
    costs = cpu_costs(args["hardware"], args.get("measured"))
    answer = submission.break_even(dict(args["mix"]), costs)
    if answer is None:
        return {"writes": None, "bt_wins_at": False, "bt_wins_before": False}
    if answer < 0:
        raise mistake(explain("techniques.break_even.negative", n=answer))
    before = answer > 0 and bt_wins(args, answer - 1, trace)
    return {"writes": answer, "bt_wins_at": bt_wins(args, answer, trace), "bt_wins_before": before}


def compare(args, expected, actual, reveal=False):
    cost = cpu_costs(args["hardware"], args.get("measured"))["pte_write"]
    problem = break_even_problem(expected["writes"], actual, cost)
    return problem and Feedback(reveal).revealing(*problem)
