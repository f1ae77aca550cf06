# expect: longer than one quantum
def round_robin(lengths, quantum):
    return [[job, length] for job, length in enumerate(lengths)]
