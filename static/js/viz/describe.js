// Words for the animations, in English and Chinese. The live region reads these sentences out, so
// each one must make sense on its own, without the picture: that is what "accessible" means here.

import { spaceCjk } from "../zh-spacing.js";

// Read once: a page's language never changes (switching reloads it), and the animations ask for
// it for every label they draw (10 ms of a lesson's start-up, read from the DOM each time).
let pageLang = null;

export function lang() {
  if (pageLang === null && document.body) pageLang = document.body.dataset.lang === "zh" ? "zh" : "en";
  return pageLang ?? "en";
}

const UI = {
  en: {
    play: "Play",
    pause: "Pause",
    back: "Step back",
    forward: "Step forward",
    restart: "Restart",
    speed: "Speed",
    scene: "Scene",
    progress: "Step {i} of {n}",
    scrubber: "Go to step",
    controls: "Animation controls",
    stacks: "Which stack to show (with its cycles so far)",
    stageLabel: "Animation. Space or K plays and pauses, the arrow keys step, Home restarts.",
    stageRole: "animation",
    keys: "Keys work once the animation has focus (click it, or Tab to it): Space/K play or pause · ←/→ step · Home restart",
    ready: "{scene}: {n} steps. Press Play, or click the animation and press Space.",
    ended: "End of the animation.",
    yourRun: "Your run: {name}",
    replayFailed: "✗ This case fails.",
    replayPassed: "✓ This case passes.",
    toDeparture: "Go to step {i}, where your run leaves the model's",
    departs: "Here your run leaves the model's: {message}",
    endedFailed: "End of your run: it does not match the model's.",
    gradedState: "What your code left (the state the grader checks):",
    stateList: "a list of {n} items",
    stateListOne: "a list of 1 item",
    stateDict: "a dict with {n} keys: {keys}",
    stateDictOne: "a dict with 1 key: {keys}",
    backToExercise: "Back to the exercise",
    truncated: " (first {n} steps only)",
    noD3: "The animation could not load its drawing library (d3).",
    broken: "The animation could not be drawn.",
    noScenes: "The animation could not load its scenes (is the connection down?). Reload the page to try again.",
  },
  zh: {
    play: "播放",
    pause: "暂停",
    back: "后退一步",
    forward: "前进一步",
    restart: "重新开始",
    speed: "速度",
    scene: "场景",
    progress: "第 {i} 步，共 {n} 步",
    scrubber: "跳到某一步",
    controls: "动画控制",
    stacks: "要显示的分层结构（及其目前的周期数）",
    stageLabel: "动画。空格键或 K 播放/暂停，方向键逐步前进或后退，Home 键重新开始。",
    stageRole: "动画",
    keys: "先点击动画（或用 Tab 键移到动画上），按键才起作用：空格/K 播放或暂停 · ←/→ 逐步 · Home 重新开始",
    ready: "{scene}：共 {n} 步。按“播放”，或点击动画后按空格键。",
    ended: "动画结束。",
    yourRun: "你的运行：{name}",
    replayFailed: "✗ 这个用例未通过。",
    replayPassed: "✓ 这个用例通过了。",
    toDeparture: "跳到第 {i} 步：你的运行从这里偏离了模型",
    departs: "你的运行从这里偏离了模型：{message}",
    endedFailed: "你的运行结束了：它与模型的运行不一致。",
    gradedState: "你的代码留下的状态（评测检查的就是它）：",
    stateList: "列表，共 {n} 项",
    stateListOne: "列表，共 1 项",
    stateDict: "字典，{n} 个键：{keys}",
    stateDictOne: "字典，1 个键：{keys}",
    backToExercise: "回到练习",
    truncated: "（仅显示前 {n} 步）",
    noD3: "动画无法加载绘图库（d3）。",
    broken: "无法绘制动画。",
    noScenes: "动画无法加载场景数据（网络断开了吗？）。请刷新页面重试。",
  },
};

