# expect: the port it arrived on
def forward(table, ports, in_port, src, dst):
    vlan = ports[in_port]
    table[(vlan, src)] = in_port
    if (vlan, dst) in table:
        return [table[(vlan, dst)]]
    return sorted(p for p, v in ports.items() if v == vlan)
