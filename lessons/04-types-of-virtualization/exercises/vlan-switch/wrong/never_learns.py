# expect: has already learned
def forward(table, ports, in_port, src, dst):
    vlan = ports[in_port]
    return sorted(p for p, v in ports.items() if v == vlan and p != in_port)
