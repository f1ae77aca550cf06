def round_robin(lengths, quantum):
    turns = []
    queue = [[job, left] for job, left in enumerate(lengths)]
    while queue:
        job, left = queue.pop(0)
        ran = min(quantum, left)
        turns.append([job, ran])
        if left > ran:
            queue.append([job, left - ran])
    return turns
