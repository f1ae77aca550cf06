// Lesson 2: a resource pool. The hosts of a pool.create event are drawn as columns (a vCPU bar
// and a memory bar each) under two bars for the pool as a whole, so the visitor sees that the pool
// is the machines added up. A request card shows each guest asking the pool; a placed guest flies
// from the card into the host that was chosen; a refused one stays in the card with the reason; a
// failed host turns red and its guests restart elsewhere; an emptied host greys out (powered off).
//
// The drawing is 310 units wide (wider only for more than five hosts, then it scrolls), so on a
// 390 px phone, whose stage is about 315 px wide, every text is drawn at >= 12 px.

import { ui } from "./describe.js";
import { listOf, memory, memoryShort, narrate, policyName, poolText, useUnitsOf } from "./resource-pool-text.js";

const W_MIN = 310;
const COL_MIN = 62;
const TOP_BARS = 48;
const BAR_H = 14;
const CARD_Y = 142;
const CARD_H = 48;
const HOSTS_Y = 204;
const HOST_BARS_Y = 246;
const HOST_BAR_H = 150;
const MAX_EVENTS = 2000;
const PALETTE = ["#cfe4ff", "#ffe2a0", "#caefd6", "#ffd6e8", "#e0d2ff", "#ffd8b8", "#d4f1f4", "#f3e3c3", "#e4f5b8", "#f2d0d0"];

let instances = 0;