// Full-width punctuation takes no space on either side, and two Chinese characters none between
// them: a template's "发给 {dst}" filled with "所有人" or "{rules} 的上限" with "…（Xen ≥ 4.6）"
// must not keep the space that a Latin value would have needed.
const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const FULL_WIDTH = "，。、：；！？（）“”‘’《》【】";
const SPACE_AFTER_FULL_WIDTH = new RegExp(`([${FULL_WIDTH}]) +`, "g");
const SPACE_BEFORE_FULL_WIDTH = new RegExp(` +([${FULL_WIDTH}])`, "g");
const SPACE_BETWEEN_HAN = new RegExp(`([${HAN}]) +(?=[${HAN}])`, "g");

/** A filled Chinese sentence as zh-CN writes it: Latin text spaced from Chinese, no other spaces. */
export function zhText(text) {
  return spaceCjk(text).replace(SPACE_AFTER_FULL_WIDTH, "$1").replace(SPACE_BEFORE_FULL_WIDTH, "$1").replace(SPACE_BETWEEN_HAN, "$1");
}

/** Items of a list in the page's language: "a, b, c" in English, "a、b、c" in Chinese. */
export function joinList(items) {
  return [...items].map(String).join(lang() === "zh" ? "、" : ", ");
}

/** Sentences one after another: a space between them in English, none in Chinese. */
export function joinSentences(...sentences) {
  return sentences.filter((s) => s).join(lang() === "zh" ? "" : " ");
}

/** A label and its value: "Cycles: 1,200" in English, "周期：1,200" in Chinese. */
export function labelled(label, value) {
  return lang() === "zh" ? `${label}：${value}` : `${label}: ${value}`;
}

/** A remark in brackets after a name: "h0 (22)" in English, "h0（22）" in Chinese. */
export function bracket(name, remark) {
  return lang() === "zh" ? `${name}（${remark}）` : `${name} (${remark})`;
}

function fill(template, vars = {}) {
  const text = template.replace(/\{(\w+)\}/g, (_, key) => (key in vars ? String(vars[key]) : `{${key}}`));
  return lang() === "zh" ? zhText(text) : text;
}

export function ui(key, vars) {
  const table = UI[lang()];
  return fill(table[key] ?? UI.en[key] ?? key, vars);
}

// One Intl.NumberFormat per language and options: toLocaleString(locale) builds a new formatter
// on every call, and an animation formats every counter of every step (it was most of the
// hypervisors animation's first draw, #15).
const formats = new Map();

// Both languages group digits by three with "," (12,345 in en-US and zh-CN alike).
const GROUPED_LOCALES = new Set(["en-US", "zh-CN"]);

/**
 * An integer as Intl writes it for those locales, without an Intl.NumberFormat: the first one a
 * page builds costs ~30 ms (the locale's data), and a phone's first draw of an animation had to
 * wait for it before showing a counter (#15).
 */
function groupedInteger(n) {
  const digits = String(Math.abs(n));
  const groups = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (n < 0 || Object.is(n, -0) ? "-" : "") + groups.join(",");
}

/** `n` written for the page's language (or `locale`), e.g. 12,345.6. */
export function formatNumber(n, options = {}, locale = lang() === "zh" ? "zh-CN" : "en-US") {
  if (Number.isSafeInteger(n) && GROUPED_LOCALES.has(locale) && Object.keys(options).length === 0) {
    return groupedInteger(n);
  }
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(key, format);
  }
  return format.format(n);
}

export function number(n) {
  return formatNumber(Number(n ?? 0));
}

const HEX = (n) => (typeof n === "number" ? `0x${n.toString(16)}` : String(n));

