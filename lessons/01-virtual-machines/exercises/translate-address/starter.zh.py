def translate(layout, guest, resource, address):
    """返回客户机自己的地址背后对应的宿主机页或块；如果虚拟机监控程序拒绝这次访问，返回 None。

    layout：{"hypervisor_pages": 8,
             "guests": [{"name": "web", "memory_pages": 16, "disk_blocks": 16}, ...]}
    客户机按切片被切分出来的顺序排列，一片紧挨着一片。
    """
    # 客户机自己的编号并不是宿主机的编号：这台客户机的切片从哪里开始？
    return address
