BROADCAST = "ff:ff:ff:ff:ff:ff"


def forward(table, ports, in_port, src, dst):
    """交换一帧：先从它学习，再返回它要发往的端口。

    table：交换机目前学到的内容，{(vlan, mac): port}；请在这里更新它。
    ports：交换机的每个端口及其所属 VLAN，{port: vlan}。
    in_port：这一帧进来的端口；src、dst：它的源 MAC 和目的 MAC。
    """
    # 向所有端口泛洪能送到每个人……但 VLAN 交换机可以这样做吗？
    return sorted(p for p in ports if p != in_port)