export const NAMES = {
  // The four designs of lesson 5: both type 1 designs are bare metal; they differ in who drives
  // the devices (the hypervisor itself, or a privileged partition).
  hv: {
    type1: { en: "Type 1 · monolithic", zh: "类型 1 · 单体式" },
    type1_partition: { en: "Type 1 · privileged partition", zh: "类型 1 · 特权分区式" },
    type2: { en: "Type 2 (hosted)", zh: "类型 2（托管型）" },
    kvm: { en: "KVM (Linux as hypervisor)", zh: "KVM（Linux 即虚拟机监控程序）" },
  },
  // long: the legend and sentences; short: the label inside a row of the drawing.
  owner: {
    guest: { en: ["guest", "guest"], zh: ["客户机", "客户机"] },
    cpu: { en: ["CPU transition", "CPU"], zh: ["CPU 切换", "CPU 切换"] },
    hypervisor: { en: ["hypervisor", "hypervisor"], zh: ["虚拟机监控程序", "虚拟机监控程序"] },
    partition: { en: ["privileged partition (dom0, root partition)", "dom0 / root"], zh: ["特权分区（dom0、根分区）", "特权分区"] },
    host: { en: ["host OS", "host OS"], zh: ["宿主机操作系统", "宿主机"] },
    hardware: { en: ["hardware", "hardware"], zh: ["硬件", "硬件"] },
  },
  // short: fits a row of the drawing; long: used in sentences.
  layer: {
    guest_app: { en: ["guest app", "the guest application"], zh: ["客户机应用", "客户机应用程序"] },
    guest_kernel: { en: ["guest kernel", "the guest kernel"], zh: ["客户机内核", "客户机内核"] },
    vm_exit: { en: ["VM exit", "a VM exit"], zh: ["VM 退出", "VM 退出"] },
    hypervisor: { en: ["hypervisor", "the type 1 hypervisor"], zh: ["虚拟机监控程序", "类型 1 虚拟机监控程序"] },
    hypervisor_driver: { en: ["hypervisor's driver", "the hypervisor's own I/O stack and driver"], zh: ["自带的驱动程序", "虚拟机监控程序自带的 I/O 堆栈和驱动程序"] },
    partition_switch: { en: ["switch to dom0/root", "a switch to the privileged partition"], zh: ["切换到特权分区", "到特权分区的切换"] },
    backend_driver: { en: ["back-end driver", "the back-end driver"], zh: ["后端驱动", "后端驱动"] },
    partition_driver: { en: ["partition's driver", "the privileged partition's device driver"], zh: ["特权分区的驱动", "特权分区的设备驱动程序"] },
    vmm: { en: ["VMM", "the VMM"], zh: ["VMM", "VMM"] },
    world_switch: { en: ["world switch", "the world switch"], zh: ["世界切换", "世界切换"] },
    host_vmm_driver: { en: ["VMM driver (host)", "the VMM driver in the host OS"], zh: ["VMM 驱动（宿主机）", "宿主机中的 VMM 驱动"] },
    vmm_app: { en: ["VMM app (user level)", "the VMM's user-level application"], zh: ["VMM 用户态应用", "VMM 的用户态应用程序"] },
    kvm_module: { en: ["KVM kernel module", "the KVM kernel module"], zh: ["KVM 内核模块", "KVM 内核模块"] },
    kvm_run_return: { en: ["KVM_RUN returns", "the return from KVM_RUN"], zh: ["KVM_RUN 返回", "KVM_RUN 的返回"] },
    device_model: { en: ["device model", "the user-space device model (QEMU)"], zh: ["设备模型", "用户态设备模型（QEMU）"] },
    host_syscall: { en: ["host system call", "a host system call"], zh: ["宿主机系统调用", "宿主机系统调用"] },
    vhost: { en: ["vhost-net thread", "the vhost-net thread in the host kernel"], zh: ["vhost-net 线程", "宿主机内核中的 vhost-net 线程"] },
    host_kernel: { en: ["host kernel", "the host kernel"], zh: ["宿主机内核", "宿主机内核"] },
    host_driver: { en: ["host driver", "the host's device driver"], zh: ["宿主机驱动", "宿主机设备驱动程序"] },
    disk: { en: ["disk", "the physical disk"], zh: ["磁盘", "物理磁盘"] },
    iommu: { en: ["IOMMU", "the IOMMU"], zh: ["IOMMU", "IOMMU"] },
    nic: { en: ["network card", "the physical network card"], zh: ["网卡", "物理网卡"] },
  },
  // A CPU transition crossed on the way back up is its reverse: the lit row says what happens.
  layerUp: {
    vm_exit: { en: "VM entry", zh: "VM 进入" },
    partition_switch: { en: "back to the hypervisor", zh: "切回虚拟机监控程序" },
    world_switch: { en: "world switch back", zh: "世界切换（返回）" },
    kvm_run_return: { en: "KVM_RUN again", zh: "再次 KVM_RUN" },
  },
  io: {
    vhost: { en: "vhost-net", zh: "vhost-net" },
    sriov: { en: "an SR-IOV virtual function", zh: "SR-IOV 虚拟功能" },
  },
  component: {
    memory_manager: { en: ["memory", "the memory manager"], zh: ["内存管理器", "内存管理器"] },
    scheduler: { en: ["scheduler", "the scheduler"], zh: ["进程调度程序", "进程调度程序"] },
    io_stack: { en: ["I/O stack", "the I/O stack"], zh: ["I/O 堆栈", "I/O 堆栈"] },
    device_drivers: { en: ["drivers", "the device drivers"], zh: ["设备驱动程序", "设备驱动程序"] },
    security_manager: { en: ["security", "the security manager"], zh: ["安全管理器", "安全管理器"] },
    network_stack: { en: ["network", "the network stack"], zh: ["网络堆栈", "网络堆栈"] },
  },
  op: {
    disk_read: { en: "disk read", zh: "磁盘读取" },
    net_send: { en: "network send", zh: "网络发送" },
    privileged: { en: "privileged instruction", zh: "特权指令" },
  },
};

