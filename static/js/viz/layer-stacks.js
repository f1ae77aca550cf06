// Lesson 5: the layer stacks of the four designs side by side (type 1 monolithic, type 1 with a
// privileged partition, type 2, KVM). A token follows the trace's layer.enter events down and back
// up; the six components' chips light while a component.act event is the current step; each stack
// counts the cycles it has spent.
//
// Where the stage is too narrow to show every stack with legible text, it shows as many as fit
// (one on a phone) at full size, follows the stack the token is in, and offers a tab per stack
// with its cycle count, so a comparison survives on a small screen.

import {
  componentLong,
  componentShort,
  describe,
  exitOp,
  formatNumber,
  hvName,
  insnOp,
  ioName,
  joinList,
  joinSentences,
  labelled,
  lang,
  layerShort,
  opName,
  ownerName,
  ownerShort,
  sceneText,
  ui,
} from "./describe.js";

const OWNERS = ["guest", "cpu", "hypervisor", "partition", "host", "hardware"];
const COL_W = 260;
const GAP = 20;
const TOP = 64;
const ROW_H = 24;
const ROW_STEP = 28;
const BOX_X = 20;
const BOX_W = COL_W - 2 * BOX_X;
const LANE = { down: 10, up: COL_W - 10 };
const CHIP_W = 78;
const CHIP_H = 24;
const CHIP_GAP = 6;
// The smallest font in the drawing is 12 px at scale 1: a window of stacks is shown only at a
// scale that keeps it legible (at least 1, so 12 px, when one stack fills a phone's width).
const MIN_SCALE_MANY = 0.85;
const MIN_SCALE_ONE = 1;
const MAX_EVENTS = 2000;
const FALLBACK_HV = "kvm";

let instances = 0;

