def try_update(guest, update, test):
    """在运行中的客户机上试装一个更新；test() 通过就保留，否则彻底撤销。

    update：一组写入，例如
        {"target": 3, "value": 42, "disk": None}      # 内存页 3
        {"target": 5, "value": 7, "disk": "disk0"}    # disk0 的第 5 块
    test()：运行冒烟测试，服务仍然正常就返回 True。
    保留了更新就返回 True，回滚了就返回 False。
    """
    for write in update:
        if write["disk"] is None:
            guest.write_memory(write["target"], write["value"])
        else:
            guest.write_disk(write["disk"], write["target"], write["value"])
    return test()  # 如果测试失败了呢？在写入*之前*你需要做什么？