function pick(entry, index) {
  if (!entry) return undefined;
  const value = entry[lang()] ?? entry.en;
  return Array.isArray(value) ? value[index] : value;
}

const humanize = (id) => String(id ?? "?").replace(/_/g, " ");
export const hvName = (hv) => pick(NAMES.hv[hv]) ?? humanize(hv);
export const ownerName = (owner) => pick(NAMES.owner[owner], 0) ?? humanize(owner);
export const ownerShort = (owner) => pick(NAMES.owner[owner], 1) ?? humanize(owner);
export const layerShort = (layer, dir = "down") =>
  (dir === "up" ? pick(NAMES.layerUp[layer]) : undefined) ?? pick(NAMES.layer[layer], 0) ?? humanize(layer);
export const layerLong = (layer) => pick(NAMES.layer[layer], 1) ?? humanize(layer);
export const componentShort = (c) => pick(NAMES.component[c], 0) ?? humanize(c);
export const componentLong = (c) => pick(NAMES.component[c], 1) ?? humanize(c);
export const opName = (op) => pick(NAMES.op[op]) ?? humanize(op);
export const ioName = (io) => pick(NAMES.io[io]) ?? humanize(io);
// In a vCPU trace the guest's instruction is what leaves the guest on the next exit.
export const insnOp = (op) => (lang() === "zh" ? `“${op}” 指令` : `“${op}” instruction`);
// In a vCPU trace nothing names an operation: what travels down is the exit itself.
export const exitOp = (reason) => (lang() === "zh" ? `${reason} 退出` : `${reason} exit`);

const SCENE = {
  en: {
    compare: "Side by side: {op}",
    one: "{hv}: {op}",
    fast: "{hv}: {op} through {io}",
    groupCompare: "Compare the {n} designs",
    groupOne: "One stack",
    groupFast: "Faster network I/O",
    groupRun: "Your runs",
  },
  zh: {
    compare: "并排对比：{op}",
    one: "{hv}：{op}",
    fast: "{hv}：经由 {io} 的{op}",
    groupCompare: "{n} 种设计对比",
    groupOne: "单个分层结构",
    groupFast: "更快的网络 I/O",
    groupRun: "你的运行",
  },
};

export function sceneText(key, vars) {
  return fill(SCENE[lang()][key], vars);
}

