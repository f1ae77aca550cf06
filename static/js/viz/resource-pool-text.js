// Lesson 2's words: every sentence the resource-pool animation shows or reads out, in English and
// Chinese. Each narration sentence stands on its own (the live region reads it without the
// picture), and says why as well as what: why a host was chosen, why a guest was refused.

import { lang, zhText } from "./describe.js";

const PAGES_PER_GIB = 262144; // 2^30 / 4096: the model counts memory in 4 KiB pages

const TEXT = {
  en: {
    title: "Hosts pooled into one capacity; guests carved out of it and placed",
    sceneStory: "The whole story: pool, placement, admission, failure, consolidation",
    sceneRefusals: "Three reasons to refuse a guest",
    sceneNoHeadroom: "A host fails without enough headroom",
    groupLesson: "Lesson scenes",
    groupRun: "Your run",
    chapter_merge: "1 · Hosts merge into one pool",
    chapter_place: "2 · Guests are carved out (first fit)",
    chapter_admit: "3 · Admission control",
    chapter_finish: "4 · Work finishes: capacity returns",
    chapter_fail: "5 · A host fails",
    chapter_consolidate: "6 · Consolidation powers a host off",
    poolLine: "Pool: {vcpus} vCPUs · {mem}",
    poolDisk: " · {disk} storage",
    reservedLine: "Reserved {rv}/{cv} vCPUs · {rm} of {cm}",
    statusLine: "Utilization {u} % · hosts on {on}/{n} · ≈ {w} W",
    vcpuBar: "vCPU",
    memBar: "memory",
    memShort: "mem",
    hostOn: "CPU {u} %",
    hostOff: "off",
    hostFailed: "✗ failed",
    waiting: "Waiting for a request…",
    separate: "{n} separate machines, each with its own CPU and memory",
    beforePool: "Press Play: the hosts become one pool",
    asks: "{vm} asks for {vcpus} vCPU · {mem}",
    guestSize: "{vm} · {vcpus} vCPU · {mem}",
    poweredOn: "{host} powered on",
    poweredOff: "{host} powered off: empty",
    placedOn: "→ {host} ({policy})",
    restartedOn: "↻ restarted on {host}",
    movedTo: "⇢ moved {source} → {host}",
    removed: "{vm} finished: capacity returned",
    refusedShort_too_big: "✗ refused: bigger than any one host",
    refusedShort_pool_full: "✗ refused: the pool has not enough left",
    refusedShort_fragmented: "✗ refused: free space is in pieces",
    refusedShort_architecture: "✗ refused: no host of its CPU type",
    refusedRestart: "✗ cannot restart: the survivors lack room",
    failedCard: "✗ {host} failed: {vms} stopped",
    stopped: "stopped",
    runDiffers: "✗ your run differs from the model's here",
    policy_first_fit: "first fit",
    policy_first_fit_decreasing: "first fit decreasing",
    policy_best_fit: "best fit",
    policy_worst_fit: "worst fit",
    policy_custom: "your policy",
    legendReserved: "Coloured block: a guest's reservation (name in the memory column)",
    legendColumns: "Each host: vCPUs on the left, memory on the right (GiB, or pg: 4 KiB pages); its size is written underneath",
    legendFree: "White: free capacity on a host that is on",
    legendOff: "Grey host: powered off (draws no power) · red cross: failed",
    // --- narration ---
    create: "{n} hosts join one resource pool: {vcpus} vCPUs and {mem} of memory{disk}, handed out as one capacity. The bars at the top are the pool; the columns below are the machines it is made of.",
    createDisk: ", with {disk} of storage",
    request: "Guest {vm} asks the pool, not a particular machine, for {vcpus} vCPUs and {mem}{load}.",
    requestLoad: " (busy {pct} % of the time)",
    powerOn: "{host} powers on to take its first guest.",
    powerOnFor: "{host} powers on to take {vm}, its first guest: no host already on has room for it.",
    powerOnRestart: "{host} powers on: the pool needs its capacity to restart the stopped guests.",
    powerOff: "{host} holds no guest any more, so it powers off: an idle server still draws about half of its peak power (Barroso & Hölzle 2007).",
    place_first_fit: "First fit: {host} is the first host in the list with {vcpus} vCPUs and {mem} free, so {vm} is carved out of it. The pool now has {rv} of {cv} vCPUs and {rm} of {cm} reserved.",
    place_other: "{policy} puts {vm} on {host}. The pool now has {rv} of {cv} vCPUs and {rm} of {cm} reserved.",
    refuse_too_big: "Admission control refuses {vm}: it needs {vcpus} vCPUs and {mem}, more than even the largest host has ({bv} vCPUs, {bm}). A guest must fit on one host, however big the pool is.",
    refuse_pool_full: "Admission control refuses {vm}: the whole pool has only {fv} vCPUs and {fm} unreserved, less than it asks for. Reservations may never exceed capacity.",
    refuse_fragmented: "Admission control refuses {vm}: the pool has {fv} vCPUs and {fm} free in total, enough on paper, but the most one host can give is {bv} vCPUs and {bm}. A guest cannot span hosts: the free capacity is fragmented.",
    refuse_architecture: "Admission control refuses {vm}: it is built for a CPU architecture no host in the pool has; that would need emulation, not a VMM alone.",
    refuseRestart: "{vm} cannot be restarted after {source} failed: ",
    refuseRestart_pool_full: "the surviving hosts have only {fv} vCPUs and {fm} left. It stays stopped: the pool had too little headroom to survive this failure.",
    refuseRestart_fragmented: "the surviving hosts have {fv} vCPUs and {fm} in total, but no single host has room for it (at most {bv} vCPUs and {bm}). It stays stopped.",
    refuseRestart_too_big: "no surviving host is big enough for it. It stays stopped.",
    refuseRestart_architecture: "no surviving host has its CPU architecture. It stays stopped.",
    refuseCaller: "Your admission control refuses {vm} with the reason {reason}.",
    remove: "{vm} finishes its work: its {vcpus} vCPUs and {mem} go back to the pool.",
    fail: "{host} fails! Its guests {vms} stop at once, and its capacity leaves the pool: now {cv} vCPUs and {cm}.",
    failNone: "{host} fails, holding no guest; its capacity leaves the pool: now {cv} vCPUs and {cm}.",
    restart: "{vm} restarts on {host} (first fit among the surviving hosts): a guest belongs to the pool, not to one machine, as long as the pool keeps enough headroom.",
    move: "{vm} moves from {source} to {host} (a live migration), packing the guests onto fewer hosts so that {source} can be emptied.",
    none: "and",
  },
  zh: {
    title: "多台宿主机汇成一个资源池；客户机从中划分出来并被放置",
    sceneStory: "完整过程：资源池、放置、准入控制、故障、整合",
    sceneRefusals: "拒绝客户机的三种原因",
    sceneNoHeadroom: "余量不足时一台宿主机发生故障",
    groupLesson: "本课场景",
    groupRun: "你的运行",
    chapter_merge: "1 · 宿主机汇成一个资源池",
    chapter_place: "2 · 划分出客户机（首次适应）",
    chapter_admit: "3 · 准入控制",
    chapter_finish: "4 · 任务结束：资源归还",
    chapter_fail: "5 · 一台宿主机发生故障",
    chapter_consolidate: "6 · 整合后关掉一台宿主机",
    poolLine: "资源池：{vcpus} 个 vCPU · {mem}",
    poolDisk: " · {disk} 存储",
    reservedLine: "已预留 {rv}/{cv} 个 vCPU · {rm}/{cm}",
    statusLine: "利用率 {u}% · 开机 {on}/{n} 台 · 约 {w} W",
    vcpuBar: "vCPU",
    memBar: "内存",
    memShort: "内存",
    hostOn: "CPU {u}%",
    hostOff: "关机",
    hostFailed: "✗ 故障",
    waiting: "等待请求……",
    separate: "{n} 台各自独立的机器，各有自己的 CPU 和内存",
    beforePool: "按“播放”：这些宿主机将汇成一个资源池",
    asks: "{vm} 请求 {vcpus} 个 vCPU · {mem}",
    guestSize: "{vm} · {vcpus} 个 vCPU · {mem}",
    poweredOn: "{host} 已开机",
    poweredOff: "{host} 已关机：上面没有客户机",
    placedOn: "→ {host}（{policy}）",
    restartedOn: "↻ 在 {host} 上重启",
    movedTo: "⇢ 从 {source} 迁到 {host}",
    removed: "{vm} 结束：资源已归还",
    refusedShort_too_big: "✗ 拒绝：比任何一台宿主机都大",
    refusedShort_pool_full: "✗ 拒绝：资源池剩余不足",
    refusedShort_fragmented: "✗ 拒绝：空闲资源是零散的",
    refusedShort_architecture: "✗ 拒绝：没有它的 CPU 架构",
    refusedRestart: "✗ 无法重启：幸存的宿主机上没有空间",
    failedCard: "✗ {host} 故障：{vms} 停止运行",
    stopped: "已停止",
    runDiffers: "✗ 你的运行从这里偏离了模型",
    policy_first_fit: "首次适应",
    policy_first_fit_decreasing: "首次适应递减",
    policy_best_fit: "最佳适应",
    policy_worst_fit: "最差适应",
    policy_custom: "你的策略",
    legendReserved: "彩色块：一台客户机的预留（名字写在内存一栏）",
    legendColumns: "每台宿主机：左栏是 vCPU，右栏是内存（GiB，或以 4 KiB 的页计）；下方写着它的大小",
    legendFree: "白色：开机宿主机上的空闲资源",
    legendOff: "灰色宿主机：已关机（不耗电）· 红叉：故障",
    create: "{n} 台宿主机加入同一个资源池：共 {vcpus} 个 vCPU、{mem} 内存{disk}，作为一个整体分配。上方的条是资源池，下方的各栏是组成它的物理机。",
    createDisk: "，以及 {disk} 存储",
    request: "客户机 {vm} 向资源池（而不是某台机器）申请 {vcpus} 个 vCPU 和 {mem}{load}。",
    requestLoad: "（平均 {pct}% 的时间在忙）",
    powerOn: "{host} 开机，接收它的第一台客户机。",
    powerOnFor: "{host} 开机，接收它的第一台客户机 {vm}：已开机的宿主机都放不下它。",
    powerOnRestart: "{host} 开机：资源池需要它的容量来重启已停止的客户机。",
    powerOff: "{host} 上已没有客户机，于是关机：空闲的服务器仍要消耗约一半的峰值功率（Barroso & Hölzle 2007）。",
    place_first_fit: "首次适应：{host} 是列表中第一台有 {vcpus} 个 vCPU 和 {mem} 空闲的宿主机，所以 {vm} 从它上面划分出来。资源池现在已预留 {rv}/{cv} 个 vCPU、{rm}/{cm} 内存。",
    place_other: "{policy}把 {vm} 放到 {host} 上。资源池现在已预留 {rv}/{cv} 个 vCPU、{rm}/{cm} 内存。",
    refuse_too_big: "准入控制拒绝了 {vm}：它需要 {vcpus} 个 vCPU 和 {mem}，比最大的宿主机还多（{bv} 个 vCPU、{bm}）。无论资源池多大，一台客户机都必须放进一台宿主机。",
    refuse_pool_full: "准入控制拒绝了 {vm}：整个资源池只剩 {fv} 个 vCPU 和 {fm} 未预留，少于它的请求。预留永远不能超过容量。",
    refuse_fragmented: "准入控制拒绝了 {vm}：资源池总共还有 {fv} 个 vCPU 和 {fm} 空闲，账面上够用，但单台宿主机最多只能给出 {bv} 个 vCPU 和 {bm}。客户机不能跨宿主机运行：空闲资源已经碎片化。",
    refuse_architecture: "准入控制拒绝了 {vm}：它是为资源池中没有的 CPU 架构构建的，运行它需要模拟，仅靠 VMM 做不到。",
    refuseRestart: "{source} 故障后，{vm} 无法重启：",
    refuseRestart_pool_full: "幸存的宿主机只剩 {fv} 个 vCPU 和 {fm}。它只能保持停止：资源池的余量不足以承受这次故障。",
    refuseRestart_fragmented: "幸存的宿主机总共有 {fv} 个 vCPU 和 {fm}，但没有一台放得下它（单台最多 {bv} 个 vCPU、{bm}）。它只能保持停止。",
    refuseRestart_too_big: "没有一台幸存的宿主机大到能放下它。它只能保持停止。",
    refuseRestart_architecture: "没有一台幸存的宿主机具有它的 CPU 架构。它只能保持停止。",
    refuseCaller: "你的准入控制以原因 {reason} 拒绝了 {vm}。",
    remove: "{vm} 完成了工作：它的 {vcpus} 个 vCPU 和 {mem} 归还给资源池。",
    fail: "{host} 发生故障！它上面的客户机 {vms} 立即停止，它的容量也离开了资源池：现在共 {cv} 个 vCPU、{cm}。",
    failNone: "{host} 发生故障，上面没有客户机；它的容量离开了资源池：现在共 {cv} 个 vCPU、{cm}。",
    restart: "{vm} 在 {host} 上重启（在幸存的宿主机中按首次适应选择）：只要资源池留有足够的余量，客户机属于资源池，而不是某一台机器。",
    move: "{vm} 从 {source} 迁移到 {host}（实时迁移），把客户机集中到更少的宿主机上，好让 {source} 空出来。",
    none: "和",
  },
};

