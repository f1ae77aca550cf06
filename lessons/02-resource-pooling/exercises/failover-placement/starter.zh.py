def plan(hosts, guests):
    """每台客户机运行在哪里：{客户机名: 宿主机名}，要能承受任意一台宿主机故障。"""
    free = {h["name"]: [h["cores"], h["pages"]] for h in hosts}
    placement = {}
    for g in guests:
        for name, (cores, pages) in free.items():
            if cores >= g["vcpus"] and pages >= g["pages"]:  # 首次适应：挤满前面的宿主机
                free[name] = [cores - g["vcpus"], pages - g["pages"]]
                placement[g["name"]] = name
                break
    return placement