// Why a request crosses a layer: the scene data carries the catalogue's tables
// (tutor/explanations/layers.py, "crossed" and "crossed_in"), so the narration and the exercises'
// feedback say the same sentence. Looked up most specific first: I/O path, operation, design.
function why(layer, { hv, op, io, why: table } = {}) {
  const special = table?.crossed_in ?? {};
  const entry = special[io]?.[layer] ?? special[op]?.[layer] ?? special[hv]?.[layer] ?? table?.crossed?.[layer];
  return entry ? pick(entry) : undefined;
}

// What each component does for each operation: the six components are the article's list.
const COMPONENT_DOES = {
  security_manager: {
    disk_read: { en: "checks the guest may use this disk", zh: "检查该客户机是否有权使用这块磁盘" },
    net_send: { en: "checks the guest may use this network interface", zh: "检查该客户机是否有权使用这个网络接口" },
    privileged: { en: "checks the guest may write this register", zh: "检查客户机是否有权写这个寄存器" },
    "": { en: "checks the guest is allowed to do this", zh: "检查客户机是否有权这样做" },
  },
  memory_manager: {
    disk_read: { en: "maps the guest's buffer so the data lands in the guest's own memory", zh: "映射客户机的缓冲区，让数据落入客户机自己的内存" },
    vhost: { en: "maps the guest's buffers so the thread reads the packet straight from guest memory", zh: "映射客户机的缓冲区，让线程直接从客户机内存读取数据包" },
    "": { en: "translates guest memory to machine memory", zh: "把客户机内存转换为机器内存" },
  },
  scheduler: {
    privileged: { en: "arms the vCPU's timer and decides when this vCPU runs again", zh: "为这个 vCPU 设好定时器，并决定它何时再次运行" },
    "type1_partition/disk_read": { en: "schedules the privileged partition's vCPU so that its back-end can run", zh: "调度特权分区的 vCPU，让它的后端驱动得以运行" },
    "type1_partition/net_send": { en: "schedules the privileged partition's vCPU so that its back-end can run", zh: "调度特权分区的 vCPU，让它的后端驱动得以运行" },
    "": { en: "lets other work run while the device is busy", zh: "在设备忙碌时让其他任务运行" },
  },
  io_stack: {
    "": { en: "turns the guest's request into a request on the real device", zh: "把客户机的请求变成对真实设备的请求" },
  },
  device_drivers: {
    "": { en: "program the real device", zh: "对真实设备进行编程" },
  },
  network_stack: {
    "": { en: "routes the packet from the virtual network card to the physical one", zh: "把数据包从虚拟网卡路由到物理网卡" },
  },
};

// The CPU transitions are crossed, not entered; on the way back each one is its own reverse.
const CROSSED = new Set(["vm_exit", "partition_switch", "world_switch", "kvm_run_return"]);
const UP_THROUGH = {
  partition_switch: { en: "The reply leaves the privileged partition: the hypervisor switches the CPU back towards the guest", zh: "应答离开特权分区：虚拟机监控程序把 CPU 切换回客户机这一侧" },
  vm_exit: { en: "The reply is back in the guest's world: a VM entry resumes guest mode", zh: "应答回到客户机的世界：一次 VM 进入恢复客户机模式" },
  world_switch: { en: "The reply switches the CPU back from the host's world to the VMM's", zh: "应答把 CPU 从宿主机的世界切换回 VMM 的世界" },
  kvm_run_return: { en: "The device model calls KVM_RUN again so the guest can resume", zh: "设备模型再次调用 KVM_RUN，让客户机继续运行" },
};

