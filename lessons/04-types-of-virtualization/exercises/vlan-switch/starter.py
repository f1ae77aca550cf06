BROADCAST = "ff:ff:ff:ff:ff:ff"


def forward(table, ports, in_port, src, dst):
    """Switch one frame: learn from it, then return the ports it goes out of.

    table: what the switch has learned so far, {(vlan, mac): port}; update it here.
    ports: every port of the switch and its VLAN, {port: vlan}.
    in_port: the port the frame came in on; src, dst: its source and destination MAC.
    """
    # Flooding everywhere reaches everyone... but is that what a VLAN switch may do?
    return sorted(p for p in ports if p != in_port)
