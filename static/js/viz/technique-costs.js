// Lesson 8: an operation mix costed under native execution, binary translation (BT) and hardware
// assist. Three bars grow as the model adds each operation of the mix, split by operation, so
// the operation that decides the comparison is the segment that makes one bar long; a key lists
// each operation's count and its cycles per operation. The verdict is the model's cost.total.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { formatNumber, lang, ui } from "./describe.js";
import { say } from "./technique-costs-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const BAR_W = W - 2 * X0;
const TECHNIQUES = ["native", "bt", "hw"];
const OPS = ["plain", "pte_write", "page_fault", "syscall", "tlb_miss"];
const MAX_EVENTS = 2000;

let instances = 0;

const fmt = (n) => formatNumber(Number(n));
const opName = (op) => (OPS.includes(op) ? say(`op_${op}`) : op);
const techName = (t) => say(`t_${t}`);

export default function createTechniqueCosts(stage, data, d3) {
  const uid = `viz-tc-${++instances}`;
  const labels = {
    "compile-2006": "sceneCompile2006",
    "compile-nested": "sceneCompileNested",
    "syscalls-2006": "sceneSyscalls2006",
    "tlb-nested": "sceneTlbNested",
  };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneCompile2006"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "technique-costs")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "tc-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  // The bars share one scale for the whole scene: the largest total any run of it reaches.
  function scaleOf(scene) {
    let most = 1;
    let running = { native: 0, bt: 0, hw: 0 };
    for (const e of scene?.events ?? []) {
      if (e.kind === "cost.hardware") running = { native: 0, bt: 0, hw: 0 };
      if (e.kind === "cost.op") for (const t of TECHNIQUES) running[t] += Number(e.cycles?.[t] ?? 0);
      if (e.kind === "cost.total") for (const t of TECHNIQUES) running[t] = Number(e.cycles?.[t] ?? running[t]);
      most = Math.max(most, ...TECHNIQUES.map((t) => running[t]));
    }
    const runs = (scene?.events ?? []).filter((e) => e.kind === "cost.hardware").length;
    return { most, runs };
  }

  function initial(scene) {
    return { ...scaleOf(scene), run: 0, hardware: null, ops: [], totals: { native: 0, bt: 0, hw: 0 }, verdict: null, current: null };
  }

  function reduce(state, e) {
    const next = { ...state, current: null };
    switch (e?.kind) {
      case "cost.hardware":
        return { ...state, run: state.run + 1, hardware: e.hardware, ops: [], totals: { native: 0, bt: 0, hw: 0 }, verdict: null, current: { kind: "start" } };
      case "cost.op": {
        next.ops = [...state.ops, { op: e.op, count: e.count, perOp: { ...e.per_op }, cycles: { ...e.cycles } }];
        next.totals = Object.fromEntries(TECHNIQUES.map((t) => [t, state.totals[t] + Number(e.cycles?.[t] ?? 0)]));
        next.current = { kind: "op", op: e.op };
        break;
      }
      case "cost.total":
        next.totals = { ...e.cycles };
        next.verdict = { cheaper: e.cheaper };
        next.current = { kind: "total" };
        break;
      default:
        break;
    }
    return next;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function describeStep({ event: e }) {
    switch (e.kind) {
      case "cost.hardware":
        return say("start", { hardware: say(`hw_${e.hardware}`), ops: (e.ops ?? []).map(opName).join(lang() === "zh" ? "、" : ", ") });
      case "cost.op": {
        const c = e.cycles ?? {};
        const p = e.per_op ?? {};
        let text = say("step", {
          count: fmt(e.count),
          op: opName(e.op),
          native: fmt(c.native),
          bt: fmt(c.bt),
          hw: fmt(c.hw),
          pn: fmt(p.native),
          pb: fmt(p.bt),
          ph: fmt(p.hw),
        });
        const gap = Number(c.bt) - Number(c.hw);
        if (gap === 0) text += say("even");
        else text += say("ahead", { technique: techName(gap > 0 ? "hw" : "bt"), gap: fmt(Math.abs(gap)) });
        return text;
      }
      case "cost.total": {
        const c = e.cycles ?? {};
        const win = e.cheaper === "bt" ? "bt" : "hw";
        const lose = win === "bt" ? "hw" : "bt";
        const ratio = (Number(c[lose]) / Math.max(1, Number(c[win]))).toFixed(1);
        return say("done", { bt: fmt(c.bt), hw: fmt(c.hw), native: fmt(c.native), technique: techName(win), ratio });
      }
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    if (!state.hardware) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "tc-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    let y = 8;
    const head = drawing.append("g").attr("class", "tc-head");
    head.append("text").attr("class", "tc-title").attr("x", X0).attr("y", y + 14).text(say("hardwareTitle")); // the hardware itself in words, on the line below
    y += 20;
    head.append("text").attr("class", "tc-subtitle").attr("x", X0).attr("y", y + 14).text(say(`hw_${state.hardware}`));
    y += 20;
    if (state.runs > 1) {
      head.append("text").attr("class", "tc-subtitle").attr("x", X0).attr("y", y + 14).text(say("runOf", { i: state.run, n: state.runs }));
      y += 20;
    }
    y += 6;
    const scale = (v) => (BAR_W * Number(v)) / state.most;
    for (const t of TECHNIQUES) {
      const g = drawing.append("g").attr("class", `tc-bar is-${t}${state.verdict?.cheaper === t ? " is-cheaper" : ""}`).attr("data-technique", t);
      g.append("text").attr("class", "tc-bar-label").attr("x", X0).attr("y", y + 14).text(say("barLine", { technique: techName(t), cycles: fmt(state.totals[t]) }));
      g.append("rect").attr("class", "tc-track").attr("x", X0).attr("y", y + 20).attr("width", BAR_W).attr("height", 18).attr("rx", 2);
      let x = X0;
      for (const entry of state.ops) {
        const w = scale(entry.cycles[t]);
        const seg = g
          .append("rect")
          .attr("class", `tc-seg tc-op-${OPS.includes(entry.op) ? entry.op : "other"}${state.current?.op === entry.op ? " is-current" : ""}`)
          .attr("data-op", entry.op)
          .attr("x", x)
          .attr("y", y + 20)
          .attr("width", Math.max(0, w))
          .attr("height", 18);
        if (duration > 0 && state.current?.op === entry.op) seg.attr("width", 0).transition().duration(duration).attr("width", Math.max(0, w));
        x += w;
      }
      y += 46;
    }
    // The key: each operation of the mix, its count and cycles per operation.
    const key = drawing.append("g").attr("class", "tc-key");
    key.append("text").attr("class", "tc-key-head").attr("x", X0).attr("y", y + 14).text(say("keyHead"));
    y += 20;
    for (const entry of state.ops) {
      const row = key.append("g").attr("class", `tc-key-line${state.current?.op === entry.op ? " is-current" : ""}`).attr("data-op", entry.op);
      row.append("rect").attr("class", `tc-seg tc-op-${OPS.includes(entry.op) ? entry.op : "other"}`).attr("x", X0).attr("y", y + 3).attr("width", 14).attr("height", 14).attr("rx", 2);
      row.append("text").attr("x", X0 + 20).attr("y", y + 15).text(say("keyLine", { op: opName(entry.op), count: fmt(entry.count), native: fmt(entry.perOp.native), bt: fmt(entry.perOp.bt), hw: fmt(entry.perOp.hw) }));
      y += 20;
    }
    if (state.verdict) {
      y += 6;
      const win = state.verdict.cheaper === "bt" ? "bt" : "hw";
      const lose = win === "bt" ? "hw" : "bt";
      const box = drawing.append("g").attr("class", "tc-verdict").attr("data-cheaper", win);
      const verdict = say("cheaper", { technique: techName(win), winner: fmt(state.totals[win]), loser: fmt(state.totals[lose]) });
      const { height } = drawLines(box, verdict, { x: X0 + 10, y: y + 19, width: BAR_W - 20 });
      box.insert("rect", "text").attr("x", X0).attr("y", y).attr("width", BAR_W).attr("height", height + 10).attr("rx", 4);
      y += height + 16;
    }
    svg.attr("viewBox", `0 0 ${W} ${y + 4}`);
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter((e) => e && typeof e === "object");
    let label = say("yourRun", { name: caseName ?? "" });
    if (events.length > MAX_EVENTS) label += ui("truncated", { n: MAX_EVENTS });
    return {
      id: "replay",
      kind: "replay",
      label,
      group: say("groupRun"),
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default, initial, reduce, render, describe: describeStep, replayScene };
}
