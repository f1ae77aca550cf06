"""Runs the learner's weights and caps on the model's credit scheduler; public (browser)."""

from tutor.explanations.scheduling import share_missed
from tutor.sim.testbed import credit_shares

RETURNS = {"configure": {str: {"weight": int, "cap": int}}}
RUN_MS = 3000
TOLERANCE = 0.03


def run(submission, args, trace):
    pcpus, domains = args["pcpus"], args["domains"]
    settings = submission.configure(pcpus, [dict(d) for d in domains])
    shares = credit_shares(pcpus, domains, settings, RUN_MS, trace)
    return {"shares": shares, "settings": {d["name"]: dict(settings[d["name"]]) for d in domains}}


def compare(args, expected, actual, reveal=False):
    busy = sum(d["target"] for d in args["domains"]) >= args["pcpus"] - 1e-9
    for d in args["domains"]:
        share, cap = actual["shares"][d["name"]], actual["settings"][d["name"]]["cap"]
        if abs(share - d["target"]) > TOLERANCE:
            return share_missed(d, share, cap, busy, TOLERANCE)
    return None
