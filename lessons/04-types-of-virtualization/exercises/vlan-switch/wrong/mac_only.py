# expect: on another VLAN
def forward(table, ports, in_port, src, dst):
    vlan = ports[in_port]
    table[(vlan, src)] = in_port
    for (v, mac), port in table.items():
        if mac == dst:
            return [port]
    return sorted(p for p, v in ports.items() if v == vlan and p != in_port)
