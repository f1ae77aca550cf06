# expect: not the first host with room
def ffd(vms, hosts, place):
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    for vm in sorted(vms, key=lambda v: (-v["pages"], -v["vcpus"], v["name"])):
        fitting = [
            h for h in hosts
            if vm["vcpus"] <= free[h["name"]][0] and vm["pages"] <= free[h["name"]][1]
        ]
        best = min(fitting, key=lambda h: free[h["name"]][1] - vm["pages"])
        place(vm["name"], best["name"])
        free[best["name"]][0] -= vm["vcpus"]
        free[best["name"]][1] -= vm["pages"]
    return sum(1 for h in hosts if free[h["name"]] != [h["cores"], h["pages"]])
