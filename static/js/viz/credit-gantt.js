// Lesson 9: a scheduler's Gantt chart. For round robin, one row per job and a block for every
// quantum it ran; for Xen's credit scheduler, one row per pCPU with a block for every 10 ms tick,
// coloured by the vCPU that ran, and under it one credit bar per vCPU (UNDER to the right of the
// zero line, OVER to the left, a parked vCPU hatched). The reducer mirrors the model: each tick
// the running vCPU pays 100 credits, and each accounting event sets the credits the model paid.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { formatNumber, joinList, lang, ui } from "./describe.js";
import { say } from "./credit-gantt-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const LABEL_W = 58;
const CHART_X = X0 + LABEL_W;
const CHART_W = W - CHART_X - X0;
const ROW_H = 22;
const MAX_EVENTS = 2000;
const CREDIT_MAX = 300;
const COLOURS = 6;
const MAX_PCPUS = 64; // the model's own limit (tutor/sim/sched.py)

let instances = 0;

function num(n, digits = 2) {
  const value = Number(n);
  if (!Number.isFinite(value)) return "?";
  return formatNumber(value, { maximumFractionDigits: digits });
}

function fixed2(n) {
  return formatNumber(Number(n), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A learner's long vCPU name cut to fit the label column (the narration keeps it whole). */
function short(name) {
  const text = String(name);
  return text.length > 6 ? `${text.slice(0, 5)}…` : text;
}

/** The pCPUs a credit scheduler's run uses, from all its events (every tick lists each pCPU's
 * vCPU, idle ones too): its chart has a row for each from the first step, before any dispatch. */
function pcpusOf(events) {
  let n = 0;
  for (const e of events) {
    if (e?.kind === "sched.tick" && Array.isArray(e.running)) n = Math.max(n, e.running.length);
    else if (e?.kind === "sched.dispatch" && e.pcpu != null && Number.isInteger(Number(e.pcpu))) n = Math.max(n, Number(e.pcpu) + 1);
  }
  return Math.min(n, MAX_PCPUS);
}

/** Which drawing a run needs: round robin's job rows or the credit scheduler's pCPU rows. */
function typeOf(events) {
  return events.some((e) => e && typeof e.kind === "string" && e.kind.startsWith("sched.")) ? "credit" : "rr";
}

export default function createCreditGantt(stage, data, d3) {
  const uid = `viz-cg-${++instances}`;
  const labels = { rr: "sceneRr", weights: "sceneWeights", "per-vcpu": "scenePerVcpu", cap: "sceneCap" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneWeights"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "credit-gantt")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "cg-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function initial(scene) {
    return {
      type: typeOf(scene?.events ?? []),
      // round robin
      slices: [],
      jobs: {},
      // credit
      pcpus: pcpusOf(scene?.events ?? []),
      vcpus: [],
      domainOf: {},
      credit: {},
      prio: {},
      parked: {},
      cpu: {},
      ticks: [],
      now: 0,
      current: null,
    };
  }

  function reduce(state, e) {
    const next = { ...state, current: e?.kind ?? null };
    switch (e?.kind) {
      case "rr.run":
      case "fifo.run":
      case "sjf.run": {
        const job = Number(e.job);
        const start = Number(e.start);
        const ran = Number(e.ran);
        next.slices = [...state.slices, { job, start, ran, done: Boolean(e.done) }];
        const before = state.jobs[job] ?? { first: start, ran: 0, end: null };
        next.jobs = { ...state.jobs, [job]: { first: before.first, ran: before.ran + ran, end: e.done ? start + ran : null } };
        next.now = Math.max(state.now, start + ran);
        break;
      }
      case "sched.add": {
        const names = Array.isArray(e.vcpus) ? e.vcpus : [e.vcpu];
        next.vcpus = [...state.vcpus, ...names];
        next.domainOf = { ...state.domainOf };
        next.credit = { ...state.credit };
        next.prio = { ...state.prio };
        next.cpu = { ...state.cpu };
        for (const name of names) {
          next.domainOf[name] = e.vcpu;
          next.credit[name] = 0;
          next.prio[name] = "UNDER";
          next.cpu[name] = 0;
        }
        break;
      }
      case "sched.account":
        next.credit = { ...state.credit, ...e.credit };
        next.prio = { ...state.prio, ...e.prio };
        next.now = Number(e.t);
        break;
      case "sched.dispatch":
        next.pcpus = Math.max(state.pcpus, Number(e.pcpu) + 1);
        next.now = Number(e.t);
        break;
      case "sched.tick": {
        const running = Array.isArray(e.running) ? e.running : [];
        next.pcpus = Math.max(state.pcpus, running.length);
        next.ticks = [...state.ticks, { t: Number(e.t), running }];
        next.credit = { ...state.credit };
        next.prio = { ...state.prio };
        next.cpu = { ...state.cpu };
        for (const name of running) {
          if (name == null) continue;
          next.credit[name] = (next.credit[name] ?? 0) - 100;
          next.cpu[name] = (next.cpu[name] ?? 0) + 10;
          if (next.prio[name] === "BOOST" || next.credit[name] < 0) next.prio[name] = next.credit[name] >= 0 ? "UNDER" : "OVER";
        }
        next.now = Number(e.t) + 10;
        break;
      }
      case "sched.park":
      case "sched.unpark":
        next.parked = { ...state.parked, [e.vcpu]: e.kind === "sched.park" };
        next.credit = { ...state.credit, [e.vcpu]: Number(e.credit) };
        break;
      case "sched.wake":
        next.prio = { ...state.prio, [e.vcpu]: e.prio };
        break;
      default:
        break;
    }
    return next;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  /** CPU time so far per domain (a domain's vCPUs together), in % of one pCPU. */
  function sharesText(state) {
    const total = state.now || 1;
    const perDomain = new Map();
    for (const v of state.vcpus) {
      const domain = state.domainOf[v] ?? v;
      perDomain.set(domain, (perDomain.get(domain) ?? 0) + (state.cpu[v] ?? 0));
    }
    return [...perDomain].map(([domain, ms]) => `${domain} ${num((100 * ms) / total, 0)} %`).join(lang() === "zh" ? "、" : ", ");
  }

  function averages(state) {
    const jobs = Object.values(state.jobs);
    if (!jobs.length || jobs.some((j) => j.end == null)) return null;
    const n = jobs.length;
    return {
      turnaround: fixed2(jobs.reduce((s, j) => s + j.end, 0) / n),
      response: fixed2(jobs.reduce((s, j) => s + j.first, 0) / n),
    };
  }

  function describeStep({ event: e, previous, state }) {
    const before = previous ?? initial({ events: [] });
    switch (e.kind) {
      case "rr.run":
      case "fifo.run":
      case "sjf.run": {
        const job = state.jobs[Number(e.job)];
        if (e.done) {
          let text = say("rrDone", { start: num(e.start), job: e.job, ran: num(e.ran), end: num(job.end), first: num(job.first) });
          const avg = averages(state);
          const remainingSlices = before.slices.length + 1;
          if (avg && remainingSlices === state.slices.length) text += say("rrAll", avg);
          return text;
        }
        const left = lengthLeft(state, Number(e.job));
        return say("rrRun", { start: num(e.start), job: e.job, ran: num(e.ran), rest: left == null ? "" : say("rrMore", { left: num(left) }) });
      }
      case "sched.add": {
        const names = Array.isArray(e.vcpus) ? e.vcpus : [e.vcpu];
        return say("add", {
          vcpu: e.vcpu,
          weight: e.weight,
          cap: e.cap ? say("addCap", { cap: e.cap }) : "",
          vcpus: names.length > 1 ? say("addVcpus", { n: names.length, names: joinList(names), weight: e.weight }) : "",
        });
      }
      case "sched.account": {
        const credits = Object.entries(e.credit ?? {}).map(([v, c]) => `${v} ${num(c, 0)}`);
        return say("account", { t: e.t, credits: joinList(credits) });
      }
      case "sched.dispatch":
        if (e.vcpu == null) return say("dispatchIdle", { t: e.t, pcpu: e.pcpu });
        return say("dispatch", { t: e.t, pcpu: e.pcpu, vcpu: e.vcpu, prio: e.prio });
      case "sched.tick": {
        const running = (e.running ?? []).map((who, p) => (who == null ? null : say("tickSome", { who, p }))).filter(Boolean);
        const text = running.length ? say("tick", { t: e.t, running: running.join(lang() === "zh" ? "、" : ", ") }) : say("tickIdle", { t: e.t });
        return text + say("shares", { shares: sharesText(state) });
      }
      case "sched.park":
        return say("park", { t: e.t, vcpu: e.vcpu, credit: num(e.credit, 0) });
      case "sched.unpark":
        return say("unpark", { t: e.t, vcpu: e.vcpu, credit: num(e.credit, 0) });
      case "sched.wake":
        return say("wake", { t: e.t, vcpu: e.vcpu, prio: e.prio });
      case "sched.block":
        return say("block", { t: e.t, vcpu: e.vcpu, pcpu: e.pcpu });
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  /** Round robin: what job `job` still has to run, if the scene says how long it is. */
  function lengthLeft(state, job) {
    const lengths = currentLengths;
    if (!lengths || lengths[job] == null) return null;
    return Math.max(0, Number(lengths[job]) - (state.jobs[job]?.ran ?? 0));
  }

  let currentLengths = null;

  // --- drawing a state -------------------------------------------------------------------------
  function colourOf(state, name) {
    const domains = [...new Set(state.vcpus.map((v) => state.domainOf[v]))];
    const domain = state.domainOf[name] ?? name;
    return `cg-c${Math.max(0, domains.indexOf(domain)) % COLOURS}`;
  }

  function renderRr(state, y) {
    const jobs = Object.keys(state.jobs).map(Number).sort((a, b) => a - b);
    const end = Math.max(state.now, 1);
    const scale = (t) => (CHART_W * t) / end;
    drawing.append("text").attr("class", "cg-header").attr("x", X0).attr("y", y + 14).text(say("rrHeader", { q: num(quantum(state)), t: num(state.now) }));
    y += 26;
    jobs.forEach((job) => {
      const row = drawing.append("g").attr("class", "cg-row cg-job").attr("data-job", job);
      row.append("text").attr("class", "cg-label").attr("x", X0).attr("y", y + 15).text(say("jobLabel", { job }));
      row.append("rect").attr("class", "cg-track").attr("x", CHART_X).attr("y", y + 2).attr("width", CHART_W).attr("height", ROW_H - 4);
      state.slices
        .filter((s) => s.job === job)
        .forEach((s) => {
          const isCurrent = s === state.slices[state.slices.length - 1];
          row
            .append("rect")
            .attr("class", `cg-block cg-c${job % COLOURS}${isCurrent ? " is-current" : ""}`)
            .attr("x", CHART_X + scale(s.start))
            .attr("y", y + 2)
            .attr("width", Math.max(1.5, scale(s.ran)))
            .attr("height", ROW_H - 4);
        });
      y += ROW_H;
      const info = state.jobs[job];
      if (info.end != null) {
        row.append("text").attr("class", "cg-done").attr("data-end", info.end).attr("x", W - X0).attr("y", y + 12).attr("text-anchor", "end").text(say("doneAt", { t: num(info.end) }));
        y += 16;
      }
    });
    const avg = averages(state);
    if (avg) {
      drawing.append("text").attr("class", "cg-average").attr("data-turnaround", avg.turnaround).attr("x", X0).attr("y", y + 16).text(say("averages", avg));
      y += 24;
    }
    return y;
  }

  function quantum(state) {
    const full = state.slices.filter((s) => !s.done).map((s) => s.ran);
    return full.length ? Math.max(...full) : state.slices.length ? Math.max(...state.slices.map((s) => s.ran)) : 0;
  }

  function renderCredit(state, y) {
    const end = Math.max(state.now, 30);
    const scale = (t) => (CHART_W * t) / end;
    drawing.append("text").attr("class", "cg-header").attr("x", X0).attr("y", y + 14).text(say("creditHeader", { pcpus: state.pcpus, t: num(state.now) }));
    y += 26;
    for (let p = 0; p < state.pcpus; p += 1) {
      const row = drawing.append("g").attr("class", "cg-row cg-pcpu").attr("data-pcpu", p);
      row.append("text").attr("class", "cg-label").attr("x", X0).attr("y", y + 15).text(say("pcpuLabel", { p }));
      row.append("rect").attr("class", "cg-track").attr("x", CHART_X).attr("y", y + 2).attr("width", CHART_W).attr("height", ROW_H - 4);
      state.ticks.forEach((tick, i) => {
        const who = tick.running[p];
        if (who == null) return;
        row
          .append("rect")
          .attr("class", `cg-block ${colourOf(state, who)}${i === state.ticks.length - 1 ? " is-current" : ""}`)
          .attr("data-vcpu", who)
          .attr("x", CHART_X + scale(tick.t))
          .attr("y", y + 2)
          .attr("width", Math.max(1, scale(10) - 0.5))
          .attr("height", ROW_H - 4);
      });
      y += ROW_H;
    }
    // accounting periods: a tick mark every 30 ms under the chart
    const axis = drawing.append("g").attr("class", "cg-axis");
    for (let t = 0; t <= end; t += 30) {
      axis.append("line").attr("x1", CHART_X + scale(t)).attr("x2", CHART_X + scale(t)).attr("y1", y).attr("y2", y + 5);
    }
    y += 10;
    drawing.append("text").attr("class", "cg-key").attr("x", X0).attr("y", y + 12).text(say("legendGantt"));
    y += 22;
    drawing.append("text").attr("class", "cg-subtitle").attr("x", X0).attr("y", y + 12).text(say("creditTitle"));
    y += 18;
    const zero = CHART_X + CHART_W / 2;
    const half = CHART_W / 2;
    state.vcpus.forEach((v) => {
      const credit = Number(state.credit[v] ?? 0);
      const clamped = Math.max(-CREDIT_MAX, Math.min(CREDIT_MAX, credit));
      const width = (half * Math.abs(clamped)) / CREDIT_MAX;
      const parked = Boolean(state.parked[v]);
      const row = drawing
        .append("g")
        .attr("class", `cg-credit${parked ? " is-parked" : ""}`)
        .attr("data-vcpu", v)
        .attr("data-credit", credit)
        .attr("data-prio", state.prio[v] ?? "");
      row.append("rect").attr("class", `cg-swatch ${colourOf(state, v)}`).attr("x", X0).attr("y", y + 4).attr("width", 12).attr("height", 12);
      row.append("text").attr("class", "cg-label").attr("x", X0 + 16).attr("y", y + 15).text(short(v));
      row.append("rect").attr("class", "cg-track").attr("x", CHART_X).attr("y", y + 2).attr("width", CHART_W).attr("height", 16);
      row
        .append("rect")
        .attr("class", `cg-bar ${credit < 0 ? "is-over" : "is-under"}`)
        .attr("x", credit < 0 ? zero - width : zero)
        .attr("y", y + 4)
        .attr("width", Math.max(width, 1))
        .attr("height", 12);
      row.append("line").attr("class", "cg-zero").attr("x1", zero).attr("x2", zero).attr("y1", y).attr("y2", y + 20);
      y += 20;
      const prio = parked ? say("parked") : state.prio[v] ?? "";
      row
        .append("text")
        .attr("class", "cg-value")
        .attr("x", CHART_X)
        .attr("y", y + 12)
        .text(`${say("creditValue", { credit: num(credit, 0), prio })} · ${say("shareValue", { ms: num(state.cpu[v] ?? 0, 0) })}`);
      y += 18;
    });
    return y;
  }

  function render(state, { duration, failed = false, departed = false, scene }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    currentLengths = scene?.lengths ?? null;
    const empty = state.type === "rr" ? state.slices.length === 0 : state.vcpus.length === 0;
    if (empty) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "cg-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    const y = state.type === "rr" ? renderRr(state, 8) : renderCredit(state, 8);
    svg.attr("viewBox", `0 0 ${W} ${y + 6}`);
    if (duration > 0) {
      drawing.selectAll(".is-current").style("opacity", 0.3).transition().duration(duration).style("opacity", 1);
    }
  }

  function describe(info) {
    currentLengths = info.scene?.lengths ?? null;
    return describeStep(info);
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
      // A learner's round robin is replayed with its case's job lengths, so "left" is theirs.
      lengths: Array.isArray(state?.lengths) ? state.lengths : null,
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default, initial, reduce, render, describe, replayScene };
}