function fill(template, vars = {}) {
  const text = template.replace(/\{(\w+)\}/g, (_, key) => (key in vars ? String(vars[key]) : `{${key}}`));
  return lang() === "zh" ? zhText(text) : text;
}

/** A sentence of this animation in the page's language, its {placeholders} filled. */
export function poolText(key, vars) {
  const table = TEXT[lang()];
  return fill(table[key] ?? TEXT.en[key] ?? key, vars);
}

// Whether the scene on screen sizes its hosts in whole GiB (then "0 GiB", not "0 pages").
let gibScene = false;

/** Called when a scene is chosen, with the hosts of its pool.create event. */
export function useUnitsOf(hosts) {
  gibScene = hosts.length > 0 && hosts.every((h) => Number(h.pages) % PAGES_PER_GIB === 0);
}

/** Memory in words: whole GiB where the model's pages make whole GiB, else pages. */
export function memory(pages) {
  const n = Number(pages) || 0;
  if (n % PAGES_PER_GIB === 0 && (n > 0 || gibScene)) return `${n / PAGES_PER_GIB} GiB`;
  return lang() === "zh" ? `${n} 页` : `${n} pages`;
}

/** The same, short enough for the label under a host's memory column. */
export function memoryShort(pages) {
  const n = Number(pages) || 0;
  if (n % PAGES_PER_GIB === 0 && (n > 0 || gibScene)) return `${n / PAGES_PER_GIB} GiB`;
  return lang() === "zh" ? `${n} 页` : `${n} pg`;
}

