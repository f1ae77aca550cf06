// Words of the migration-rounds animation (lesson 11), English and Chinese. Each step's sentence
// must make sense read aloud without the picture.

import { spaceCjk } from "../zh-spacing.js";
import { lang } from "./describe.js";

const TEXT = {
  en: {
    title: "Pre-copy live migration: each round's copy, the memory dirtied meanwhile, and the downtime",
    desc: "One bar per round, its length the megabytes sent while the guest runs; under it, what the guest dirtied meanwhile. A red bar is the stop-and-copy, and the timeline at the bottom shows running time and the pause.",
    sceneConverges: "Dirties slower than the link: rounds shrink",
    sceneNever: "Dirties as fast as the link: v2 stops after 5 rounds",
    sceneLegacy: "The same guest under Xen ≤ 4.5: the 3× memory rule",
    sceneWws: "A small writable working set",
    groupLesson: "The lesson",
    groupRun: "Your run",
    yourRun: "Your run: {name}",
    empty: "Press Play: a running guest starts moving to another host.",
    header: "{guest}: {memory} MB over {rate} · rules {rules}",
    rateFixed: "{rate} Mb/s",
    rateAdaptive: "the paper's adaptive rate",
    rulesV2: "xen-v2 (Xen ≥ 4.6)",
    rulesLegacy: "xen-4.5 (Xen ≤ 4.5)",
    roundLabel: "R{i}",
    roundValue: "{mb} MB",
    dirtiedValue: "dirtied {mb}",
    stopLabel: "pause",
    stopValue: "{mb} MB · {ms} ms",
    legendSent: "sent while running",
    legendDirtied: "dirtied meanwhile",
    legendPause: "stop-and-copy (guest paused)",
    timeline: "running {running} s · paused {paused} ms",
    start: "Migrating {guest}: {memory} MB of memory over {rate}, stop rules {rules}. Round 0 copies all of memory while the guest keeps running.",
    round: "Round {i}: {sent} MB sent in {seconds} s while the guest runs; meanwhile it dirtied {dirtied} MB, which the next round must send again.",
    shrinking: " Each round is {ratio} of the one before: the series V_i = M·(d/B)^i.",
    growing: " The round did not shrink: the guest dirties memory as fast as the link sends it.",
    stopConverged: "Round {i} sent only {pages} pages, under 50: the rules stop the live rounds.",
    stopMaxRounds: "{n} live rounds is the limit of {rules}: pre-copy stops although {dirty} MB are still dirty.",
    stopMaxSent: "{total} MB sent so far is more than 3× memory: the Xen ≤ 4.5 rules give up.",
    stopClean: "Nothing was dirtied during round {i}: there is nothing left to send live.",
    stopCopy: "The guest is paused and the last {mb} MB are copied in {ms} ms. That pause is the downtime.",
    done: "{guest} runs on the target host. {total} MB were sent in {seconds} s in all, {factor}× its memory; the guest was paused for {ms} ms of it.",
    unknown: "Step: {kind}.",
  },
  zh: {
    title: "预复制实时迁移：每一轮复制的量、期间被写脏的内存，以及停机时间",
    desc: "每一轮一根条，长度是客户机运行时发送的 MB 数；下面一根是这段时间里客户机写脏的量。红色条是停机复制，底部的时间线显示运行时间和暂停时间。",
    sceneConverges: "写脏速度低于链路：每轮越来越小",
    sceneNever: "写脏和链路一样快：v2 在 5 轮后停止",
    sceneLegacy: "同一客户机在 Xen ≤ 4.5 下：3 倍内存规则",
    sceneWws: "很小的可写工作集",
    groupLesson: "课程",
    groupRun: "你的运行",
    yourRun: "你的运行：{name}",
    empty: "点击播放：一台正在运行的客户机开始迁移到另一台宿主机。",
    header: "{guest}：{memory} MB，链路 {rate}，规则 {rules}",
    rateFixed: "{rate} Mb/s",
    rateAdaptive: "论文的自适应速率",
    rulesV2: "xen-v2（Xen ≥ 4.6）",
    rulesLegacy: "xen-4.5（Xen ≤ 4.5）",
    roundLabel: "R{i}",
    roundValue: "{mb} MB",
    dirtiedValue: "写脏 {mb}",
    stopLabel: "暂停",
    stopValue: "{mb} MB · {ms} ms",
    legendSent: "运行时发送",
    legendDirtied: "期间写脏",
    legendPause: "停机复制（客户机暂停）",
    timeline: "运行 {running} 秒 · 暂停 {paused} 毫秒",
    start: "迁移 {guest}：{memory} MB 内存，链路 {rate}，停止规则 {rules}。第 0 轮在客户机继续运行的同时复制全部内存。",
    round: "第 {i} 轮：客户机运行期间用 {seconds} 秒发送了 {sent} MB；这段时间里它又写脏了 {dirtied} MB，下一轮必须重新发送。",
    shrinking: "每一轮是上一轮的 {ratio}：这就是级数 V_i = M·(d/B)^i。",
    growing: "这一轮没有变小：客户机写脏内存的速度和链路发送的速度一样快。",
    stopConverged: "第 {i} 轮只发送了 {pages} 页，少于 50 页：规则结束实时复制轮次。",
    stopMaxRounds: "{n} 轮实时复制是 {rules} 的上限：虽然还有 {dirty} MB 脏内存，预复制也到此为止。",
    stopMaxSent: "到目前为止已发送 {total} MB，超过内存的 3 倍：Xen ≤ 4.5 的规则放弃继续。",
    stopClean: "第 {i} 轮期间没有内存被写脏：已经没有需要实时发送的内容。",
    stopCopy: "客户机暂停，最后的 {mb} MB 用 {ms} 毫秒复制完。这段暂停就是停机时间。",
    done: "{guest} 在目标宿主机上运行。总共用 {seconds} 秒发送了 {total} MB，是其内存的 {factor} 倍；其中客户机暂停了 {ms} 毫秒。",
    unknown: "步骤：{kind}。",
  },
};

/** The sentence `key` in the page's language, its {placeholders} filled (and spaced in Chinese). */
export function say(key, vars = {}) {
  const table = TEXT[lang()];
  const template = table[key] ?? TEXT.en[key] ?? key;
  const text = template.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
  return lang() === "zh" ? spaceCjk(text) : text;
}
