// Lesson 11: pre-copy live migration, round by round. Each live round is a bar whose length is
// the megabytes it sent while the guest kept running, with what the guest dirtied meanwhile
// under it (what the next round must resend); the stop-and-copy is a red bar, and the timeline at
// the bottom puts the pause (the downtime) against the time the guest kept running. So a series
// that shrinks, one that never does, and the rule that ends it can be seen without the numbers.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { formatNumber, lang, ui } from "./describe.js";
import { say } from "./migration-rounds-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const LABEL_W = 46; // "pause" at 14 px, with room
const BAR_X = X0 + LABEL_W;
const BAR_W = W - BAR_X - X0;
const ROW_H = 34;
const MAX_EVENTS = 2000;
const PAGE_MB = 4096 / 1_000_000;
// Two rounds' shares are "the same" within 1 %: the fluid model's are equal to rounding, a
// working set's differ by several per cent even where its rounds shrink slowest.
const RATIO_TOLERANCE = 0.01;

let instances = 0;

function close(a, b, tolerance) {
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

function num(n, digits = 2) {
  const value = Number(n);
  if (!Number.isFinite(value)) return "?";
  const abs = Math.abs(value);
  const places = abs >= 100 ? 0 : abs >= 1 ? 1 : abs >= 0.01 ? digits + 1 : 4;
  return formatNumber(value, { maximumFractionDigits: places });
}

export default function createMigrationRounds(stage, data, d3) {
  const uid = `viz-mr-${++instances}`;
  const labels = { converges: "sceneConverges", never: "sceneNever", legacy: "sceneLegacy", wws: "sceneWws" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneConverges"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "migration-rounds")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "mr-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function initial() {
    return { start: null, rounds: [], stop: null, copy: null, done: null, current: null };
  }

  function reduce(state, e) {
    const next = { ...state, current: e?.kind ?? null };
    switch (e?.kind) {
      case "migrate.start":
        return { ...initial(), start: { guest: e.guest, memory: Number(e.memory_mb), rate: e.fixed_rate, rules: e.rules ?? "" }, current: e.kind };
      case "migrate.round":
        next.rounds = [
          ...state.rounds,
          { i: e.round, sent: Number(e.sent_mb), dirtied: Number(e.dirtied_mb), seconds: Number(e.seconds), rate: Number(e.rate_mbps) },
        ];
        break;
      case "migrate.stop":
        next.stop = { reason: e.reason, rounds: e.rounds };
        break;
      case "migrate.stop_copy":
        next.copy = { mb: Number(e.sent_mb), ms: Number(e.downtime_ms) };
        break;
      case "migrate.done":
        next.done = { total: Number(e.total_sent_mb), seconds: Number(e.total_seconds) };
        break;
      default:
        break;
    }
    return next;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function rulesName(rules) {
    if (rules === "xen-v2") return say("rulesV2");
    if (rules === "xen-4.5") return say("rulesLegacy");
    return String(rules ?? "");
  }

  function rateName(rate) {
    return rate == null ? say("rateAdaptive") : say("rateFixed", { rate: num(rate) });
  }

  /**
   * What a live round says about the series, only what its numbers show. V_i = M·(d/B)^i holds
   * while every write lands on a clean page at a steady rate over a steady link: then every round
   * is the same share d/B of the one before, from round 1 on. A guest that rewrites hot pages
   * (the writable working set) shrinks by a different share from round to round, even where two
   * shares happen to be close, so the series is named only when every share so far is the same.
   */
  function roundTrend(e, rounds) {
    const last = rounds[rounds.length - 1];
    if (!last || !(last.sent > 0)) return "";
    const sent = Number(e.sent_mb);
    // Pre-copy resends what the round before dirtied; a run that does not is not the series.
    if (!close(sent, last.dirtied, 1e-6)) return say("resent", { sent: num(sent), dirtied: num(last.dirtied) });
    const ratio = sent / last.sent;
    if (ratio >= 0.999) return say("growing");
    if (rounds.length < 2 || rounds.some((r) => !(r.sent > 0))) return "";
    const shares = [...rounds.slice(1).map((r, k) => r.sent / rounds[k].sent), ratio];
    if (shares.every((q) => close(q, shares[0], RATIO_TOLERANCE))) return say("shrinking", { ratio: num(ratio) });
    const prior = rounds[rounds.length - 2];
    const previous = shares[shares.length - 2];
    const vars = { ratio: num(ratio), previous: num(previous), first: num(shares[0]) };
    // A round's share is d/B of the round before it: a link that changed rate changes it.
    if (!close(last.rate, prior.rate, 1e-6))
      return say("rateChanged", { ...vars, j: last.i, rate: num(last.rate), k: prior.i, earlier: num(prior.rate) });
    if (close(ratio, previous, RATIO_TOLERANCE)) return say("shareSteady", vars);
    return say(ratio > previous ? "shrinkingLess" : "shrinkingMore", vars);
  }

  function describeStep({ event: e, previous, state }) {
    const before = previous ?? initial();
    const start = state.start ?? before.start ?? { guest: e.guest, memory: 0 };
    switch (e.kind) {
      case "migrate.start":
        return say("start", { guest: e.guest, memory: num(e.memory_mb), rate: rateName(e.fixed_rate), rules: rulesName(e.rules) });
      case "migrate.round":
        return say("round", { i: e.round, sent: num(e.sent_mb), seconds: num(e.seconds), dirtied: num(e.dirtied_mb) }) + roundTrend(e, before.rounds);
      case "migrate.stop": {
        const last = before.rounds[before.rounds.length - 1];
        const i = last ? last.i : 0;
        if (e.reason === "converged") return say("stopConverged", { i, pages: Math.round((last?.sent ?? 0) / PAGE_MB) });
        if (e.reason === "max_rounds") return say("stopMaxRounds", { n: e.rounds, rules: rulesName(start.rules), dirty: num(last?.dirtied ?? 0) });
        if (e.reason === "max_sent") return say("stopMaxSent", { total: num(before.rounds.reduce((sum, r) => sum + r.sent, 0)) });
        if (e.reason === "clean") return say("stopClean", { i });
        return say("unknown", { kind: `${e.kind} ${e.reason}` });
      }
      case "migrate.stop_copy":
        return say("stopCopy", { mb: num(e.sent_mb), ms: num(e.downtime_ms) });
      case "migrate.done":
        return say("done", {
          guest: e.guest,
          total: num(e.total_sent_mb),
          seconds: num(e.total_seconds),
          factor: num(start.memory ? Number(e.total_sent_mb) / start.memory : 0),
          ms: num(state.copy?.ms ?? 0),
        });
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  function bar(g, cls, y, width, height) {
    return g.append("rect").attr("class", cls).attr("x", BAR_X).attr("y", y).attr("width", Math.max(width, 1.5)).attr("height", height).attr("rx", 2);
  }

  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    if (!state.start) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "mr-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    const start = state.start;
    const scale = (mb) => (BAR_W * Math.min(mb, start.memory)) / Math.max(start.memory, 1e-9);
    let y = 8;
    const header = say("header", { guest: start.guest, memory: num(start.memory), rate: rateName(start.rate), rules: start.rules });
    y += drawLines(drawing, header, { x: X0, y: y + 14, width: W - 2 * X0, cls: "mr-header" }).height + 10;
    // The key, so colour never carries the meaning alone.
    const key = drawing.append("g").attr("class", "mr-key");
    [["mr-sent", "legendSent"], ["mr-dirtied", "legendDirtied"], ["mr-pause", "legendPause"]].forEach(([cls, word]) => {
      key.append("rect").attr("class", cls).attr("x", X0).attr("y", y + 2).attr("width", 14).attr("height", 12).attr("rx", 2);
      key.append("text").attr("x", X0 + 20).attr("y", y + 13).text(say(word));
      y += 18;
    });
    y += 6;

    state.rounds.forEach((r, index) => {
      const isLast = index === state.rounds.length - 1;
      const row = drawing
        .append("g")
        .attr("class", `mr-round${isLast && state.current === "migrate.round" ? " is-current" : ""}`)
        .attr("data-round", r.i)
        .attr("data-sent-mb", r.sent);
      row.append("text").attr("class", "mr-label").attr("x", X0).attr("y", y + 14).text(say("roundLabel", { i: r.i }));
      bar(row, "mr-sent", y + 2, scale(r.sent), 16);
      const value = say("roundValue", { mb: num(r.sent) });
      const inside = scale(r.sent) > 110;
      row
        .append("text")
        .attr("class", `mr-value${inside ? " is-inside" : ""}`)
        .attr("x", inside ? BAR_X + 6 : BAR_X + Math.max(scale(r.sent), 1.5) + 4)
        .attr("y", y + 15)
        .text(value);
      bar(row, "mr-dirtied", y + 20, scale(r.dirtied), 8);
      row
        .append("text")
        .attr("class", "mr-dirtied-value")
        .attr("x", W - X0)
        .attr("y", y + 28)
        .attr("text-anchor", "end")
        .text(say("dirtiedValue", { mb: num(r.dirtied) }));
      y += ROW_H;
    });

    if (state.stop) {
      drawing
        .append("text")
        .attr("class", "mr-stop")
        .attr("data-reason", state.stop.reason)
        .attr("x", X0)
        .attr("y", y + 12)
        .text(say(`stop_${state.stop.reason}`));
      y += 20;
    }
    if (state.copy) {
      const row = drawing.append("g").attr("class", `mr-copy${state.current === "migrate.stop_copy" ? " is-current" : ""}`).attr("data-downtime-ms", state.copy.ms);
      row.append("text").attr("class", "mr-label").attr("x", X0).attr("y", y + 14).text(say("stopLabel"));
      bar(row, "mr-pause", y + 2, scale(state.copy.mb), 16);
      // Beside the bar where it fits, else on a line of its own under it.
      const value = row
        .append("text")
        .attr("class", "mr-value")
        .attr("x", BAR_X + Math.max(scale(state.copy.mb), 1.5) + 4)
        .attr("y", y + 15)
        .text(say("stopValue", { mb: num(state.copy.mb), ms: num(state.copy.ms) }));
      const width = value.node().getComputedTextLength?.() || 0;
      if (BAR_X + scale(state.copy.mb) + 4 + width > W - X0) {
        value.attr("x", BAR_X).attr("y", y + 34);
        y += 20;
      }
      y += ROW_H;
    }

    // The downtime bar: the time the guest kept running against the time it was paused.
    const running = state.rounds.reduce((sum, r) => sum + r.seconds, 0);
    const paused = state.copy ? state.copy.ms / 1000 : 0;
    const total = running + paused;
    if (total > 0) {
      const tl = drawing.append("g").attr("class", "mr-timeline");
      const full = W - 2 * X0;
      const pausedW = state.copy ? Math.max(2, (full * paused) / total) : 0;
      tl.append("rect").attr("class", "mr-running").attr("x", X0).attr("y", y).attr("width", Math.max(0, full - pausedW)).attr("height", 14);
      if (state.copy) tl.append("rect").attr("class", "mr-pause").attr("x", X0 + full - pausedW).attr("y", y).attr("width", pausedW).attr("height", 14);
      tl.append("text").attr("x", X0).attr("y", y + 32).text(say("timeline", { running: num(running), paused: num(paused * 1000) }));
      y += 42;
    }
    svg.attr("viewBox", `0 0 ${W} ${y + 4}`);
    if (duration > 0) {
      drawing.selectAll(".is-current rect").style("opacity", 0.3).transition().duration(duration).style("opacity", 1);
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
