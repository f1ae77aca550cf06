// Lesson 7: one guest kernel, run on bare metal and then under a trap-and-emulate VMM. A list of
// the kernel's instructions shows where each run has got to and which instructions trapped;
// two cards below show what the guest sees in each run, the values that differ from bare metal
// in red; at the end the model's verdict says whether the guest can tell.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { joinList, joinSentences, lang, ui } from "./describe.js";
import { say } from "./trap-and-emulate-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
// Rows and card lines 18 and 17 units apart (14-unit text): the toy ISA's table, both cards and the
// verdict fit a 740 px phone screen with the controls and the narration under them.
const ROW = 18;
const LINE = 17;
const COL = { pc: X0, insn: 44, native: 186, vmm: 270 };
const CARD_W = 164;
const MAX_EVENTS = 2000;
const FIELDS = ["regs", "iflag", "base", "bound", "io", "halted"];

let instances = 0;

const show = (insn) => (insn ?? []).join(" ");
// Two texts on one row of a card keep this much room between them.
const GAP = 12;
// A generous width of a 14-unit text: a Han character is 14 units, anything else at most 9.
const roughWidth = (text) => [...String(text)].reduce((w, ch) => w + (ch >= "\u2e80" ? 14 : 9), 0);
const ioText = (io) => (io?.length ? joinList(io) : say("none"));

function blank() {
  return { regs: { a: 0, b: 0 }, iflag: 1, base: 0, bound: 32, io: [], halted: false, pc: null, steps: [] };
}

