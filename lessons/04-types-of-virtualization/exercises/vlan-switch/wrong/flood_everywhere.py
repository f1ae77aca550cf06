# expect: on another VLAN
def forward(table, ports, in_port, src, dst):
    table[(ports[in_port], src)] = in_port
    known = table.get((ports[in_port], dst))
    if known is not None and dst != "ff:ff:ff:ff:ff:ff":
        return [known]
    return sorted(p for p in ports if p != in_port)