export default function createLayerStacks(stage, data, d3) {
  const uid = `viz-ls-${++instances}`;
  // The stage's width, read before anything is drawn in it: the layout this forces is the page's
  // own (due at the next frame anyway), and the drawing then starts with only the stacks that
  // fit shown, so the others are never styled or laid out. Read after drawing, it cost the
  // styles and layout of all four stacks, the longest task of a phone's start-up (#15).
  const startPixels = contentWidth();
  const kinds = data.kinds ?? Object.keys(data.stacks);
  const stacks = data.stacks;
  const components = data.components ?? [];
  const layerInfo = data.layers ?? {};
  const defaultHv = kinds.includes(FALLBACK_HV) ? FALLBACK_HV : kinds[0];
  const rows = Math.max(...kinds.map((k) => stacks[k].length));
  const chipsTop = TOP + rows * ROW_STEP + 14;
  const cyclesTop = chipsTop + 2 * (CHIP_H + CHIP_GAP) + 10;
  const span = (n) => n * COL_W + (n - 1) * GAP;
  const width = span(kinds.length);
  const height = cyclesTop + 44;
  const colX = (hv) => kinds.indexOf(hv) * (COL_W + GAP);
  const rowY = (hv, layer) => TOP + stacks[hv].indexOf(layer) * ROW_STEP;
  const rowCenter = (hv, layer) => rowY(hv, layer) + ROW_H / 2;

  const sceneLabel = (scene) => {
    if (scene.kind === "compare") return sceneText("compare", { op: opName(scene.op) });
    if (scene.io) return sceneText("fast", { hv: hvName(scene.kind), op: opName(scene.op), io: ioName(scene.io) });
    return sceneText("one", { hv: hvName(scene.kind), op: opName(scene.op) });
  };
  const sceneGroup = (scene) =>
    sceneText(scene.kind === "compare" ? "groupCompare" : scene.io ? "groupFast" : "groupOne", { n: kinds.length });
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: sceneLabel(scene),
    group: sceneGroup(scene),
    hv: scene.kind === "compare" ? undefined : scene.kind,
  }));

  // --- which stacks are on screen -----------------------------------------------------------
  // The tabs come first in the stage so that they sit above the drawing they steer.
  const tabs = d3
    .select(stage)
    .append("div")
    .attr("class", "viz-stack-tabs")
    .attr("role", "group")
    .attr("aria-label", ui("stacks"))
    .property("hidden", true);
  const tabButtons = tabs
    .selectAll("button")
    .data(kinds)
    .join("button")
    .attr("type", "button")
    .attr("class", "viz-stack-tab")
    .attr("data-hv", (d) => d)
    .attr("aria-pressed", "false");
  tabButtons.append("span").attr("class", "viz-stack-tab-name").text((d) => hvName(d));
  tabButtons.append("span").attr("class", "viz-stack-tab-cycles");

  // --- the static drawing: stacks, rows, chips, counters, legend ----------------------------
  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "layer-stacks")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`);
  svg.append("title").attr("id", `${uid}-title`).text(
    lang() === "zh"
      ? "两种类型 1 设计（单体式、特权分区式）、类型 2 虚拟机监控程序与 KVM 的分层结构并排对比"
      : "Layer stacks of the two type 1 designs (monolithic, privileged partition), a type 2 hypervisor and KVM, side by side",
  );
  svg
    .append("desc")
    .attr("id", `${uid}-desc`)
    .text(joinSentences(...kinds.map((k) => `${labelled(hvName(k), stacks[k].map(layerShort).join(" → "))}${lang() === "zh" ? "。" : "."}`)));

  const stackG = svg
    .selectAll("g.stack")
    .data(kinds, (d) => d)
    .join("g")
    .attr("class", "stack")
    .attr("data-hv", (d) => d)
    .attr("transform", (d) => `translate(${colX(d)},0)`);

  stackG
    .append("text")
    .attr("class", "stack-title")
    .attr("x", COL_W / 2)
    .attr("y", 24)
    .attr("text-anchor", "middle")
    .text((d) => hvName(d));
  stackG
    .append("text")
    .attr("class", "stack-examples")
    .attr("x", COL_W / 2)
    .attr("y", 44)
    .attr("text-anchor", "middle")
    .text((d) => joinList(data.examples?.[d] ?? []));

  stackG
    .append("g")
    .attr("class", "rows")
    .selectAll("g.row")
    .data(
      (hv) => stacks[hv].map((layer) => ({ hv, layer, owner: layerInfo[layer]?.owner ?? "hypervisor" })),
      (d) => d.layer,
    )
    .join((enter) => {
      const row = enter
        .append("g")
        .attr("class", (d) => `row owner-${d.owner}`)
        .attr("data-layer", (d) => d.layer)
        .attr("data-cy", (d) => rowCenter(d.hv, d.layer));
      row
        .append("rect")
        .attr("x", BOX_X)
        .attr("y", (d) => rowY(d.hv, d.layer))
        .attr("width", BOX_W)
        .attr("height", ROW_H)
        .attr("rx", 4);
      row
        .append("text")
        .attr("class", "row-label")
        .attr("x", BOX_X + 8)
        .attr("y", (d) => rowCenter(d.hv, d.layer))
        .attr("dy", "0.35em")
        .text((d) => layerShort(d.layer));
      row
        .append("text")
        .attr("class", "row-owner")
        .attr("x", BOX_X + BOX_W - 8)
        .attr("y", (d) => rowCenter(d.hv, d.layer))
        .attr("dy", "0.35em")
        .attr("text-anchor", "end")
        .text((d) => ownerShort(d.owner));
      row.append("title").text((d) => `${layerShort(d.layer)} · ${ownerName(d.owner)}`);
      return row;
    });

  stackG
    .append("g")
    .attr("class", "chips")
    .selectAll("g.chip")
    .data(
      (hv) => components.map((component, i) => ({ hv, component, i })),
      (d) => d.component,
    )
    .join((enter) => {
      const chip = enter
        .append("g")
        .attr("class", "chip")
        .attr("data-component", (d) => d.component)
        .attr(
          "transform",
          (d) =>
            `translate(${(COL_W - 3 * CHIP_W - 2 * CHIP_GAP) / 2 + (d.i % 3) * (CHIP_W + CHIP_GAP)},` +
            `${chipsTop + Math.floor(d.i / 3) * (CHIP_H + CHIP_GAP)})`,
        );
      chip.append("title").text((d) => componentLong(d.component));
      chip.append("rect").attr("width", CHIP_W).attr("height", CHIP_H).attr("rx", CHIP_H / 2);
      chip
        .append("text")
        .attr("x", CHIP_W / 2)
        .attr("y", CHIP_H / 2)
        .attr("dy", "0.35em")
        .attr("text-anchor", "middle")
        .text((d) => componentShort(d.component));
      return chip;
    });

  const counter = stackG.append("g").attr("class", "cycles").attr("transform", `translate(${BOX_X},${cyclesTop})`);
  counter.append("text").attr("class", "cycles-text").attr("y", 10);
  counter.append("rect").attr("class", "cycles-track").attr("y", 18).attr("width", BOX_W).attr("height", 10);
  counter.append("rect").attr("class", "cycles-bar").attr("y", 18).attr("width", 0).attr("height", 10);
  counter.append("line").attr("class", "cycles-native").attr("y1", 15).attr("y2", 31);

  stackG.append("g").attr("class", "tokens");

  const legend = d3.select(stage).append("ul").attr("class", "viz-legend");
  legend
    .selectAll("li.owner")
    .data((data.owners ?? OWNERS).filter((owner) => kinds.some((k) => stacks[k].some((l) => layerInfo[l]?.owner === owner))))
    .join("li")
    .attr("class", (d) => `owner owner-${d}`)
    .call((li) => li.append("span").attr("class", "swatch").attr("aria-hidden", "true"))
    .call((li) => li.append("span").text((d) => ownerName(d)));
  legend
    .append("li")
    .attr("class", "legend-token")
    .text(lang() === "zh" ? "▼ 请求向下 · ▲ 应答向上" : "▼ request going down · ▲ reply coming up");
  legend
    .append("li")
    .attr("class", "legend-chip")
    .text(lang() === "zh" ? "亮起的标签：此刻正在工作的组件" : "Lit chip: the component acting now");

  // --- the model of a step ----------------------------------------------------------------
  function blankStack() {
    return { started: false, layer: null, dir: "down", cycles: 0, done: false, stray: null, acted: {} };
  }

  function initial(scene) {
    const involved = new Set(
      scene.events.filter((e) => e.kind === "op.start" && stacks[e.hv]).map((e) => e.hv),
    );
    if (scene.hv && stacks[scene.hv]) involved.add(scene.hv);
    if (involved.size === 0) involved.add(scene.hv && stacks[scene.hv] ? scene.hv : defaultHv);
    const perStack = {};
    for (const hv of kinds) perStack[hv] = blankStack();
    return {
      hv: null,
      op: scene.op ?? null,
      io: scene.io ?? null,
      opLabel: null,
      acting: null,
      involved: [...involved],
      stacks: perStack,
      // Bars share one scale within a scene so that the three totals compare at a glance.
      scale: sceneScale(scene),
    };
  }

  function sceneScale(scene) {
    const spent = {};
    let hv = scene.hv && stacks[scene.hv] ? scene.hv : null;
    for (const e of scene.events) {
      if (e.kind === "op.start") hv = stacks[e.hv] ? e.hv : hv;
      if (e.kind === "layer.enter") {
        const key = hv ?? defaultHv;
        spent[key] = (spent[key] ?? 0) + (Number(e.cycles) || 0);
      }
    }
    return Math.max(1, ...Object.values(spent));
  }

  function reduce(state, e, scene) {
    const next = { ...state, acting: null, stacks: { ...state.stacks } };
    const hvOf = () => next.hv ?? (scene.hv && stacks[scene.hv] ? scene.hv : defaultHv);
    const edit = (hv) => (next.stacks[hv] = { ...next.stacks[hv], acted: { ...next.stacks[hv].acted } });
    switch (e?.kind) {
      case "op.start": {
        next.hv = stacks[e.hv] ? e.hv : hvOf();
        next.op = e.op ?? null;
        next.io = e.io ?? null;
        next.opLabel = null;
        const s = edit(next.hv);
        Object.assign(s, { started: true, layer: null, dir: "down", done: false, stray: null });
        break;
      }
      case "layer.enter": {
        const hv = hvOf();
        next.hv = hv;
        const s = edit(hv);
        s.started = true;
        s.done = false;
        s.dir = e.dir === "up" ? "up" : "down";
        s.cycles += Number(e.cycles) || 0;
        // A learner's path may name a layer this design does not have: say so, do not move.
        if (stacks[hv].includes(e.layer)) {
          s.layer = e.layer;
          s.stray = null;
        } else {
          s.stray = String(e.layer);
        }
        break;
      }
      case "component.act": {
        const hv = hvOf();
        next.hv = hv;
        const s = edit(hv);
        s.acted[e.component] = (s.acted[e.component] ?? 0) + 1;
        next.acting = { hv, component: e.component };
        break;
      }
      case "op.end": {
        const hv = hvOf();
        edit(hv).done = true;
        break;
      }
      case "vcpu.entry": {
        const hv = hvOf();
        next.hv = hv;
        const s = edit(hv);
        Object.assign(s, { started: true, layer: "guest_kernel", dir: "up", done: false, stray: null });
        next.opLabel = null;
        break;
      }
      case "guest.insn":
        // What leaves the guest on the next exit is this instruction: name it on the way down.
        next.opLabel = insnOp(e.op);
        break;
      case "vcpu.exit":
        next.hv = hvOf();
        next.opLabel = exitOp(e.reason);
        break;
      default:
        break;
    }
    return next;
  }

  function describeStep({ event, previous, state, scene }) {
    const hv = state.hv ?? previous?.hv ?? scene.hv ?? defaultHv;
    const inStack = event.kind === "layer.enter" ? stacks[hv]?.includes(event.layer) : undefined;
    return describe(event, {
      hv,
      // The op in force before this event: op.end must still name the operation it ends.
      op: event.kind === "op.start" ? event.op : (previous?.op ?? state.op),
      io: event.kind === "op.start" ? event.io : (previous?.io ?? state.io),
      opLabel: event.kind === "vcpu.exit" ? null : previous?.opLabel,
      inStack,
      native: data.native,
      why: data.why,
    });
  }

  // --- drawing a state ---------------------------------------------------------------------
  const fmt = (n) => formatNumber(Number(n));

  function render(state, { duration, event, failed = false, departed = false }) {
    const stackState = (hv) => state.stacks[hv];
    stackG
      .classed("is-idle", (hv) => !state.involved.includes(hv))
      .classed("is-active", (hv) => hv === state.hv && event != null)
      .attr("aria-current", (hv) => (hv === state.hv && event != null ? "step" : null));

    const isCurrent = (d) => stackState(d.hv).layer === d.layer && stackState(d.hv).started;
    stackG
      .selectAll("g.row")
      .classed("is-current", isCurrent)
      // A CPU transition crossed on the way back is its reverse: the lit row says "VM entry".
      .select(".row-label")
      .text((d) => layerShort(d.layer, isCurrent(d) ? stackState(d.hv).dir : "down"));

    stackG
      .selectAll("g.chip")
      .classed("is-acting", (d) => state.acting?.hv === d.hv && state.acting.component === d.component)
      .classed("has-acted", (d) => (stackState(d.hv).acted[d.component] ?? 0) > 0)
      .attr("aria-label", (d) => {
        const count = stackState(d.hv).acted[d.component] ?? 0;
        return labelled(componentLong(d.component), count);
      });

    // Cycles to bar width, clamped to the box (d3-scale's only use; the site loads no scales).
    const x = (cycles) => BOX_W * Math.min(1, Math.max(0, cycles / (state.scale || 1)));
    const counters = stackG.select("g.cycles");
    counters
      .select(".cycles-text")
      .text((hv) => labelled(lang() === "zh" ? "周期" : "Cycles", fmt(stackState(hv).cycles)));
    const bars = counters.select(".cycles-bar").interrupt("cycles");
    // No transition for a jump (the first draw, a reader who asked for less motion): one
    // with no duration still costs d3-timer frames before it lands.
    (duration > 0 ? bars.transition("cycles").duration(duration) : bars).attr("width", (hv) =>
      x(stackState(hv).cycles),
    );
    counters
      .select(".cycles-native")
      .attr("x1", () => x(data.native?.[state.op] ?? 0))
      .attr("x2", () => x(data.native?.[state.op] ?? 0))
      .attr("visibility", data.native?.[state.op] ? "visible" : "hidden");

    tabButtons
      .select(".viz-stack-tab-cycles")
      .text((hv) => (stackState(hv).cycles > 0 ? fmt(stackState(hv).cycles) : ""));
    follow(state.hv ?? state.involved[0] ?? defaultHv);

    const tokenX = (s) => LANE[s.dir];
    const tokenY = (hv, s) => (s.layer ? rowCenter(hv, s.layer) : TOP - 12);
    stackG
      .select("g.tokens")
      .selectAll("g.token")
      .data(
        (hv) => (stackState(hv).started ? [{ hv, ...stackState(hv) }] : []),
        (d) => d.hv,
      )
      .join(
        (enter) => {
          const token = enter
            .append("g")
            .attr("class", "token")
            .attr("transform", (d) => `translate(${tokenX(d)},${tokenY(d.hv, d)})`);
          token.append("circle").attr("r", 10);
          token.append("text").attr("class", "token-arrow").attr("dy", "0.35em").attr("text-anchor", "middle");
          return token;
        },
        (update) => update,
        (exit) => exit.interrupt("token").remove(),
      )
      .attr("data-hv", (d) => d.hv)
      .attr("data-layer", (d) => d.layer ?? "")
      .attr("data-dir", (d) => d.dir)
      .classed("is-done", (d) => d.done)
      .classed("is-stray", (d) => d.stray != null)
      .classed("is-departed", departed)
      .call((token) =>
        token
          .select(".token-arrow")
          // A failing replay never ends on a ✓: its token ends on ✗, red from the departure on.
          .text((d) => (d.stray != null ? "?" : d.done ? (failed ? "✗" : "✓") : d.dir === "up" ? "▲" : "▼")),
      )
      .each(function move(d) {
        const target = `translate(${tokenX(d)},${tokenY(d.hv, d)})`;
        const token = d3.select(this).interrupt("token");
        if (duration > 0 && token.attr("transform")?.replace(/\s/g, "") !== target) {
          token.transition("token").duration(duration).ease(d3.easeCubicInOut).attr("transform", target);
        } else {
          token.attr("transform", target);
        }
      });
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter(
      (e) => e && typeof e === "object",
    );
    const hv = events.find((e) => e.kind === "op.start" && stacks[e.hv])?.hv ?? defaultHv;
    const name = caseName ?? "";
    let label = ui("yourRun", { name });
    if (events.length > MAX_EVENTS) label += ui("truncated", { n: MAX_EVENTS });
    return {
      id: "replay",
      kind: "replay",
      label,
      group: sceneText("groupRun"),
      hv,
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  // --- the window of stacks on screen --------------------------------------------------------
  const shown = { perRow: kinds.length, focus: null, pinned: null };

  function perRowFor(pixels) {
    for (let n = kinds.length; n > 1; n -= 1) if (pixels / span(n) >= MIN_SCALE_MANY) return n;
    return 1;
  }

  function follow(hv) {
    // The view follows the token; a stack picked with a tab stays until the token moves on.
    if (hv !== shown.focus) shown.pinned = null;
    shown.focus = hv;
    layout();
  }

  function layout() {
    const n = shown.perRow;
    const target = shown.pinned ?? shown.focus ?? defaultHv;
    const index = Math.max(0, kinds.indexOf(target));
    const first = Math.min(Math.floor(index / n) * n, kinds.length - n);
    const visible = kinds.slice(first, first + n);
    svg.attr("viewBox", `${colX(kinds[first])} 0 ${span(n)} ${height}`);
    svg.attr("data-shown", visible.join(" "));
    stackG.classed("is-offscreen", (hv) => !visible.includes(hv));
    // One stack is never drawn below a scale of 1 (12 px text): a narrower stage scrolls instead.
    svg.style("min-width", n === 1 ? `${COL_W * MIN_SCALE_ONE}px` : null);
    tabs.property("hidden", n >= kinds.length);
    tabButtons.attr("aria-pressed", (hv) => String(visible.includes(hv)));
  }

  tabButtons.on("click", (event, hv) => {
    shown.pinned = hv;
    layout();
  });

  function contentWidth() {
    const style = getComputedStyle(stage);
    return stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }

  function measure() {
    const pixels = contentWidth();
    if (!(pixels > 0)) return;
    const n = perRowFor(pixels);
    if (n === shown.perRow && svg.attr("data-shown")) return;
    shown.perRow = n;
    layout();
  }
  // Shown as the width read at the start says, before the first frame: waiting for the
  // observer's first report let a frame show all four stacks at a phone's width before it
  // switched to one (CLS 0.38). The observer follows the width from then on.
  if (startPixels > 0) shown.perRow = perRowFor(startPixels);
  layout();
  if (typeof ResizeObserver === "function") new ResizeObserver(measure).observe(stage);

  return { scenes, defaultScene: data.default, initial, reduce, render, describe: describeStep, replayScene };
}
