# expect: never finish
def round_robin(lengths, quantum):
    turns = []
    for job, length in enumerate(lengths):
        turns.append([job, min(quantum, length)])
    return turns
