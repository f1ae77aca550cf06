def break_even(mix, costs):
    """How many extra page-table writes until binary translation is cheaper than hardware assist?

    mix: operation -> count, e.g. {"plain": 1000000, "syscall": 2000}
    costs: operation -> cycles of one such operation under each technique, e.g.
        costs["pte_write"] == {"native": 1, "bt": 391, "hw": 12733}
    Return the smallest number of PTE writes to add at which BT takes fewer cycles than hardware
    assist (0 if it already does), or None if no number of writes can make it so.
    """
    return 0