const T = {
  en: {
    start: "{hv}: the guest starts a {op}.",
    startIo: "{hv}, through {io}: the guest starts a {op}.",
    down: "The {op} enters {layer} ({cycles} cycles): {why}.",
    cross: "The {op} goes through {layer} ({cycles} cycles): {why}.",
    downNoCost: "The {op} enters {layer}.",
    up: "The reply returns up through {layer}.",
    stray: " {layer} is not part of the {hv} stack.",
    act: "In {layer}, {component} {does}.",
    end: "The {op} is complete: {total} cycles through the {hv} stack, {overhead} more than on a real machine ({native}).",
    endPlain: "The {op} is complete: {total} cycles.",
    entry: "KVM_RUN enters the guest at pc {pc}.",
    insn: "The guest executes {op} (pc {pc}).",
    exitIoOut: "KVM_RUN returns to user space with exit reason IO: the guest wrote {data} to port {port}.",
    exitIoIn: "KVM_RUN returns to user space with exit reason IO: the guest reads port {port} and waits for the value.",
    exitMmioW: "KVM_RUN returns to user space with exit reason MMIO: the guest wrote {data} to address {addr}.",
    exitMmioR: "KVM_RUN returns to user space with exit reason MMIO: the guest reads address {addr} and waits for the value.",
    exitHlt: "KVM_RUN returns to user space with exit reason HLT: the guest halted, and with no in-kernel interrupt controller in this VM user space decides what happens; the loop stops.",
    exitOther: "KVM_RUN returns to user space with exit reason {reason}.",
    complete: "The device model hands the guest the value {value}; the next KVM_RUN resumes it.",
    serial: "The serial port prints {char} ({value}).",
    input: "The input port answers {value}.",
    diskSelect: "The disk controller selects sector {sector}.",
    diskRead: "The disk returns {value} from sector {sector}.",
    deviceOther: "The {device} device is used{value}.",
    generic: "Event {kind}{fields}.",
    request: "request",
    stop: ".",
  },
  zh: {
    start: "{hv}：客户机发起一次{op}。",
    startIo: "{hv}，经由 {io}：客户机发起一次{op}。",
    down: "{op}进入{layer}（{cycles} 个周期）：{why}。",
    cross: "{op}经过{layer}（{cycles} 个周期）：{why}。",
    downNoCost: "{op}进入{layer}。",
    up: "应答向上返回，经过{layer}。",
    stray: "{layer}不属于{hv}的分层结构。",
    act: "在{layer}中，{component}{does}。",
    end: "{op}完成：经过{hv}的分层结构共 {total} 个周期，比真实机器（{native}）多 {overhead}。",
    endPlain: "{op}完成：共 {total} 个周期。",
    entry: "KVM_RUN 从 pc {pc} 进入客户机。",
    insn: "客户机执行 {op}（pc {pc}）。",
    exitIoOut: "KVM_RUN 带着退出原因 IO 返回用户态：客户机向端口 {port} 写入了 {data}。",
    exitIoIn: "KVM_RUN 带着退出原因 IO 返回用户态：客户机读取端口 {port}，正等着这个值。",
    exitMmioW: "KVM_RUN 带着退出原因 MMIO 返回用户态：客户机向地址 {addr} 写入了 {data}。",
    exitMmioR: "KVM_RUN 带着退出原因 MMIO 返回用户态：客户机读取地址 {addr}，正等着这个值。",
    exitHlt: "KVM_RUN 带着退出原因 HLT 返回用户态：客户机已停机；这个虚拟机没有内核中的中断控制器，由用户态决定接下来怎么办，循环就此结束。",
    exitOther: "KVM_RUN 带着退出原因 {reason} 返回用户态。",
    complete: "设备模型把值 {value} 交给客户机；下一次 KVM_RUN 让它继续运行。",
    serial: "串口输出 {char}（{value}）。",
    input: "输入端口返回 {value}。",
    diskSelect: "磁盘控制器选择扇区 {sector}。",
    diskRead: "磁盘从扇区 {sector} 返回 {value}。",
    deviceOther: "使用了 {device} 设备{value}。",
    generic: "事件 {kind}{fields}。",
    request: "请求",
    stop: "。",
  },
};

const say = (key, vars) => fill(T[lang()][key] ?? T.en[key], vars);

