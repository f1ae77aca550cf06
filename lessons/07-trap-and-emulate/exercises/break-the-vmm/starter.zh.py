def divergent_program(runs_in_user_mode):
    """一个在陷入并模拟下与在裸机上结束状态不同的客户机内核；若不存在则返回 None。

    runs_in_user_mode：这台机器允许在用户态运行而不陷入的指令，例如 ["getr", "add"]。
    其余指令都会陷入，和玩具 ISA 一样。
    返回指令列表，例如 [("add", "a", 1), ("out", "a")]，最多 8 条；
    如果在这台机器上没有任何内核能分辨 VMM 和裸机，返回 None。
    """
    if "getmode" in runs_in_user_mode:
        return [("getmode", "a")]
    return None
