# expect: never from the destination
def forward(table, ports, in_port, src, dst):
    vlan = ports[in_port]
    out = table.get((vlan, dst))
    if out is None or dst == "ff:ff:ff:ff:ff:ff":
        out_ports = sorted(p for p, v in ports.items() if v == vlan and p != in_port)
    else:
        out_ports = [out]
    table[(vlan, src)] = in_port
    table[(vlan, dst)] = in_port
    return out_ports
