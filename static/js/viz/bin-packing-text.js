// Words of the bin-packing animation (lesson 12), English and Chinese. Each step's sentence must
// make sense read aloud without the picture.

import { lang, zhText } from "./describe.js";

const TEXT = {
  en: {
    title: "Hosts as bins: guests packed by memory, hosts powering on, and an overloaded host relieved by live migration",
    desc: "One column per host, filled from the bottom by its guests' memory, each guest labelled with its size in pages; a host that is off is drawn dashed. Under each host, a bar shows its CPU utilization against the overload threshold when there is one.",
    sceneFfd: "First-Fit-Decreasing on the tight fixture: 11 hosts",
    sceneOptimum: "The optimum for the same guests: 9 hosts",
    sceneOverload: "An overloaded host relieved by live migration",
    groupLesson: "The lesson",
    groupRun: "Your run",
    yourRun: "Your run: {name}",
    empty: "Press Play: empty hosts appear, then guests arrive to be packed.",
    hostsOn: "hosts on: {n} of {total}",
    threshold: "threshold {pct} %",
    off: "off",
    create: "{n} empty hosts, each with {pages} pages of memory and {cores} cores. They are off until a guest lands on them.",
    demands: "{n} guests to place, of {sizes} pages.",
    demandsMany: "{n} guests to place, from {max} down to {min} pages.",
    placeFfd: "FFD takes the largest guest left, {vm} ({pages} pages), and puts it on {host}, the first host where it fits: {host} is now {fill} % full.",
    placeFirstFit: "{vm} ({pages} pages) goes on {host}, the first host where it fits: {host} is now {fill} % full.",
    placeOther: "{vm} ({pages} pages) goes on {host} ({policy}): {host} is now {fill} % full.",
    placePlain: "{vm} ({pages} pages) goes on {host}: {host} is now {fill} % full.",
    policy_optimum: "the optimal packing",
    policy_by_hand: "placed there by hand",
    skipped: " Hosts before it have too little room left: {skipped}.",
    powerOn: "{host} powers on: one more host drawing power ({n} on).",
    powerOff: "{host} is empty and powers off ({n} on).",
    thresholdSet: "A host above {pct} % CPU is overloaded. Overloaded: {hot}. Each hands its smallest guests (the cheapest to migrate) to the first host that stays at or under {pct} %.",
    noneHot: "none",
    move: "{vm} ({pages} pages) is live-migrated from {source} to {host}. {source} falls from {before} % to {after} % CPU; {host} rises to {target} %.",
    stillHot: " {source} is still over {pct} %: the next smallest guest goes too.",
    relieved: " {source} is no longer overloaded.",
    unknown: "Step: {kind}.",
  },
  zh: {
    title: "把宿主机看作箱子：按内存装入客户机，宿主机开机，过载的宿主机通过实时迁移减负",
    desc: "每台宿主机一列，由它的客户机内存从下往上填充，每台客户机标出以页为单位的大小；关机的宿主机用虚线画出。如果设定了过载阈值，每台宿主机下方有一根条，显示它的 CPU 利用率与阈值的对比。",
    sceneFfd: "在紧例上运行首次适应递减：11 台宿主机",
    sceneOptimum: "同样这些客户机的最优装法：9 台宿主机",
    sceneOverload: "过载的宿主机通过实时迁移减负",
    groupLesson: "课程",
    groupRun: "你的运行",
    yourRun: "你的运行：{name}",
    empty: "点击播放：先出现空的宿主机，然后客户机陆续到来等待装入。",
    hostsOn: "开机的宿主机：{n} / {total}",
    threshold: "阈值 {pct} %",
    off: "关机",
    create: "{n} 台空的宿主机，每台有 {pages} 页内存和 {cores} 个核心。在有客户机放上去之前，它们都是关机的。",
    demands: "有 {n} 台客户机要放置，大小分别为 {sizes} 页。",
    demandsMany: "有 {n} 台客户机要放置，大小从 {max} 页到 {min} 页不等。",
    placeFfd: "首次适应递减取出剩下最大的客户机 {vm}（{pages} 页），放到第一台放得下它的宿主机 {host} 上：{host} 现在已用 {fill} %。",
    placeFirstFit: "{vm}（{pages} 页）放到第一台放得下它的宿主机 {host} 上：{host} 现在已用 {fill} %。",
    placeOther: "{vm}（{pages} 页）放到 {host} 上（{policy}）：{host} 现在已用 {fill} %。",
    placePlain: "{vm}（{pages} 页）放到 {host} 上：{host} 现在已用 {fill} %。",
    policy_optimum: "最优装箱",
    policy_by_hand: "手工放到那里",
    skipped: "它前面的宿主机剩余空间不够：{skipped}。",
    powerOn: "{host} 开机：又多了一台耗电的宿主机（共 {n} 台开机）。",
    powerOff: "{host} 空了，关机（共 {n} 台开机）。",
    thresholdSet: "CPU 利用率超过 {pct} % 的宿主机就算过载。过载的有：{hot}。每台过载的宿主机把最小的客户机（迁移代价最低）交给第一台接收后仍不超过 {pct} % 的宿主机。",
    noneHot: "无",
    move: "{vm}（{pages} 页）从 {source} 实时迁移到 {host}。{source} 的 CPU 利用率从 {before} % 降到 {after} %；{host} 升到 {target} %。",
    stillHot: "{source} 仍然超过 {pct} %：下一台最小的客户机也要迁走。",
    relieved: "{source} 不再过载。",
    unknown: "步骤：{kind}。",
  },
};

/** The sentence `key` in the page's language, its {placeholders} filled (and spaced in Chinese). */
export function say(key, vars = {}) {
  const table = TEXT[lang()];
  const template = table[key] ?? TEXT.en[key] ?? key;
  const text = template.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
  return lang() === "zh" ? zhText(text) : text;
}
