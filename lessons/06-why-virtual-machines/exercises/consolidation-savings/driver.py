"""Runs the fleet through the consolidation model and checks the learner's prediction; public.

The model (``consolidate_fleet``) places one VM per server, drains hosts up to the target and
reads the power meter after every move: that trace is what the animation replays. The learner
predicts the outcome from the fleet's figures alone.
"""

import math

from tutor.grading.feedback import Feedback
from tutor.sim import Trace
from tutor.sim.consolidation import Fleet, consolidate_fleet

MODEL_ANSWERS = {"tutor.sim.consolidation": ("consolidate_fleet",)}

RETURNS = {
    "savings": {
        "hosts_after": int,
        "watts_before": float,
        "watts_after": float,
        "kwh_saved": float,
    }
}

WHY = {
    "hosts_after": {
        "en": "a VM is never split across hosts, so a host takes only as many whole servers' "
        "loads as fit under the target utilisation",
        "zh": "一台虚拟机不会被拆到几台宿主机上，所以一台宿主机只能装下目标利用率以内的"
        "整数个服务器负载",
    },
    "watts_before": {
        "en": "each server draws P(u) = P_idle + (P_max - P_idle) * u at its own utilisation: "
        "not P_max, and not zero when idle",
        "zh": "每台服务器按自己的利用率消耗 P(u) = P_idle + (P_max - P_idle) * u：既不是 "
        "P_max，空闲时也不是零",
    },
    "watts_after": {
        "en": "every host still running draws P_idle plus its share of the work; the work "
        "itself costs the same watts wherever it runs",
        "zh": "每台仍在运行的宿主机都要消耗 P_idle，再加上它承担的那份工作；工作本身在哪里"
        "运行，消耗的瓦数都一样",
    },
    "kwh_saved": {
        "en": "energy is watts saved x hours / 1000, and every watt the servers no longer draw "
        "is a watt the cooling no longer removes: multiply by the PUE",
        "zh": "能耗等于节省的瓦数 x 小时数 / 1000；服务器少用的每一瓦，冷却系统也不用再排走："
        "还要乘以 PUE",
    },
}


def run(submission, args, trace: Trace):
    fleet = Fleet(
        servers=args["servers"],
        utilisation_pct=args["utilisation_pct"],
        cores=args["cores"],
        p_max=args["p_max"],
        p_idle=args["p_idle"],
        target_pct=args["target_pct"],
    )
    consolidate_fleet(fleet, trace)
    prediction = submission.savings(dict(args))
    return {key: prediction[key] for key in RETURNS["savings"]}


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    for field in RETURNS["savings"]:
        want, got = expected[field], actual[field]
        if field == "hosts_after":
            wrong = got != want
        else:
            wrong = not math.isclose(got, want, rel_tol=1e-6, abs_tol=0.01)
        if wrong:
            shown = want if field == "hosts_after" else round(want, 2)
            return check.say("value", WHY[field], expected=shown, field=field, actual=round(got, 2))
    return None
