"""Packs the case's guests with the model (First Fit and FFD on a ResourcePool, the exact
optimum by branch and bound) and checks the learner's three counts against them. Public (runs
in the browser)."""

from tutor.sim import Host, ResourcePool, VmSpec

MODEL_ANSWERS = {
    "tutor.sim": ("optimal_bin_count", "ResourcePool"),
    "tutor.sim.pool": ("optimal_bin_count", "ResourcePool"),
}
RETURNS = {"compare": {"first_fit": int, "ffd": int, "optimum": int}}

WHY = {
    "first_fit": {
        "en": "First Fit takes the guests in the given order and puts each on the first host "
        "with room, opening a new host only when none has",
        "zh": "首次适应按给定顺序取客户机，把每台放到第一台有空间的宿主机上，"
        "只有都放不下时才开一台新的",
    },
    "ffd": {
        "en": "FFD is First Fit on the guests sorted largest first",
        "zh": "首次适应递减就是先把客户机从大到小排序，再做首次适应",
    },
    "optimum": {
        "en": "the optimum is the fewest hosts any packing can use: at least the total size "
        "divided by the capacity, rounded up, and sometimes more; search all packings (small "
        "cases only) rather than trust a bound or a heuristic",
        "zh": "最优解是任何装法所能用的最少宿主机数：至少是总大小除以容量再向上取整，有时更多；"
        "要搜索所有装法（只适用于小规模），不能依赖某个界或启发式算法",
    },
}


def run(submission, args, trace):
    sizes, capacity = args["sizes"], args["capacity"]
    # The model's FFD run is the trace the replay draws: hosts as bins filling up.
    pool = ResourcePool(
        [Host(f"h{i}", len(sizes), capacity) for i in range(len(sizes))], trace
    )
    vms = [VmSpec(f"g{i}", 1, size) for i, size in enumerate(sizes)]
    pool.announce(vms)
    pool.place_all(vms, "first_fit_decreasing")
    answer = submission.compare(list(sizes), capacity)
    return {key: answer[key] for key in RETURNS["compare"]}


def compare(args, expected, actual, reveal=False):
    for key in ("first_fit", "ffd", "optimum"):
        if actual[key] != expected[key]:
            message = {
                "en": f"{key} is {actual[key]}, which is wrong: {WHY[key]['en']}",
                "zh": f"{key} 是 {actual[key]}，这个值不对：{WHY[key]['zh']}",
            }
            if reveal:
                message["en"] += f" (expected {expected[key]})"
                message["zh"] += f"（应为 {expected[key]}）"
            return message
    return None
