// Words of the technique-costs animation (lesson 8), English and Chinese. Each step's sentence
// must make sense read aloud without the picture.

import { lang, zhText } from "./describe.js";

const TEXT = {
  en: {
    title: "An operation mix costed under native execution, binary translation and hardware assist",
    desc: "Three bars, one per technique, grow as each operation of the mix is added, split by operation; a key gives each operation's count and its cycles per operation under the three techniques.",
    sceneCompile2006: "2006 VT-x: page-table-heavy build",
    sceneCompileNested: "Nested paging: the same build",
    sceneSyscalls2006: "2006 VT-x: system-call heavy",
    sceneTlbNested: "Nested paging: TLB-miss heavy",
    groupLesson: "The lesson",
    groupRun: "Your run",
    yourRun: "Your run: {name}",
    empty: "Press Play: the mix is added up one operation at a time.",
    "hw_nested-paging": "hardware assist with nested paging (EPT/NPT)",
    "hw_vt-x-2006": "first-generation VT-x (2006), shadow page tables",
    hardwareTitle: "Hardware",
    runOf: "run {i} of {n}",
    t_native: "native",
    t_bt: "BT",
    t_hw: "hardware assist",
    barLine: "{technique}: {cycles} cycles",
    keyLine: "{op} ×{count}: {native} / {bt} / {hw}",
    keyHead: "per operation: native / BT / hardware assist",
    op_plain: "ordinary instructions",
    op_pte_write: "PTE writes",
    op_page_fault: "page faults",
    op_syscall: "system calls",
    op_tlb_miss: "TLB misses",
    cheaper: "{technique} is cheaper: {winner} vs {loser}",
    start: "Hardware: {hardware}. The mix: {ops}. All three bars start at zero.",
    step: "{count} {op}: {native} cycles natively, {bt} under BT, {hw} under hardware assist ({pn} / {pb} / {ph} per operation).",
    ahead: " This operation alone puts {technique} ahead by {gap} cycles.",
    even: " It costs both techniques the same.",
    done: "Done: BT {bt} cycles, hardware assist {hw}, native {native}. {technique} is cheaper, {ratio}× faster than the other.",
    unknown: "Step: {kind}.",
  },
  zh: {
    title: "一个操作组合分别在原生执行、二进制翻译和硬件辅助下的代价",
    desc: "三根条对应三种技术，随着组合中每种操作的加入而变长，并按操作分段；图例给出每种操作的次数，以及它在三种技术下每次的周期数。",
    sceneCompile2006: "2006 年 VT-x：大量写页表的编译",
    sceneCompileNested: "嵌套分页：同样的编译",
    sceneSyscalls2006: "2006 年 VT-x：大量系统调用",
    sceneTlbNested: "嵌套分页：大量 TLB 未命中",
    groupLesson: "本课",
    groupRun: "你的运行",
    yourRun: "你的运行：{name}",
    empty: "按“播放”：组合中的操作会逐个累加起来。",
    "hw_vt-x-2006": "第一代 VT-x（2006 年），使用影子页表",
    "hw_nested-paging": "带嵌套分页（EPT/NPT）的硬件辅助",
    hardwareTitle: "硬件",
    runOf: "第 {i} 次运行，共 {n} 次",
    t_native: "原生",
    t_bt: "二进制翻译",
    t_hw: "硬件辅助",
    barLine: "{technique}：{cycles} 个周期",
    keyLine: "{op} ×{count}：{native} / {bt} / {hw}",
    keyHead: "每次操作：原生 / 二进制翻译 / 硬件辅助",
    op_plain: "普通指令",
    op_pte_write: "页表项写入",
    op_page_fault: "缺页异常",
    op_syscall: "系统调用",
    op_tlb_miss: "TLB 未命中",
    cheaper: "{technique}更便宜：{winner} 对 {loser}",
    start: "硬件：{hardware}。组合：{ops}。三根条都从零开始。",
    step: "{count} 次{op}：原生 {native} 个周期，二进制翻译 {bt} 个，硬件辅助 {hw} 个（每次分别为 {pn} / {pb} / {ph}）。",
    ahead: "单是这种操作就让{technique}领先 {gap} 个周期。",
    even: "它在两种技术下的代价相同。",
    done: "完成：二进制翻译 {bt} 个周期，硬件辅助 {hw} 个，原生 {native} 个。{technique}更便宜，比另一种快 {ratio} 倍。",
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
