"""Moving a running VM to another host as files (lesson 3, move-running-vm)."""

EXPLANATIONS = {
    "wrong_host": {
        "en": "the guest you returned runs on {host!r}, not on the target: the restored VM must "
        "be placed on the host its files were copied to (host=...)",
        "zh": "你返回的客户机运行在 {host!r} 上，而不是目标宿主机上：恢复出来的虚拟机必须放在"
        "它的文件被复制到的那台宿主机上（host=...）",
    },
    "not_copied": {
        "en": "{name!r} now says it runs on {target!r}, but its files never reached {target!r}: a "
        "host can only run a VM whose files it has, so save the VM, copy its files with "
        "copy_files(...) and restore them there",
        "zh": "{name!r} 声称自己在 {target!r} 上运行，但它的文件从未到达 {target!r}：宿主机只能"
        "运行它拥有文件的虚拟机，所以要先保存虚拟机，用 copy_files(...) 复制文件，再在那里恢复",
    },
    "two_copies": {
        "en": "two copies of {name!r} now run, on {source!r} and on {target!r}, and will drift "
        "apart: suspend the original with save() (files() leaves it running) before copying its "
        "files",
        "zh": "现在有两份 {name!r} 在运行，分别在 {source!r} 和 {target!r} 上，它们会越走越远："
        "复制文件之前，要先用 save() 挂起原来的虚拟机（files() 会让它继续运行）",
    },
    "opened_twice": {
        "en": "{name!r} was opened from its files on {elsewhere!r} as well as on {target!r}: two "
        "copies of one VM would run and drift apart. Restore the copied files on the target "
        "only",
        "zh": "{name!r} 的文件除了在 {target!r} 上，还在 {elsewhere!r} 上被打开了：同一台虚拟机"
        "会有两份在运行，它们会越走越远。只在目标宿主机上恢复复制过去的文件",
    },
    "not_running": {
        "en": "the guest arrived on {target!r} but is {state}: it must keep running there; a "
        "suspended VM's .vmss file restores it running",
        "zh": "客户机到达了 {target!r}，但它的状态是 {state}：它必须在那里继续运行；"
        "被挂起的虚拟机有 .vmss 文件，恢复后就是运行状态",
    },
    "original_relocated": {
        "en": "you returned the original guest, relabelled to run on {target!r}: a VM moves as "
        "files. Return the guest Guest.restore(copied, trace=trace, host=target) opens from the "
        "copy on the target",
        "zh": "你返回的是原来那台客户机，只是把它标成在 {target!r} 上运行：虚拟机是以文件的形式"
        "迁移的。请返回 Guest.restore(copied, trace=trace, host=target) 从目标宿主机上的副本"
        "打开的那台客户机",
    },
    "not_saved_first": {
        "en": "{name!r} was not suspended before its files were copied: files() copies a running "
        "VM's files while it goes on changing them, and stopping it afterwards loses what changed "
        "in between. Call save() first, then copy the files it returns",
        "zh": "复制 {name!r} 的文件之前没有挂起它：files() 复制的是一台仍在运行、还在不断改变的"
        "虚拟机的文件，之后再关机会丢掉这期间的变化。请先调用 save()，再复制它返回的文件",
    },
    "not_restored": {
        "en": "the guest you returned was not opened on {target!r} from the copied files with "
        "Guest.restore(copied, trace=trace, host=target) (pass trace=trace, so the move is "
        "recorded and the replay shows it)",
        "zh": "你返回的客户机不是用 Guest.restore(copied, trace=trace, host=target) 从复制过去的"
        "文件在 {target!r} 上打开的（要传入 trace=trace，这样迁移才会被记录，回放里才能看到）",
    },
    "same_on_arrival": {
        "en": "the guest on the target is not the VM that left the source: its memory or CPU "
        "differ. Powering off (stop) loses memory; suspend with save() instead, so the .vmss "
        "file carries memory and CPU along",
        "zh": "目标宿主机上的客户机已经不是离开源宿主机的那台虚拟机了：它的内存或 CPU 不同。"
        "关机（stop）会丢掉内存；请改用 save() 挂起，让 .vmss 文件把内存和 CPU 一起带过去",
    },
    "same_after_work": {
        "en": "after the move the guest did the same work as a twin that never moved, but ended "
        "in a different state: return the restored guest itself, untouched",
        "zh": "迁移之后，客户机做了与一台从未迁移的孪生虚拟机相同的工作，最后状态却不同："
        "请原样返回恢复出来的那台客户机",
    },
}
