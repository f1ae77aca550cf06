def forward(table, ports, in_port, src, dst):
    vlan = ports[in_port]
    table[(vlan, src)] = in_port
    known = table.get((vlan, dst))
    if dst != "ff:ff:ff:ff:ff:ff" and known is not None:
        return [known]
    return sorted(p for p, v in ports.items() if v == vlan and p != in_port)
