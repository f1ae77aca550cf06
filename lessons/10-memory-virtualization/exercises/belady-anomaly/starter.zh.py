def anomaly(frames, pages, max_length):
    """返回一个访问序列，使 FIFO 用 frames + 1 个页框时比用 frames 个页框时缺页更多。"""
    # 第一次尝试：循环访问所有页。在这里多一个页框是有帮助还是有害？
    refs = []
    while len(refs) < max_length:
        refs.append(len(refs) % pages + 1)
    return refs