export default function createResourcePool(stage, data, d3) {
  const uid = `viz-rp-${++instances}`;
  const power = data.power ?? { idle: 100, max: 200 };
  const sceneLabel = (scene) =>
    ({ story: "sceneStory", refusals: "sceneRefusals", "no-headroom": "sceneNoHeadroom" })[scene.kind] ?? scene.kind;
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: poolText(sceneLabel(scene)),
    group: poolText("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "resource-pool")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title`);
  svg.append("title").attr("id", `${uid}-title`).text(poolText("title"));
  const chapterText = svg.append("text").attr("class", "rp-chapter").attr("x", 0).attr("y", 16);
  const poolLine = svg.append("text").attr("class", "rp-pool-line").attr("x", 0).attr("y", 38);
  const barsG = svg.append("g").attr("class", "rp-pool-bars");
  const reservedLine = svg.append("text").attr("class", "rp-figures").attr("x", 0).attr("y", TOP_BARS + 2 * BAR_H + 26);
  const statusLine = svg.append("text").attr("class", "rp-figures").attr("x", 0).attr("y", TOP_BARS + 2 * BAR_H + 44);
  const card = svg.append("g").attr("class", "rp-card").attr("transform", `translate(0,${CARD_Y})`);
  const cardRect = card.append("rect").attr("height", CARD_H).attr("rx", 6);
  const cardAsk = card.append("text").attr("class", "rp-card-ask").attr("x", 8).attr("y", 19);
  const cardVerdict = card.append("text").attr("class", "rp-card-verdict").attr("x", 8).attr("y", 38);
  const hostsG = svg.append("g").attr("class", "rp-hosts");
  const guestsG = svg.append("g").attr("class", "rp-guests");

  const legend = d3.select(stage).append("ul").attr("class", "viz-legend rp-legend");
  for (const key of ["legendReserved", "legendColumns", "legendFree", "legendOff"]) legend.append("li").text(poolText(key));

  // --- the model of a step ----------------------------------------------------------------
  function blank() {
    return {
      hosts: [],
      guests: {},
      stacks: {},
      capV: 0,
      capM: 0,
      reservedV: 0,
      reservedM: 0,
      biggestV: 0,
      biggestM: 0,
      card: null,
      chapter: null,
      colors: {},
    };
  }

  // Before the first step the hosts stand apart, each a machine of its own; pool.create draws the
  // pool over them, so the first step shows the merge itself.
  function initial(scene) {
    const hosts = scene.events.find((e) => e?.kind === "pool.create")?.hosts ?? [];
    useUnitsOf(hosts);
    return totals({
      ...blank(),
      chapter: chapterAt(scene, 0),
      hosts: hosts.map((h) => ({ name: h.name, cores: h.cores, pages: h.pages, on: false, failed: false })),
      pooled: false,
    });
  }

  function chapterAt(scene, index) {
    let key = null;
    for (const chapter of scene.chapters ?? []) if (chapter.at <= index) key = chapter.key;
    return key;
  }

  // Capacity figures are re-derived from the hosts and guests after every event.
  function totals(next) {
    const live = next.hosts.filter((h) => !h.failed);
    next.capV = live.reduce((sum, h) => sum + h.cores, 0);
    next.capM = live.reduce((sum, h) => sum + h.pages, 0);
    next.biggestV = Math.max(0, ...live.map((h) => h.cores));
    next.biggestM = Math.max(0, ...live.map((h) => h.pages));
    let rv = 0;
    let rm = 0;
    for (const guest of Object.values(next.guests)) {
      if (guest.host) {
        rv += guest.vcpus;
        rm += guest.pages;
      }
    }
    next.reservedV = rv;
    next.reservedM = rm;
    return next;
  }

  function reduce(state, e, scene) {
    const next = { ...state, guests: { ...state.guests }, stacks: { ...state.stacks }, hosts: state.hosts };
    const index = scene.events.indexOf(e);
    next.chapter = chapterAt(scene, index >= 0 ? index : 0);
    const setGuest = (name, changes) => (next.guests[name] = { ...(next.guests[name] ?? { vcpus: 0, pages: 0, load: 0 }), ...changes });
    const setHost = (name, changes) => (next.hosts = next.hosts.map((h) => (h.name === name ? { ...h, ...changes } : h)));
    const onto = (host, vm) => (next.stacks[host] = [...(next.stacks[host] ?? []).filter((n) => n !== vm), vm]);
    const off = (host, vm) => (next.stacks[host] = (next.stacks[host] ?? []).filter((n) => n !== vm));
    switch (e?.kind) {
      case "pool.create":
        next.hosts = (e.hosts ?? []).map((h) => ({ name: h.name, cores: h.cores, pages: h.pages, on: false, failed: false }));
        next.guests = {};
        next.stacks = Object.fromEntries(next.hosts.map((h) => [h.name, []]));
        next.card = null;
        next.pooled = true;
        break;
      case "pool.request": {
        const colors = { ...next.colors };
        if (!(e.vm in colors)) colors[e.vm] = PALETTE[Object.keys(colors).length % PALETTE.length];
        next.colors = colors;
        setGuest(e.vm, { vcpus: Number(e.vcpus) || 0, pages: Number(e.pages) || 0, load: Number(e.load) || 0, host: null, status: "waiting" });
        next.card = { kind: "ask", vm: e.vm };
        break;
      }
      case "pool.place":
      case "pool.restart":
      case "pool.move": {
        const guest = next.guests[e.vm];
        if (guest?.host) off(guest.host, e.vm);
        setGuest(e.vm, { host: e.host, status: "placed", since: index });
        onto(e.host, e.vm);
        next.card =
          e.kind === "pool.place"
            ? { kind: "placed", vm: e.vm, host: e.host, policy: e.policy }
            : e.kind === "pool.restart"
              ? { kind: "restarted", vm: e.vm, host: e.host, source: e.source }
              : { kind: "moved", vm: e.vm, host: e.host, source: e.source };
        break;
      }
      case "pool.refuse":
        setGuest(e.vm, { host: null, status: e.source ? "stopped" : "refused" });
        next.card = { kind: "refused", vm: e.vm, reason: e.reason, source: e.source };
        break;
      case "pool.remove": {
        const guest = next.guests[e.vm];
        if (guest?.host) off(guest.host, e.vm);
        setGuest(e.vm, { host: null, status: "gone" });
        next.card = { kind: "removed", vm: e.vm };
        break;
      }
      case "host.power":
        setHost(e.host, { on: Boolean(e.on) });
        // A host powering on for a waiting guest keeps that guest's request on the card.
        next.card = { kind: "power", host: e.host, on: Boolean(e.on), vm: state.card?.kind === "ask" ? state.card.vm : null };
        break;
      case "host.fail": {
        for (const vm of e.vms ?? []) setGuest(vm, { host: null, status: "stopped" });
        next.stacks[e.host] = [];
        setHost(e.host, { on: false, failed: true });
        next.card = { kind: "failed", host: e.host, vms: e.vms ?? [] };
        break;
      }
      default:
        break;
    }
    return totals(next);
  }

  // --- geometry -------------------------------------------------------------------------------
  let width = W_MIN;
  let col = 90;
  function layoutFor(state) {
    const n = Math.max(1, state.hosts.length);
    col = Math.max(COL_MIN, Math.floor(W_MIN / n));
    width = Math.max(W_MIN, n * col);
    const height = HOST_BARS_Y + HOST_BAR_H + 24;
    svg.attr("viewBox", `0 0 ${width} ${height}`);
    // Never drawn below 1 unit per pixel: a pool of many hosts scrolls sideways instead.
    svg.style("min-width", width > W_MIN ? `${width}px` : null);
  }
  const hostX = (state, name) => state.hosts.findIndex((h) => h.name === name) * col;
  const vcpuBar = () => ({ x: 4, w: Math.round((col - 12) * 0.38) });
  const memBar = () => {
    const v = vcpuBar();
    return { x: v.x + v.w + 4, w: col - 8 - (v.x + v.w + 4) };
  };

  function hostUtil(state, host) {
    const busy = (state.stacks[host.name] ?? []).reduce((sum, vm) => sum + state.guests[vm].vcpus * state.guests[vm].load, 0);
    return Math.min(1, busy / host.cores);
  }

  function poolWatts(state) {
    return state.hosts.reduce((sum, h) => (h.on && !h.failed ? sum + power.idle + (power.max - power.idle) * hostUtil(state, h) : sum), 0);
  }

  function poolUtil(state) {
    const on = state.hosts.filter((h) => h.on && !h.failed);
    const cores = on.reduce((sum, h) => sum + h.cores, 0);
    const busy = on.reduce((sum, h) => sum + hostUtil(state, h) * h.cores, 0);
    return cores ? busy / cores : 0;
  }

  // Blocks of every placed guest: in its host's two columns, stacked from the bottom.
  function blocks(state) {
    const out = [];
    const maxV = Math.max(1, ...state.hosts.map((h) => h.cores));
    const maxM = Math.max(1, ...state.hosts.map((h) => h.pages));
    for (const host of state.hosts) {
      let v = 0;
      let m = 0;
      const x0 = hostX(state, host.name);
      for (const vm of state.stacks[host.name] ?? []) {
        const g = state.guests[vm];
        const hv = (g.vcpus / maxV) * HOST_BAR_H;
        const hm = (g.pages / maxM) * HOST_BAR_H;
        v += hv;
        m += hm;
        out.push({
          vm,
          host: host.name,
          color: state.colors[vm] ?? PALETTE[0],
          v: { x: x0 + vcpuBar().x, y: HOST_BARS_Y + HOST_BAR_H - v, h: hv, w: vcpuBar().w },
          m: { x: x0 + memBar().x, y: HOST_BARS_Y + HOST_BAR_H - m, h: hm, w: memBar().w },
        });
      }
    }
    return out;
  }

  // A line longer than its room (a replay's many guest names) is cut with an ellipsis; the
  // narration below always has the whole sentence.
  function fit(selection, room) {
    selection.each(function cut() {
      if (!this.getComputedTextLength) return;
      let text = this.textContent;
      while (text.length > 4 && this.getComputedTextLength() > room) {
        text = text.slice(0, -2);
        this.textContent = `${text}…`;
      }
    });
  }

  // --- drawing a state ---------------------------------------------------------------------
  function render(state, { duration, failed = false, departed = false, position = 0, scene }) {
    layoutFor(state);
    const maxV = Math.max(1, ...state.hosts.map((h) => h.cores));
    const maxM = Math.max(1, ...state.hosts.map((h) => h.pages));
    svg.classed("is-departed", departed);
    svg
      .attr("data-capacity", `${state.capV} ${state.capM}`)
      .attr("data-reserved", `${state.reservedV} ${state.reservedM}`)
      .attr("data-hosts-on", state.hosts.filter((h) => h.on && !h.failed).length);

    // The story names its chapter; another scene (a replay too) names itself, cut to fit.
    const title = state.chapter ? poolText(`chapter_${state.chapter}`) : (scene?.label ?? "");
    fit(chapterText.text(title), width);
    const live = state.hosts.filter((h) => !h.failed).length;
    const disk = scene?.kind === "story" && data.disk_tb ? poolText("poolDisk", { disk: `${data.disk_tb * live} TB` }) : "";
    const pooled = state.pooled !== false;
    svg.attr("data-pooled", String(pooled));
    barsG.attr("visibility", pooled ? "visible" : "hidden");
    const summary = pooled
      ? poolText("poolLine", { vcpus: state.capV, mem: memory(state.capM) }) + disk
      : poolText("separate", { n: state.hosts.length });
    fit(poolLine.text(state.hosts.length ? summary : ""), width);
    const shown = pooled && state.hosts.length > 0;
    reservedLine.text(
      shown
        ? poolText("reservedLine", { rv: state.reservedV, cv: state.capV, rm: memory(state.reservedM), cm: memory(state.capM) })
        : "",
    );
    statusLine.text(
      shown
        ? poolText("statusLine", {
            u: Math.round(poolUtil(state) * 100),
            on: state.hosts.filter((h) => h.on && !h.failed).length,
            n: state.hosts.length,
            w: Math.round(poolWatts(state)),
          })
        : "",
    );

    // The pool's two bars: each host is a segment, so the pool visibly is the hosts added up.
    const label = 54;
    const span = width - label;
    const segV = (h) => (h.failed ? 0 : h.cores);
    const segM = (h) => (h.failed ? 0 : h.pages);
    const rows = [
      { key: "v", y: TOP_BARS, text: poolText("vcpuBar"), total: Math.max(1, state.hosts.reduce((s, h) => s + h.cores, 0)), size: (h) => h.cores, live: segV, used: (g) => g.vcpus },
      { key: "m", y: TOP_BARS + BAR_H + 6, text: poolText("memBar"), total: Math.max(1, state.hosts.reduce((s, h) => s + h.pages, 0)), size: (h) => h.pages, live: segM, used: (g) => g.pages },
    ];
    const rowG = barsG.selectAll("g.rp-bar-row").data(rows, (d) => d.key).join((enter) => {
      const g = enter.append("g").attr("class", "rp-bar-row");
      g.append("text").attr("class", "rp-bar-label").attr("x", 0).attr("dy", "0.8em");
      g.append("g").attr("class", "rp-segments");
      return g;
    });
    rowG.attr("transform", (d) => `translate(0,${d.y})`);
    rowG.select(".rp-bar-label").text((d) => d.text);
    rowG.select(".rp-segments").each(function segments(row) {
      let x = label;
      const segs = [];
      for (const host of state.hosts) {
        const w = (row.size(host) / row.total) * span;
        const used = (state.stacks[host.name] ?? []).reduce((s, vm) => s + row.used(state.guests[vm]), 0);
        segs.push({ host, x, w, usedW: row.size(host) ? (used / row.size(host)) * w : 0 });
        x += w;
      }
      const seg = d3.select(this).selectAll("g.rp-seg").data(segs, (d) => d.host.name).join((enter) => {
        const g = enter.append("g").attr("class", "rp-seg");
        g.append("rect").attr("class", "rp-seg-cap").attr("height", BAR_H);
        g.append("rect").attr("class", "rp-seg-used").attr("height", BAR_H);
        return g;
      });
      seg.classed("is-failed", (d) => d.host.failed).classed("is-off", (d) => !d.host.on && !d.host.failed);
      seg.select(".rp-seg-cap").attr("x", (d) => d.x).attr("width", (d) => Math.max(0, d.w - 1));
      const used = seg.select(".rp-seg-used").attr("x", (d) => d.x).interrupt("bar");
      // A jump (first draw, less motion) lands at once: no zero-length transition frames.
      (duration > 0 ? used.transition("bar").duration(duration) : used).attr("width", (d) =>
        Math.max(0, Math.min(d.w - 1, d.usedW)),
      );
    });

    // The request card: who asks for what, and the verdict.
    cardRect.attr("width", width);
    const c = state.card;
    let ask = poolText(pooled ? "waiting" : "beforePool");
    let verdict = "";
    let tone = "idle";
    if (c) {
      const g = state.guests[c.vm];
      const size = { vm: c.vm, vcpus: g?.vcpus, mem: memory(g?.pages) };
      const asking = !["restarted", "moved"].includes(c.kind) && !(c.kind === "refused" && c.source);
      if (c.vm && g) ask = poolText(asking ? "asks" : "guestSize", size);
      if (c.kind === "placed") [verdict, tone] = [poolText("placedOn", { host: c.host, policy: policyName(c.policy) }), "ok"];
      if (c.kind === "restarted") [verdict, tone] = [poolText("restartedOn", { host: c.host }), "ok"];
      if (c.kind === "moved") [verdict, tone] = [poolText("movedTo", { host: c.host, source: c.source }), "ok"];
      if (c.kind === "refused") [verdict, tone] = [poolText(c.source ? "refusedRestart" : `refusedShort_${c.reason}`), "refused"];
      if (c.kind === "removed") [ask, verdict, tone] = [poolText("removed", { vm: c.vm }), "", "idle"];
      if (c.kind === "failed") [ask, verdict, tone] = [poolText("failedCard", { host: c.host, vms: listOf(c.vms) }), "", "refused"];
      if (c.kind === "ask") tone = "asking";
      if (c.kind === "power" && c.vm) [verdict, tone] = [poolText("poweredOn", { host: c.host }), "asking"];
      else if (c.kind === "power") [ask, verdict, tone] = [poolText(c.on ? "poweredOn" : "poweredOff", { host: c.host }), "", "idle"];
    }
    // A failing replay never reads as a success from the point where it left the model's run.
    // (With no departure to mark, a failing run still ends on a ✗.)
    const atEnd = position > 0 && position === (scene?.events?.length ?? 0);
    if (departed || (failed && atEnd)) [verdict, tone] = [poolText("runDiffers"), "refused"];
    card.attr("data-tone", tone);
    fit(cardAsk.text(ask), width - 16);
    fit(cardVerdict.text(verdict), width - 16);

    // The hosts.
    const hostG = hostsG.selectAll("g.rp-host").data(state.hosts, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", "rp-host");
      g.append("rect").attr("class", "rp-host-box").attr("rx", 6);
      g.append("text").attr("class", "rp-host-name").attr("y", HOSTS_Y + 14);
      g.append("text").attr("class", "rp-host-state").attr("y", HOSTS_Y + 32);
      g.append("rect").attr("class", "rp-col rp-col-v");
      g.append("rect").attr("class", "rp-col rp-col-m");
      g.append("text").attr("class", "rp-col-label rp-col-label-v").attr("y", HOST_BARS_Y + HOST_BAR_H + 16);
      g.append("text").attr("class", "rp-col-label rp-col-label-m").attr("y", HOST_BARS_Y + HOST_BAR_H + 16);
      return g;
    });
    hostG
      .attr("transform", (d) => `translate(${hostX(state, d.name)},0)`)
      .attr("data-host", (d) => d.name)
      .attr("data-state", (d) => (d.failed ? "failed" : d.on ? "on" : "off"))
      .classed("is-failed", (d) => d.failed)
      .classed("is-off", (d) => !d.on && !d.failed)
      .classed("is-chosen", (d) => c != null && c.host === d.name && ["placed", "restarted", "moved", "failed", "power"].includes(c.kind));
    hostG.select(".rp-host-box").attr("x", 1).attr("y", HOSTS_Y).attr("width", col - 2).attr("height", HOST_BARS_Y + HOST_BAR_H + 22 - HOSTS_Y);
    fit(hostG.select(".rp-host-name").attr("x", col / 2).text((d) => d.name), col - 6);
    hostG
      .select(".rp-host-state")
      .attr("x", col / 2)
      .text((d) => (d.failed ? poolText("hostFailed") : d.on ? poolText("hostOn", { u: Math.round(hostUtil(state, d) * 100) }) : poolText("hostOff")));
    const v = vcpuBar();
    const m = memBar();
    hostG
      .select(".rp-col-v")
      .attr("x", v.x)
      .attr("width", v.w)
      .attr("y", (d) => HOST_BARS_Y + HOST_BAR_H - (d.cores / maxV) * HOST_BAR_H)
      .attr("height", (d) => (d.cores / maxV) * HOST_BAR_H);
    hostG
      .select(".rp-col-m")
      .attr("x", m.x)
      .attr("width", m.w)
      .attr("y", (d) => HOST_BARS_Y + HOST_BAR_H - (d.pages / maxM) * HOST_BAR_H)
      .attr("height", (d) => (d.pages / maxM) * HOST_BAR_H);
    hostG.select(".rp-col-label-v").attr("x", v.x + v.w / 2).text((d) => `${d.cores}`);
    fit(hostG.select(".rp-col-label-m").attr("x", m.x + m.w / 2).text((d) => memoryShort(d.pages)), col - m.x);

    // The guests: keyed by name, so a placement, restart or move is one block travelling.
    const fresh = c && ["placed", "restarted", "moved"].includes(c.kind) ? c.vm : null;
    const guestG = guestsG.selectAll("g.rp-guest").data(blocks(state), (d) => d.vm).join(
      (enter) => {
        const g = enter.append("g").attr("class", "rp-guest").attr("opacity", duration > 0 ? 0 : 1);
        g.append("rect").attr("class", "rp-guest-v").attr("rx", 3);
        g.append("rect").attr("class", "rp-guest-m").attr("rx", 3);
        g.append("text").attr("class", "rp-guest-name").attr("dy", "0.35em").attr("text-anchor", "middle");
        // A new block starts at the request card: the guest is carved out and carried down.
        g.attr("transform", (d) => `translate(0,${CARD_Y + CARD_H / 2 - d.m.y})`);
        return g;
      },
      (update) => update,
      (exit) =>
        duration > 0
          ? exit.interrupt("move").transition("move").duration(duration).attr("opacity", 0).remove()
          : exit.interrupt("move").remove(),
    );
    guestG
      .attr("data-vm", (d) => d.vm)
      .attr("data-host", (d) => d.host)
      .classed("is-fresh", (d) => d.vm === fresh);
    const place = (sel) =>
      sel
        .attr("opacity", 1)
        .attr("transform", "translate(0,0)")
        .call((g) => g.select(".rp-guest-v").attr("x", (d) => d.v.x).attr("y", (d) => d.v.y).attr("width", (d) => d.v.w).attr("height", (d) => Math.max(1, d.v.h - 1)).attr("fill", (d) => d.color))
        .call((g) => g.select(".rp-guest-m").attr("x", (d) => d.m.x).attr("y", (d) => d.m.y).attr("width", (d) => d.m.w).attr("height", (d) => Math.max(1, d.m.h - 1)).attr("fill", (d) => d.color))
        .call((g) =>
          g
            .select(".rp-guest-name")
            .attr("x", (d) => d.m.x + d.m.w / 2)
            .attr("y", (d) => d.m.y + d.m.h / 2)
            .text((d) => (d.m.h >= 14 ? d.vm : "")),
        );
    guestG.interrupt("move");
    if (duration > 0) place(guestG.transition("move").duration(duration).ease(d3.easeCubicInOut));
    else place(guestG);
  }

  function describeStep({ event, previous, state, scene }) {
    return narrate(event, previous ?? blank(), state, { disk: scene?.kind === "story" ? data.disk_tb : null });
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter((e) => e && typeof e === "object");
    let label = ui("yourRun", { name: caseName ?? "" });
    if (events.length > MAX_EVENTS) label += ui("truncated", { n: MAX_EVENTS });
    return {
      id: "replay",
      kind: "replay",
      label,
      group: poolText("groupRun"),
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default, initial, reduce, render, describe: describeStep, replayScene };
}