function capitalize(text) {
  return lang() === "en" ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function generic(event) {
  const fields = Object.entries(event ?? {})
    .filter(([key]) => key !== "seq" && key !== "kind")
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : value}`);
  return say("generic", {
    kind: `“${event?.kind ?? "?"}”`,
    fields: fields.length ? (lang() === "zh" ? `（${joinList(fields)}）` : ` (${joinList(fields)})`) : "",
  });
}

/**
 * One sentence for one event. `ctx` is what the animation knows at that moment: the stack the
 * event happens in (hv), the operation under way (op), whether the layer belongs to that stack
 * (inStack) and native costs, because a lone event does not carry them.
 */
export function describe(event, ctx = {}) {
  try {
    return capitalize(describeKnown(event, ctx) ?? generic(event));
  } catch {
    return generic(event);
  }
}

function describeKnown(e, ctx) {
  const op = ctx.opLabel ?? (ctx.op ? opName(ctx.op) : say("request"));
  switch (e.kind) {
    case "op.start":
      if (e.io) return say("startIo", { hv: hvName(e.hv ?? ctx.hv), op: opName(e.op), io: ioName(e.io) });
      return say("start", { hv: hvName(e.hv ?? ctx.hv), op: opName(e.op) });
    case "layer.enter": {
      const layer = layerLong(e.layer);
      let text;
      if (e.dir === "up") text = UP_THROUGH[e.layer] ? pick(UP_THROUGH[e.layer]) + say("stop") : say("up", { layer });
      else if (e.cycles > 0 && why(e.layer, ctx))
        text = say(CROSSED.has(e.layer) ? "cross" : "down", {
          op,
          layer,
          cycles: number(e.cycles),
          why: why(e.layer, ctx),
        });
      else text = say("downNoCost", { op, layer });
      if (ctx.inStack === false) text += say("stray", { layer: capitalize(layer), hv: hvName(ctx.hv) });
      return text;
    }
    case "component.act": {
      const table = COMPONENT_DOES[e.component];
      if (!table) return undefined;
      const does = pick(table[`${ctx.hv}/${ctx.op}`] ?? table[ctx.io] ?? table[ctx.op] ?? table[""]);
      return say("act", { layer: layerLong(e.layer), component: componentLong(e.component), does });
    }
    case "op.end": {
      const total = Number(e.cycles ?? 0);
      const native = ctx.native?.[e.op];
      if (total > 0 && native != null && ctx.hv)
        return say("end", {
          op: opName(e.op),
          hv: hvName(ctx.hv),
          total: number(total),
          native: number(native),
          overhead: number(total - native),
        });
      return say("endPlain", { op: opName(e.op), total: number(total) });
    }
    case "vcpu.entry":
      return say("entry", { pc: e.pc ?? "?" });
    case "guest.insn":
      return say("insn", { op: `“${e.op}”`, pc: e.pc ?? "?" });
    case "vcpu.exit":
      if (e.reason === "IO" && e.direction === "out") return say("exitIoOut", { data: e.data, port: HEX(e.port) });
      if (e.reason === "IO") return say("exitIoIn", { port: HEX(e.port) });
      if (e.reason === "MMIO" && e.is_write) return say("exitMmioW", { data: e.data, addr: HEX(e.addr) });
      if (e.reason === "MMIO") return say("exitMmioR", { addr: HEX(e.addr) });
      if (e.reason === "HLT") return say("exitHlt");
      return say("exitOther", { reason: e.reason });
    case "vcpu.complete":
      return say("complete", { value: e.value });
    case "device.io":
      if (e.device === "serial")
        return say("serial", { char: JSON.stringify(String.fromCharCode(e.value)), value: e.value });
      if (e.device === "input") return say("input", { value: e.value });
      if (e.device === "disk" && e.value == null) return say("diskSelect", { sector: e.sector });
      if (e.device === "disk") return say("diskRead", { sector: e.sector, value: e.value });
      return say("deviceOther", { device: e.device, value: e.value == null ? "" : ` (${e.value})` });
    default:
      return undefined;
  }
}