function differing(a, b) {
  if (!a || !b) return [];
  return FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

export default function createTrapAndEmulate(stage, data, d3) {
  const uid = `viz-te-${++instances}`;
  const labels = { toy: "sceneToy", popf: "scenePopf", sgdt: "sceneSgdt", umip: "sceneUmip" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneToy"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "trap-and-emulate")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "te-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function programOf(scene) {
    if (Array.isArray(scene?.program)) return scene.program;
    const program = [];
    for (const e of scene?.events ?? []) {
      if ((e.kind === "isa.retire" || e.kind === "isa.exec" || e.kind === "isa.trap") && Number.isInteger(e.pc)) {
        program[e.pc] = program[e.pc] ?? e.insn;
      }
    }
    return Array.from(program, (insn) => insn ?? ["?"]);
  }

  function initial(scene) {
    return { program: programOf(scene), native: blank(), vmm: { ...blank(), traps: 0, trapped: [] }, current: null, verdict: null };
  }

  function retire(run, e) {
    return {
      ...run,
      regs: { ...(e.regs ?? run.regs) },
      iflag: e.iflag,
      base: e.base,
      bound: e.bound,
      io: [...(e.io ?? [])],
      halted: Boolean(e.halted),
      pc: e.pc,
      steps: [...run.steps, e],
    };
  }

  function reduce(state, e) {
    const next = { ...state, current: null };
    switch (e?.kind) {
      case "isa.exec":
        next.current = { kind: "exec", run: e.run, pc: e.pc };
        break;
      case "isa.trap":
        next.vmm = { ...state.vmm, traps: state.vmm.traps + 1, trapped: [...state.vmm.trapped, e.pc], pc: e.pc };
        next.current = { kind: "trap", run: "vmm", pc: e.pc };
        break;
      case "isa.emulate":
        next.current = { kind: "emulate", run: "vmm", pc: state.vmm.pc };
        break;
      case "isa.retire":
        if (e.run === "native") next.native = retire(state.native, e);
        else next.vmm = { ...retire(state.vmm, e), traps: state.vmm.traps, trapped: state.vmm.trapped };
        next.current = { kind: "retire", run: e.run, pc: e.pc, trapped: Boolean(e.trapped) };
        break;
      case "isa.compare":
        next.verdict = { diverges: Boolean(e.diverges), differences: e.differences ?? [], traps: e.traps ?? state.vmm.traps };
        next.current = { kind: "compare" };
        break;
      default:
        break;
    }
    return next;
  }

  // The fields in which the guest under the VMM, after its k-th instruction, sees something other
  // than bare metal showed after its k-th: how a leak is spotted as it happens.
  function leaks(state) {
    const k = state.vmm.steps.length - 1;
    if (k < 0) return [];
    return differing(state.vmm.steps[k], state.native.steps[k]);
  }

  function fieldWords(fields) {
    const known = fields.filter((f) => f !== "halted");
    return joinList((known.length ? known : fields).map((f) => say(`f_${f}`) ?? f));
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function stateWords(e) {
    const regs = e.regs ?? {};
    return say("state", { a: regs.a, b: regs.b, iflag: e.iflag, base: e.base, io: e.io?.length ? say("stateIo", { io: joinList(e.io) }) : "" });
  }

  function describeStep({ event: e, state }) {
    switch (e.kind) {
      case "isa.exec":
        return say(e.run === "native" ? "execNative" : "exec", { pc: e.pc, insn: show(e.insn) });
      case "isa.trap":
        return say("trap", { pc: e.pc, insn: show(e.insn) });
      case "isa.emulate":
        return say("emulate", { insn: show(e.insn), iflag: e.iflag, base: e.base, bound: e.bound });
      case "isa.retire": {
        const insn = show(e.insn);
        if (e.run === "native") {
          const head = say(e.halted ? "nativeHalt" : "nativeStep", { pc: e.pc, insn });
          return joinSentences(head, stateWords(e));
        }
        const head = e.trapped ? say("vmmEmulated", { insn }) : say("vmmDirect", { pc: e.pc, insn });
        const leaked = leaks(state);
        const tail = leaked.length ? say("vmmLeak", { fields: fieldWords(leaked) }) : say("vmmMatches");
        return joinSentences(head, stateWords(e)) + tail;
      }
      case "isa.compare":
        return e.diverges
          ? say("compareDiffer", { fields: fieldWords(e.differences ?? []) })
          : say("compareSame", { traps: e.traps ?? 0 });
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  // A card's lines, four rows at most: the trap count shares the interrupt flag's row and
  // "halted" the output's, each at the right edge (a long output keeps "halted" on a row of its
  // own), so the cards stay as short as the table above them allows on a phone.
  function card(x, y, title, run, diff, extra) {
    const g = drawing.append("g").attr("class", "te-card").attr("data-run", extra ? "vmm" : "native");
    const mark = (field, text) => {
      const bad = diff.includes(field) || (field === "base" && diff.includes("bound"));
      return { field, bad, text: bad ? `≠ ${text}` : text };
    };
    const rows = [
      [mark("regs", say("regs", { a: run.regs.a, b: run.regs.b }))],
      [mark("iflag", say("flag", { iflag: run.iflag }))],
      [mark("base", say("reloc", { base: run.base, bound: run.bound }))],
      [mark("io", say("output", { io: ioText(run.io) }))],
    ];
    if (extra) rows[1].push({ field: "traps", bad: false, text: extra });
    if (run.halted) {
      const halted = mark("halted", say("halted"));
      if (roughWidth(rows[3][0].text) + GAP + roughWidth(halted.text) <= CARD_W - 16) rows[3].push(halted);
      else rows.push([halted]);
    }
    const h = 22 + rows.length * LINE + 5;
    g.append("rect").attr("class", "te-card-box").attr("x", x).attr("y", y).attr("width", CARD_W).attr("height", h).attr("rx", 4);
    g.append("text").attr("class", "te-card-title").attr("x", x + 8).attr("y", y + 17).text(title);
    rows.forEach((row, i) => {
      row.forEach(({ field, bad, text }, side) => {
        g.append("text")
          .attr("class", `te-line${bad ? " is-diff" : ""}`)
          .attr("data-field", field)
          .attr("x", side ? x + CARD_W - 8 : x + 8)
          .attr("text-anchor", side ? "end" : null)
          .attr("y", y + 35 + i * LINE)
          .text(text);
      });
    });
    return h;
  }

  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    const program = state.program ?? [];
    if (!program.length) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "te-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    let y = 8;
    const head = drawing.append("g").attr("class", "te-head");
    for (const [key, word] of [["pc", "colPc"], ["insn", "colInsn"], ["native", "colNative"], ["vmm", "colVmm"]]) {
      head.append("text").attr("x", COL[key]).attr("y", y + 14).text(say(word));
    }
    y += 20;
    const current = state.current;
    const nativeRan = new Set(state.native.steps.map((e) => e.pc));
    const vmmRan = new Set(state.vmm.steps.map((e) => e.pc));
    const trapped = new Set(state.vmm.trapped);
    program.forEach((insn, pc) => {
      const row = drawing.append("g").attr("class", "te-row").attr("data-pc", pc);
      const here = current && current.pc === pc && current.run;
      if (here) {
        row.classed(`is-current is-${current.run}`, true);
        row.append("rect").attr("class", "te-current").attr("x", X0 - 4).attr("y", y).attr("width", W - 2 * X0 + 8).attr("height", ROW).attr("rx", 3);
      }
      row.append("text").attr("class", "te-pc").attr("x", COL.pc).attr("y", y + 14).text(pc);
      row.append("text").attr("class", "te-insn").attr("x", COL.insn).attr("y", y + 14).text(show(insn));
      if (nativeRan.has(pc)) row.append("text").attr("class", "te-ran").attr("data-run", "native").attr("x", COL.native).attr("y", y + 14).text(`✓ ${say("ran")}`);
      if (trapped.has(pc)) {
        row.append("text").attr("class", "te-trap").attr("data-run", "vmm").attr("x", COL.vmm).attr("y", y + 14).text(`⤵ ${say("trapped")}`);
      } else if (vmmRan.has(pc)) {
        row.append("text").attr("class", "te-direct").attr("data-run", "vmm").attr("x", COL.vmm).attr("y", y + 14).text(`✓ ${say("direct")}`);
      }
      y += ROW;
    });
    y += 8;
    const verdict = state.verdict;
    const diff = verdict ? verdict.differences : leaks(state);
    const h1 = card(X0, y, say("cardNative"), state.native, [], null);
    const h2 = card(X0 + CARD_W + 8, y, say("cardVmm"), state.vmm, state.vmm.steps.length ? diff : [], say("traps", { n: state.vmm.traps }));
    y += Math.max(h1, h2) + 6;
    drawing.append("text").attr("class", "te-real").attr("x", X0).attr("y", y + 12).text(say("realCpu", { base: 32 }));
    y += 20;
    if (verdict) {
      const good = !verdict.diverges && !failed;
      const box = drawing.append("g").attr("class", `te-verdict ${good ? "is-good" : "is-bad"}`);
      box.append("rect").attr("x", X0).attr("y", y).attr("width", W - 2 * X0).attr("height", 26).attr("rx", 4);
      const words = verdict.diverges ? say("differ", { fields: fieldWords(verdict.differences) }) : say("same");
      box.append("text").attr("x", X0 + 10).attr("y", y + 18).text(`${good ? "✓" : "✗"} ${words}`);
      y += 32;
    }
    svg.attr("viewBox", `0 0 ${W} ${y + 4}`);
    if (duration > 0) {
      drawing.selectAll(".te-current").style("opacity", 0.2).transition().duration(duration).style("opacity", 1);
    }
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