export function policyName(policy) {
  const key = `policy_${policy}`;
  return TEXT.en[key] ? poolText(key) : poolText("policy_custom");
}

/** "a, b and c" (English) or "a、b 和 c" (Chinese). */
export function listOf(names) {
  if (names.length <= 1) return names.join("");
  const sep = lang() === "zh" ? "、" : ", ";
  return `${names.slice(0, -1).join(sep)} ${poolText("none")} ${names[names.length - 1]}`;
}

/**
 * The sentence for one event. `before` is the pool as it was, `after` as it is now (the
 * renderer's states), so a sentence can name what the event changed.
 */
export function narrate(event, before, after, { disk = null } = {}) {
  const g = (name) => after.guests[name] ?? before.guests[name] ?? { vcpus: 0, pages: 0 };
  const totals = (state) => ({
    rv: state.reservedV,
    cv: state.capV,
    rm: memory(state.reservedM),
    cm: memory(state.capM),
  });
  switch (event.kind) {
    case "pool.create": {
      const n = (event.hosts ?? []).length;
      return poolText("create", {
        n,
        vcpus: after.capV,
        mem: memory(after.capM),
        disk: disk ? poolText("createDisk", { disk: `${disk * n} TB` }) : "",
      });
    }
    case "pool.request": {
      const load = Number(event.load);
      return poolText("request", {
        vm: event.vm,
        vcpus: event.vcpus,
        mem: memory(event.pages),
        load: load > 0 && load < 1 ? poolText("requestLoad", { pct: Math.round(load * 100) }) : "",
      });
    }
    case "host.power": {
      if (!event.on) return poolText("powerOff", { host: event.host });
      const stopped = Object.values(before.guests).some((guest) => guest.status === "stopped");
      if (before.card?.kind === "ask") return poolText("powerOnFor", { host: event.host, vm: before.card.vm });
      return poolText(stopped ? "powerOnRestart" : "powerOn", { host: event.host });
    }
    case "pool.place": {
      const guest = g(event.vm);
      const vars = { vm: event.vm, host: event.host, vcpus: guest.vcpus, mem: memory(guest.pages), ...totals(after) };
      if (event.policy === "first_fit" || event.policy === "first_fit_decreasing") return poolText("place_first_fit", vars);
      return poolText("place_other", { ...vars, policy: policyName(event.policy) });
    }
    case "pool.refuse": {
      const guest = g(event.vm);
      const vars = {
        vm: event.vm,
        vcpus: guest.vcpus,
        mem: memory(guest.pages),
        fv: event.free_vcpus,
        fm: memory(event.free_pages),
        bv: event.best_vcpus ?? after.biggestV,
        bm: memory(event.best_pages ?? after.biggestM),
        source: event.source,
        reason: event.reason,
      };
      if (event.by === "caller") return poolText("refuseCaller", vars);
      if (event.reason === "too_big") Object.assign(vars, { bv: after.biggestV, bm: memory(after.biggestM) });
      if (event.source) return poolText("refuseRestart", vars) + poolText(`refuseRestart_${event.reason}`, vars);
      return poolText(`refuse_${event.reason}`, vars);
    }
    case "pool.remove": {
      const guest = g(event.vm);
      return poolText("remove", { vm: event.vm, vcpus: guest.vcpus, mem: memory(guest.pages) });
    }
    case "host.fail": {
      const vms = event.vms ?? [];
      return poolText(vms.length ? "fail" : "failNone", {
        host: event.host,
        vms: listOf(vms),
        cv: after.capV,
        cm: memory(after.capM),
      });
    }
    case "pool.restart":
      return poolText("restart", { vm: event.vm, host: event.host });
    case "pool.move":
      return poolText("move", { vm: event.vm, host: event.host, source: event.source });
    default:
      return String(event.kind ?? "");
  }
}
