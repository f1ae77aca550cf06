# expect: had only
def round_robin(lengths, quantum):
    turns = []
    queue = [[job, left] for job, left in enumerate(lengths)]
    while queue:
        job, left = queue.pop(0)
        turns.append([job, quantum])
        if left > quantum:
            queue.append([job, left - quantum])
    return turns
