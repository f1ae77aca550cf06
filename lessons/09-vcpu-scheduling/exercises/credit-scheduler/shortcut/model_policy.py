from tutor.sim.credit_policy import xen_account, xen_pick


def account(vcpus, pcpus):
    return xen_account(vcpus, pcpus)


def pick(run_queue):
    return xen_pick(run_queue)
