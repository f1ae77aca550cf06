// Lesson 12: placement as bin packing. Each host is a column (a bin) filled from the bottom by
// its guests' memory, each guest labelled with its size; a host that is off is dashed. FFD fills
// the columns largest guest first, so the picture shows how many hosts a packing lights, and
// where the space it wastes sits. With an overload threshold, a CPU bar under each host shows its
// utilization against the threshold, and a live migration moves a guest between columns.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up; a label that
// would not fit is left out (its guest still has a tooltip and the narration names it).

import { bracket, joinList, labelled, lang, ui } from "./describe.js";
import { say } from "./bin-packing-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const GAP = 4;
const BIN_H = 200;
const PALETTE = 6;
const MAX_EVENTS = 2000;

let instances = 0;

const pct = (x) => Math.round(x * 100);
// The placing function's name as the narration says it: the lesson's own in words, a learner's
// as they named it, an unnamed one (`<lambda>`) not at all.
const policyName = (name) => {
  if (!name || name.startsWith("<")) return "";
  const words = say(`policy_${name}`);
  return words === `policy_${name}` ? name : words;
};

export default function createBinPacking(stage, data, d3) {
  const uid = `viz-bp-${++instances}`;
  const labels = { ffd: "sceneFfd", optimum: "sceneOptimum", overload: "sceneOverload" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneFfd"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "bin-packing")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "bp-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function initial() {
    return { hosts: [], demands: {}, order: [], guests: {}, on: {}, threshold: null, current: null };
  }

  function place(state, vm, host) {
    const guests = { ...state.guests };
    for (const [name, list] of Object.entries(guests)) {
      if (list.includes(vm)) guests[name] = list.filter((v) => v !== vm);
    }
    guests[host] = [...(guests[host] ?? []), vm];
    return guests;
  }

  function reduce(state, e) {
    const next = { ...state, current: { kind: e?.kind } };
    switch (e?.kind) {
      case "pool.create":
        return {
          ...initial(),
          hosts: (e.hosts ?? []).map((h) => ({ name: h.name, cores: Number(h.cores), pages: Number(h.pages) })),
          current: { kind: e.kind },
        };
      case "pool.demands": {
        const demands = { ...state.demands };
        const order = [...state.order];
        for (const d of e.vms ?? []) {
          if (!(d.vm in demands)) order.push(d.vm);
          demands[d.vm] = { vcpus: Number(d.vcpus), pages: Number(d.pages), load: Number(d.load ?? 1) };
        }
        next.demands = demands;
        next.order = order;
        break;
      }
      case "pool.request":
        next.demands = { ...state.demands, [e.vm]: { vcpus: Number(e.vcpus), pages: Number(e.pages), load: Number(e.load ?? 1) } };
        break;
      case "pool.place":
      case "pool.restart":
        next.guests = place(state, e.vm, e.host);
        next.current = { kind: e.kind, vm: e.vm, host: e.host, policy: e.policy };
        break;
      case "pool.move":
        next.guests = place(state, e.vm, e.host);
        next.current = { kind: e.kind, vm: e.vm, host: e.host, source: e.source };
        break;
      case "pool.remove":
        next.guests = { ...state.guests, [e.host]: (state.guests[e.host] ?? []).filter((v) => v !== e.vm) };
        break;
      case "host.power":
        next.on = { ...state.on, [e.host]: Boolean(e.on) };
        next.current = { kind: e.kind, host: e.host, on: Boolean(e.on) };
        break;
      case "pool.threshold":
        next.threshold = Number(e.threshold);
        break;
      default:
        break;
    }
    return next;
  }

  // --- figures of a state ----------------------------------------------------------------------
  function host(state, name) {
    return state.hosts.find((h) => h.name === name);
  }

  function used(state, name) {
    return (state.guests[name] ?? []).reduce((sum, vm) => sum + (state.demands[vm]?.pages ?? 0), 0);
  }

  function cpu(state, name) {
    const h = host(state, name);
    if (!h || !h.cores) return 0;
    return (state.guests[name] ?? []).reduce((sum, vm) => sum + (state.demands[vm]?.vcpus ?? 0) * (state.demands[vm]?.load ?? 1), 0) / h.cores;
  }

  function fill(state, name) {
    const h = host(state, name);
    return h && h.pages ? pct(used(state, name) / h.pages) : 0;
  }

  function hostsOn(state) {
    return Object.values(state.on).filter(Boolean).length;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function describeStep({ event: e, previous, state }) {
    const before = previous ?? initial();
    switch (e.kind) {
      case "pool.create": {
        const h = state.hosts[0] ?? { pages: 0, cores: 0 };
        return say("create", { n: state.hosts.length, pages: h.pages, cores: h.cores });
      }
      case "pool.demands": {
        const sizes = (e.vms ?? []).map((d) => Number(d.pages));
        if (sizes.length <= 8) return say("demands", { n: sizes.length, sizes: joinList(sizes) });
        return say("demandsMany", { n: sizes.length, max: Math.max(...sizes), min: Math.min(...sizes) });
      }
      case "pool.place":
      case "pool.restart": {
        const pages = state.demands[e.vm]?.pages ?? "?";
        const vars = { vm: e.vm, pages, host: e.host, fill: fill(state, e.host), policy: policyName(e.policy) };
        const key =
          e.policy === "first_fit_decreasing"
            ? "placeFfd"
            : e.policy === "first_fit"
              ? "placeFirstFit"
              : vars.policy
                ? "placeOther"
                : "placePlain";
        let text = say(key, vars);
        if (key === "placeFfd" || key === "placeFirstFit") {
          const index = state.hosts.findIndex((h) => h.name === e.host);
          const skipped = state.hosts.slice(0, index).filter((h) => before.on[h.name]).map((h) => bracket(h.name, h.pages - used(before, h.name)));
          if (skipped.length && skipped.length <= 6) text += say("skipped", { skipped: joinList(skipped) });
        }
        return text;
      }
      case "host.power":
        return say(e.on ? "powerOn" : "powerOff", { host: e.host, n: hostsOn(state) });
      case "pool.threshold": {
        const hot = state.hosts.filter((h) => cpu(state, h.name) > state.threshold).map((h) => bracket(h.name, `${pct(cpu(state, h.name))} %`));
        return say("thresholdSet", { pct: pct(state.threshold), hot: hot.length ? joinList(hot) : say("noneHot") });
      }
      case "pool.move": {
        let text = say("move", {
          vm: e.vm,
          pages: state.demands[e.vm]?.pages ?? "?",
          source: e.source,
          host: e.host,
          before: pct(cpu(before, e.source)),
          after: pct(cpu(state, e.source)),
          target: pct(cpu(state, e.host)),
        });
        if (state.threshold != null) {
          text += cpu(state, e.source) > state.threshold
            ? say("stillHot", { source: e.source, pct: pct(state.threshold) })
            : say("relieved", { source: e.source });
        }
        return text;
      }
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    if (!state.hosts.length) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "bp-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    const n = state.hosts.length;
    const colW = (W - 2 * X0 - (n - 1) * GAP) / n;
    const maxPages = Math.max(...state.hosts.map((h) => h.pages), 1);
    const scale = BIN_H / maxPages;
    const labelEvery = colW >= 26 ? 1 : Math.ceil(26 / (colW + GAP));
    let y = 8;
    let header = say("hostsOn", { n: hostsOn(state), total: n });
    if (state.threshold != null) header += ` · ${say("threshold", { pct: pct(state.threshold) })}`;
    drawing.append("text").attr("class", "bp-header").attr("x", X0).attr("y", y + 14).text(header);
    y += 26;
    const top = y;
    const colour = {};
    state.order.forEach((vm, i) => {
      colour[vm] = i % PALETTE;
    });
    const current = state.current ?? {};
    state.hosts.forEach((h, i) => {
      const x = X0 + i * (colW + GAP);
      const on = Boolean(state.on[h.name]);
      const g = drawing
        .append("g")
        .attr("class", `bp-host${on ? "" : " is-off"}${current.host === h.name ? " is-current" : ""}`)
        .attr("data-host", h.name)
        .attr("data-on", String(on))
        .attr("data-pages-used", used(state, h.name));
      const height = h.pages * scale;
      g.append("rect").attr("class", "bp-bin").attr("x", x).attr("y", top + BIN_H - height).attr("width", colW).attr("height", height).attr("rx", 2);
      let bottom = top + BIN_H;
      for (const vm of state.guests[h.name] ?? []) {
        const pages = state.demands[vm]?.pages ?? 0;
        const segment = pages * scale;
        bottom -= segment;
        const guest = g
          .append("g")
          .attr("class", `bp-guest bp-g${colour[vm] ?? 0}${current.vm === vm ? " is-current" : ""}`)
          .attr("data-vm", vm)
          .attr("data-host", h.name);
        guest.append("rect").attr("x", x + 1).attr("y", bottom).attr("width", Math.max(colW - 2, 1)).attr("height", Math.max(segment - 1, 1));
        guest.append("title").text(labelled(vm, pages));
        if (segment >= 17 && colW >= 20) {
          guest.append("text").attr("class", "bp-size").attr("x", x + colW / 2).attr("y", bottom + segment / 2).attr("dy", "0.35em").attr("text-anchor", "middle").text(pages);
        }
      }
      if (!on && colW >= 24) {
        g.append("text").attr("class", "bp-off").attr("x", x + colW / 2).attr("y", top + BIN_H - 10).attr("text-anchor", "middle").text(say("off"));
      }
      if (i % labelEvery === 0) {
        g.append("text").attr("class", "bp-name").attr("x", x + colW / 2).attr("y", top + BIN_H + 16).attr("text-anchor", "middle").text(h.name);
      }
      if (state.threshold != null) {
        const util = cpu(state, h.name);
        const by = top + BIN_H + 24;
        const bar = g.append("g").attr("class", `bp-cpu${util > state.threshold ? " is-hot" : ""}`).attr("data-cpu-pct", pct(util));
        bar.append("rect").attr("class", "bp-cpu-track").attr("x", x).attr("y", by).attr("width", colW).attr("height", 10);
        bar.append("rect").attr("class", "bp-cpu-fill").attr("x", x).attr("y", by).attr("width", colW * Math.min(util, 1)).attr("height", 10);
        bar.append("line").attr("class", "bp-cpu-threshold").attr("x1", x + colW * state.threshold).attr("x2", x + colW * state.threshold).attr("y1", by - 3).attr("y2", by + 13);
        if (colW >= 40) bar.append("text").attr("class", "bp-cpu-value").attr("x", x + colW / 2).attr("y", by + 28).attr("text-anchor", "middle").text(`${pct(util)} %${util > state.threshold ? " ▲" : ""}`);
      }
    });
    y = top + BIN_H + (state.threshold != null ? 64 : 26);
    svg.attr("viewBox", `0 0 ${W} ${y}`);
    if (duration > 0) {
      drawing.selectAll(".bp-guest.is-current rect").style("opacity", 0.3).transition().duration(duration).style("opacity", 1);
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
