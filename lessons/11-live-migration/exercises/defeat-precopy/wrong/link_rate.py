# expect: a gentler workload also does
def design(link):
    # dirtying as fast as the link sends never shrinks a round: surely the answer?
    return {"dirty_mbps": link["bandwidth_mbps"], "rounds": 5 if link["rules"] == "xen-v2" else 3}
