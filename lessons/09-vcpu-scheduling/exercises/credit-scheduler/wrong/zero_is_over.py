# expect: with credit 0 it is still UNDER
def account(vcpus, pcpus):
    # The active vCPUs of each domain, in the order they are listed.
    members = {}
    for v in vcpus:
        if v["active"]:
            members.setdefault(v["domain"], []).append(v)
    # Each domain competes with weight × active vCPUs, up to 300 per active vCPU and its cap.
    weight, limit = {}, {}
    for domain, active in members.items():
        weight[domain] = active[0]["weight"] * len(active)
        limit[domain] = 300 * len(active)
        if active[0]["cap"]:
            limit[domain] = min(limit[domain], active[0]["cap"] * 3)
    # Share 300 × pcpus by weight; a domain over its limit gets its limit and the rest is
    # shared again among the others.
    part = dict.fromkeys(members, 0)
    remaining, open_ = 300 * pcpus, list(members)
    while open_ and remaining > 0:
        total = sum(weight[d] for d in open_)
        full = [d for d in open_ if remaining * weight[d] // total >= limit[d]]
        if not full:
            for d in open_:
                part[d] = remaining * weight[d] // total
            break
        for d in full:
            part[d] = limit[d]
            remaining -= limit[d]
            open_.remove(d)
    # Split each domain's part evenly, the remainder one credit each to the first vCPUs.
    earned = {}
    for domain, active in members.items():
        each, extra = divmod(part[domain], len(active))
        for i, v in enumerate(active):
            earned[v["name"]] = each + (1 if i < extra else 0)
    return earned


def priority(vcpu):
    if vcpu["boost"]:
        return 0  # BOOST
    return 1 if vcpu["credit"] > 0 else 2  # credit 0 counted as OVER


def pick(run_queue):
    best = run_queue[0]
    for vcpu in run_queue:
        if priority(vcpu) < priority(best):
            best = vcpu
    return best["name"]
