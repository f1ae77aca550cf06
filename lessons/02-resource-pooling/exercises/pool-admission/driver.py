"""Asks a resource pool for guests in turn; the learner's admit() decides each one; public.

An "admit" goes to the model, which places the guest with First Fit, or refuses it itself if it
does not fit: that refusal is the learner's broken rule (reservations never exceed capacity). A
refusal is recorded with the learner's reason, so the replay shows the run the learner chose.
"""

from tutor.grading.feedback import Feedback
from tutor.sim import Host, ResourcePool, VmSpec

RETURNS = {
    "admit": {
        "capacity": {"vcpus": int, "pages": int},
        "headroom": {"vcpus": int, "pages": int},
        "verdict": str,
    }
}
MODEL_ANSWERS = {
    "tutor.sim": ("ResourcePool", "REFUSALS"),
    "tutor.sim.pool": ("ResourcePool", "REFUSALS"),
}

WHY = {
    "capacity": {
        "en": "capacity is everything the hosts have, reserved or not: add up cores and pages",
        "zh": "capacity 是宿主机拥有的全部资源，不论是否已预留：把 cores 和 pages 加起来",
    },
    "headroom": {
        "en": "headroom is what the guests have not reserved yet, summed over all hosts",
        "zh": "headroom 是客户机还没有预留的部分，对所有宿主机求和",
    },
}
VERDICT = {
    "admit": {
        "en": "a host has room for both its vCPUs and its pages, so it must be admitted",
        "zh": "有一台宿主机同时放得下它的 vCPU 和内存页，所以必须准入",
    },
    "too_big": {
        "en": "it is larger than any one host, and a guest must fit on one host",
        "zh": "它比任何一台宿主机都大，而一台客户机必须放进一台宿主机",
    },
    "pool_full": {
        "en": "it asks for more than the whole pool's headroom",
        "zh": "它申请的超过了整个资源池的余量",
    },
    "fragmented": {
        "en": "the headroom is enough in total, but no single host has room for it: "
        "a guest cannot span hosts",
        "zh": "余量总数够，但没有一台宿主机放得下它：客户机不能跨宿主机运行",
    },
}


def _hosts(pool):
    return [
        {
            "name": v.name,
            "cores": v.cores,
            "pages": v.memory_pages,
            "free_vcpus": v.free_vcpus,
            "free_pages": v.free_pages,
        }
        for v in pool.views()
    ]


def run(submission, args, trace):
    pool = ResourcePool(
        (Host(h["name"], cores=h["cores"], memory_pages=h["pages"]) for h in args["hosts"]),
        trace=trace,
    )
    answers = []
    for guest in args["guests"]:
        vm = VmSpec(guest["name"], guest["vcpus"], guest["pages"], guest.get("load", 1.0))
        answer = submission.admit(_hosts(pool), dict(guest))
        answers.append(answer)
        if answer["verdict"] == "admit":
            pool.try_place(vm)
        elif answer["verdict"] in VERDICT:
            pool.decline(vm, answer["verdict"])
        else:
            error = ValueError(f"verdict {answer['verdict']!r} is not one of {', '.join(VERDICT)}")
            error.zh = f"verdict {answer['verdict']!r} 不是 {', '.join(VERDICT)} 之一"
            raise error
    pool.check()
    placed = {g["name"]: pool.host_of(g["name"]) for g in args["guests"] if _placed(pool, g)}
    return {"answers": answers, "placed": placed}


def _placed(pool, guest):
    return any(guest["name"] in v.vms for v in pool.views())


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    for guest, want, got in zip(
        args["guests"], expected["answers"], actual["answers"], strict=True
    ):
        name = guest["name"]
        problem = check.first(
            check.equal("capacity", want["capacity"], got["capacity"], why=WHY["capacity"]),
            check.equal("headroom", want["headroom"], got["headroom"], why=WHY["headroom"]),
        )
        if problem:
            return {
                "en": f"before {name!r}: {problem['en']}",
                "zh": f"申请 {name!r} 之前：{problem['zh']}",
            }
        if got["verdict"] != want["verdict"]:
            # Why the learner's verdict is impossible; the right one only when it may be named.
            if reveal:
                why = VERDICT[want["verdict"]]
            elif want["verdict"] == "too_big" and got["verdict"] != "admit":
                why = ORDER
            else:
                why = _hint(got["verdict"])
            message = {
                "en": f"{name!r}: your verdict is {got['verdict']!r}, but that cannot be right: "
                f"{why['en']}",
                "zh": f"{name!r}：你的结论是 {got['verdict']!r}，但这不可能对：{why['zh']}",
            }
            if reveal:
                message["en"] += f" (expected {want['verdict']!r})"
                message["zh"] += f"（应为 {want['verdict']!r}）"
            return message
    if actual["placed"] != expected["placed"]:
        return {
            "en": "the pool the model is left with differs from the reference's",
            "zh": "模型最终留下的资源池与参考答案的不同",
        }
    return None


NOT = {
    "admit": {
        "en": "no host has room for both its vCPUs and its pages at once, so admitting it would "
        "reserve more than a host's capacity: a guest cannot span hosts",
        "zh": "没有一台宿主机同时放得下它的 vCPU 和内存页，准入它就会预留超过宿主机容量的资源："
        "客户机不能跨宿主机运行",
    },
    "too_big": {
        "en": "some host is at least as large as it asks for (cores and pages), so it is not "
        "too big for the pool",
        "zh": "有宿主机的 cores 和 pages 都不小于它的申请，所以它对这个资源池来说并不算太大",
    },
    "pool_full": {
        "en": "the pool's headroom covers what it asks for, so the pool is not full",
        "zh": "资源池的余量足以满足它的申请，所以资源池并没有满",
    },
    "fragmented": {
        "en": "fragmented means the headroom is enough but no host has room; that is not the "
        "case here",
        "zh": "fragmented 指余量够但没有宿主机放得下；这里并不是这种情况",
    },
}


ORDER = {
    "en": "the order of the questions matters: before the headroom, ask whether any host, even "
    "empty, could hold it at all",
    "zh": "提问的顺序很重要：在看余量之前，先问有没有任何一台宿主机（即使是空的）能放得下它",
}


def _hint(verdict):
    return NOT.get(verdict, VERDICT["admit"])
