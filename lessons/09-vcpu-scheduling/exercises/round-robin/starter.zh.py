def round_robin(lengths, quantum):
    """返回时间片轮转为这些长度的作业给出的各轮 [job, ran]。"""
    turns = []
    queue = [[job, left] for job, left in enumerate(lengths)]
    # 取出队首的作业，让它运行一个时间片（或更短），没有完成就把它放回队尾。
    return turns
