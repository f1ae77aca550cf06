// Lesson 3: how virtualization works. Hosts are boxes stacked top to bottom; each guest the
// hypervisor carves out is a card inside its host (vCPUs, memory pages in use, disk blocks, state
// hash). Saving a guest puts its files (.vmx, .vmdk, .vmss) beside it as chips; copying moves the
// chips to another host, where opening them brings the same guest (same hash) back. With linked
// clones a storage panel lists every disk layer once: the frozen, shared base and each delta.
//
// The drawing is 360 units wide and its smallest text is 14 units (viz.css), so on a 390 px phone
// (drawing about 314 px wide) no text is below 12 px.

import { joinList, joinSentences, labelled } from "./describe.js";
import { say, stateName } from "./vm-files-text.js";

const W = 360;
const PAD = 10;
const HOST_HEAD = 40;
const CARD_H = 46;
const CARD_GAP = 6;
const CHIP_H = 22;
const HOST_GAP = 16;
const LAYER_H = 38;
const MAX_EVENTS = 2000;
const short = (hash) => String(hash ?? "").slice(0, 6);

let instances = 0;

function blank() {
  return {
    hosts: [],
    caps: {},
    guests: [],
    files: [],
    layers: {},
    saved: {},
    pending: null,
    lastGuest: null,
    lastFiles: null,
  };
}

function copyState(s) {
  return {
    ...s,
    hosts: [...s.hosts],
    guests: s.guests.map((g) => ({ ...g, mem: { ...g.mem }, disks: { ...g.disks } })),
    files: s.files.map((f) => ({ ...f })),
    layers: Object.fromEntries(Object.entries(s.layers).map(([k, l]) => [k, { ...l, blocks: { ...l.blocks } }])),
    saved: { ...s.saved },
  };
}

const latest = (s, name) => {
  for (let i = s.guests.length - 1; i >= 0; i -= 1) if (s.guests[i].name === name) return s.guests[i];
  return null;
};

const NONE = "__none";
const hostKey = (host) => (host == null ? NONE : String(host));

function addHost(s, host) {
  const key = hostKey(host);
  if (!s.hosts.includes(key)) s.hosts.push(key);
}

export function reduceVmFiles(state, e) {
  const s = copyState(state);
  s.lastGuest = e.guest ?? null;
  s.lastFiles = null;
  switch (e.kind) {
    case "guest.create": {
      const from = s.pending?.guest === e.guest ? s.pending : null;
      const disks = {};
      for (const disk of Object.keys(e.disks ?? {})) {
        const layer = `${e.guest}-${disk}#${s.guests.length}`;
        s.layers[layer] = { name: `${e.guest}-${disk}`, owner: e.guest, base: null, frozen: false, blocks: {} };
        disks[disk] = layer;
      }
      s.guests.push({
        id: s.guests.length,
        name: e.guest,
        vcpus: e.vcpus,
        pages: e.pages,
        blocks: Object.values(e.disks ?? {}).reduce((a, b) => a + b, 0),
        host: undefined,
        state: "defined",
        mem: {},
        disks,
        hash: null,
        restoring: Boolean(from) || s.guests.some((g) => g.name === e.guest),
        from: from?.files ?? null,
      });
      break;
    }
    case "security.register":
      break;
    case "guest.start": {
      const g = latest(s, e.guest);
      if (!g) break;
      if (e.host !== undefined && e.host !== null) g.host = e.host;
      if (g.host === undefined) g.host = null;
      addHost(s, g.host);
      g.state = "running";
      break;
    }
    case "guest.stop": {
      const g = latest(s, e.guest);
      if (g) Object.assign(g, { state: "stopped", mem: {} });
      break;
    }
    case "guest.mem_write": {
      const g = latest(s, e.guest);
      if (!g) break;
      if (e.value) g.mem[e.page] = e.value;
      else delete g.mem[e.page];
      g.hash = null; // the state moved on: its hash is known again at the next save
      break;
    }
    case "guest.disk_write": {
      const g = latest(s, e.guest);
      const layer = g && s.layers[g.disks[e.disk]];
      if (layer) layer.blocks[e.block] = e.value;
      if (g) g.hash = null;
      break;
    }
    case "guest.save": {
      const g = latest(s, e.guest);
      if (!g) break;
      g.state = "saved";
      g.hash = e.hash;
      s.saved[e.guest] = e.hash;
      const files = (e.files ?? []).map((name) => ({ name, guest: e.guest, host: g.host ?? null }));
      s.files.push(...files);
      s.lastFiles = files.map((f) => f.name);
      break;
    }
    case "guest.copy": {
      addHost(s, e.host);
      const files = (e.files ?? []).map((name) => ({ name, guest: e.guest, host: e.host ?? null, copied: true }));
      s.files.push(...files);
      s.lastFiles = files.map((f) => f.name);
      s.pending = { guest: e.guest, files: e.files ?? [] };
      break;
    }
    case "guest.restore": {
      const g = latest(s, e.guest);
      if (!g) break;
      g.host = e.host ?? null;
      addHost(s, g.host);
      // Restored with its memory (a .vmss) it runs; without one it is powered off.
      const files = g.from ?? s.files.filter((f) => f.guest === e.guest).map((f) => f.name);
      const hadMemory = files.some((name) => String(name).endsWith(".vmss"));
      g.state = hadMemory || Object.keys(g.mem).length ? "running" : "stopped";
      g.hash = e.hash;
      s.pending = null;
      // The files carry memory and disks without an event per page: with the saved hash the
      // contents are known to be the original's; otherwise the card says it does not know.
      const original = s.guests.find((x) => x.name === e.guest && x.id !== g.id && x.state === "saved");
      if (original && s.saved[e.guest] === e.hash) {
        g.mem = { ...original.mem };
        for (const [disk, top] of Object.entries(original.disks)) {
          const own = s.layers[g.disks[disk]];
          if (own) own.blocks = flatten(s, top);
        }
      } else {
        g.unknown = true;
      }
      break;
    }
    case "guest.move": {
      const g = latest(s, e.guest);
      if (!g) break;
      g.host = e.host ?? null;
      addHost(s, g.host);
      break;
    }
    case "guest.snapshot":
    case "guest.rollback": {
      const g = latest(s, e.guest);
      if (!g) break;
      for (const [disk, layer] of Object.entries(g.disks)) {
        const fresh = `${layer}@${e.label}#${Object.keys(s.layers).length}`;
        const base = e.kind === "guest.snapshot" ? layer : s.layers[layer].base ?? layer;
        if (e.kind === "guest.snapshot") s.layers[layer].frozen = true;
        s.layers[fresh] = { name: `${s.layers[base]?.name ?? layer}@${e.label}`, owner: g.name, base, frozen: false, blocks: {} };
        g.disks[disk] = fresh;
      }
      g.hash = e.hash;
      break;
    }
    case "guest.clone": {
      const parent = latest(s, e.parent);
      const clone = latest(s, e.guest);
      if (!parent || !clone) break;
      for (const [disk, layer] of Object.entries(parent.disks)) {
        s.layers[layer].frozen = true;
        const fresh = `${parent.name}-${disk}+#${Object.keys(s.layers).length}`;
        s.layers[fresh] = { name: `${parent.name}-${disk}+`, owner: parent.name, base: layer, frozen: false, blocks: {} };
        parent.disks[disk] = fresh;
        const own = clone.disks[disk];
        if (own && s.layers[own]) s.layers[own].base = layer;
      }
      clone.host = parent.host ?? null;
      addHost(s, clone.host);
      break;
    }
    default:
      break;
  }
  return s;
}

/** One disk as its guest sees it: the layers of its chain merged, newest last. */
function flatten(s, top) {
  const chain = [];
  for (let layer = top; layer && s.layers[layer]; layer = s.layers[layer].base) chain.push(s.layers[layer]);
  const seen = {};
  for (const layer of chain.reverse()) Object.assign(seen, layer.blocks);
  return seen;
}

/** Blocks a guest sees on its disks (every layer of its chain merged). */
function visibleBlocks(s, g) {
  let n = 0;
  for (const top of Object.values(g.disks)) {
    const seen = {};
    const chain = [];
    for (let layer = top; layer && s.layers[layer]; layer = s.layers[layer].base) chain.push(s.layers[layer]);
    for (const layer of chain.reverse()) Object.assign(seen, layer.blocks);
    n += Object.values(seen).filter((v) => v !== 0).length;
  }
  return n;
}

export function storageOf(s) {
  const stored = Object.values(s.layers).reduce((sum, l) => sum + Object.keys(l.blocks).length, 0);
  // A restored copy is the same VM elsewhere; count each VM name once, as it is now.
  const names = [...new Set(s.guests.map((g) => g.name))];
  const full = names.reduce((sum, name) => sum + visibleBlocks(s, latest(s, name)), 0);
  return { stored, full };
}

export default function createVmFiles(stage, data, d3) {
  const uid = `viz-vf-${++instances}`;
  const sceneLabel = (id) => say({ partition: "scenePartition", files: "sceneFiles", clones: "sceneClones" }[id] ?? "sceneFiles");
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    kind: scene.id,
    label: sceneLabel(scene.id),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "vm-files")
    .attr("viewBox", `0 0 ${W} 200`)
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  const hostsG = svg.append("g").attr("class", "vf-hosts");
  const storageG = svg.append("g").attr("class", "vf-storage");
  const endG = svg.append("g").attr("class", "vf-end");

  const legend = d3.select(stage).append("ul").attr("class", "viz-legend vf-legend");
  legend.append("li").text(say("legendFile"));
  legend.append("li").text(say("legendHash"));

  // --- the model of a step ----------------------------------------------------------------
  function initial(scene) {
    const s = blank();
    s.caps = scene.hosts ?? {};
    for (const host of Object.keys(s.caps)) addHost(s, host);
    const states = [s];
    for (const e of scene.events) {
      try {
        states.push(reduceVmFiles(states[states.length - 1], e));
      } catch {
        /* a learner's odd event: the Player skips it too */
      }
    }
    // A guest that is defined but not yet placed is drawn in the host it will run on (the
    // hypervisor there is carving it out, or opening its files); only a guest that never gets a
    // host has a box of its own.
    const home = {};
    for (const state of states) {
      for (const g of state.guests) if (g.host !== undefined && home[g.id] == null) home[g.id] = hostKey(g.host);
    }
    const where = (g) => (g.host !== undefined ? hostKey(g.host) : (home[g.id] ?? NONE));
    // Every state of the scene fixes the layout, so nothing jumps while it plays: each host's box
    // is as tall as the most cards and file chips it ever holds.
    const most = {};
    const order = [...s.hosts];
    for (const state of states) {
      for (const g of state.guests) if (!order.includes(where(g))) order.push(where(g));
      for (const host of state.hosts) if (!order.includes(host)) order.push(host);
      for (const host of order) {
        const m = (most[host] ??= { cards: 0, files: 0 });
        m.cards = Math.max(m.cards, state.guests.filter((g) => where(g) === host).length);
        m.files = Math.max(m.files, state.files.filter((f) => hostKey(f.host) === host).length);
      }
    }
    s.layout = layoutOf({ ...states[states.length - 1], hosts: order }, scene, most);
    s.layout.home = home;
    return s;
  }

  function layoutOf(end, scene, most) {
    const hostY = {};
    let y = PAD;
    for (const host of end.hosts) {
      const m = most[host] ?? { cards: 0, files: 0 };
      const chipRows = Math.ceil(m.files / 2);
      const height = HOST_HEAD + m.cards * (CARD_H + CARD_GAP) + chipRows * (CHIP_H + 4) + PAD;
      hostY[host] = { y, height };
      y += height + HOST_GAP;
    }
    const showStorage = scene.events.some((e) => e.kind === "guest.clone" || e.kind === "guest.snapshot");
    // "As full copies" compares linked clones with copies; a snapshot chain has nothing to compare.
    const showFull = scene.events.some((e) => e.kind === "guest.clone");
    const storageY = y;
    const layers = Object.keys(end.layers);
    const rows = layers.filter((k) => !(end.layers[k].frozen && !Object.keys(end.layers[k].blocks).length));
    if (showStorage) y += 30 + rows.length * LAYER_H + 30;
    return { hosts: end.hosts, hostY, height: y + 10, showStorage, showFull, storageY, layers };
  }

  function reduce(state, e) {
    const next = reduceVmFiles(state, e);
    next.layout = state.layout;
    next.caps = state.caps;
    return next;
  }

  function describeStep({ event: e, state, previous }) {
    const g = latest(state, e.guest);
    const v = { ...e, guest: e.guest, host: e.host ?? say("noHost") };
    switch (e.kind) {
      case "guest.create": {
        const blocks = Object.values(e.disks ?? {}).reduce((a, b) => a + b, 0);
        if (g?.restoring) return say("createRestore", { ...v, blocks });
        return say("create", { ...v, blocks });
      }
      case "security.register":
        return say("register", v);
      case "guest.start":
        return say("start", { ...v, host: g?.host ?? say("noHost") });
      case "guest.stop":
        return say("stop", v);
      case "guest.mem_write":
        return say("memWrite", v);
      case "guest.disk_write": {
        const layer = g ? state.layers[g.disks[e.disk]] : null;
        const cow = layer?.base != null;
        return say(cow ? "diskWriteCow" : "diskWrite", { ...v, layer: layer?.name ?? e.disk });
      }
      case "guest.save":
        return say("save", { ...v, files: joinList(e.files ?? []), hash: short(e.hash) });
      case "guest.copy":
        return say("copy", { ...v, source: e.source ?? say("noHost") });
      case "guest.restore": {
        const saved = previous?.saved?.[e.guest];
        const vars = { ...v, hash: short(e.hash), saved: short(saved), state: stateName(g?.state ?? "defined") };
        if (e.host == null) return say("restoreNoHost", vars);
        if (saved == null) return say("restoreNew", vars);
        return say(saved === e.hash ? "restoreSame" : "restoreDiffers", vars);
      }
      case "guest.move":
        return say("move", v);
      case "guest.clone": {
        const base = Object.values(e.bases ?? {})[0] ?? "";
        const { stored, full } = storageOf(state);
        return joinSentences(say("clone", { ...v, base }), say("storageNow", { n: stored, full }));
      }
      case "guest.snapshot":
        return say("snapshot", { ...v, hash: short(e.hash) });
      case "guest.rollback":
        return say("rollback", { ...v, hash: short(e.hash) });
      default:
        return say("other", { kind: e.kind });
    }
  }

  // --- drawing a state ---------------------------------------------------------------------
  function hostLabel(state, host) {
    if (host === NONE) return say("noHost");
    const cap = state.caps?.[host];
    if (!cap) return say("hostPlain", { host });
    const here = state.guests.filter((g) => hostKey(g.host) === host && g.state === "running");
    const vcpus = here.reduce((a, g) => a + (g.vcpus ?? 0), 0);
    const used = here.reduce((a, g) => a + (g.pages ?? 0), 0);
    return say("hostUse", { host, vcpus, cores: cap.cores, used, pages: cap.pages });
  }

  const chipW = (W - 2 * PAD - 4) / 2;

  function moveTo(selection, target, duration) {
    selection.each(function move() {
      const node = d3.select(this).interrupt("move");
      if (duration > 0 && node.attr("transform") && node.attr("transform") !== target) {
        node.transition("move").duration(duration).ease(d3.easeCubicInOut).attr("transform", target);
      } else {
        node.attr("transform", target);
      }
    });
  }

  function render(state, { duration, event, failed = false, departed = false, position, scene }) {
    const L = state.layout;
    svg.attr("viewBox", `0 0 ${W} ${L.height}`);
    const box = (host) => L.hostY[host] ?? { y: 0, height: HOST_HEAD };
    const where = (g) => (g.host !== undefined ? hostKey(g.host) : (L.home?.[g.id] ?? NONE));
    const boxes = hostsG
      .selectAll("g.vf-host")
      .data(L.hosts, (d) => d)
      .join((enter) => {
        const g = enter.append("g").attr("class", "vf-host");
        g.append("rect").attr("class", "vf-host-box").attr("rx", 8);
        g.append("text").attr("class", "vf-host-label");
        return g;
      })
      .attr("data-host", (d) => d)
      .classed("is-visible", (d) => state.hosts.includes(d) || state.guests.some((g) => where(g) === d))
      .attr("transform", (d) => `translate(0,${box(d).y})`);
    boxes
      .select("rect")
      .attr("x", 1)
      .attr("y", 0)
      .attr("width", W - 2)
      .attr("height", (d) => box(d).height);
    boxes
      .select("text")
      .attr("x", PAD)
      .attr("y", 26)
      .text((d) => hostLabel(state, d));

    // Cards sit in the box of the host each guest is on now, in the order they arrived.
    const cardAt = (g) => {
      const host = where(g);
      const i = state.guests.filter((x) => where(x) === host).indexOf(g);
      return `translate(0,${box(host).y + HOST_HEAD + i * (CARD_H + CARD_GAP)})`;
    };
    const current = event != null ? latest(state, state.lastGuest) : null;
    const cards = hostsG
      .selectAll("g.vf-guest")
      .data(state.guests, (g) => g.id)
      .join((enter) => {
        const c = enter.append("g").attr("class", "vf-guest").attr("transform", cardAt);
        c.append("rect").attr("class", "vf-card").attr("x", PAD).attr("width", W - 2 * PAD).attr("height", CARD_H).attr("rx", 6);
        c.append("text").attr("class", "vf-card-name").attr("x", PAD + 8).attr("y", 19);
        c.append("text").attr("class", "vf-card-hash").attr("x", W - PAD - 8).attr("y", 19).attr("text-anchor", "end");
        c.append("text").attr("class", "vf-card-use").attr("x", PAD + 8).attr("y", 38);
        return c;
      })
      .attr("data-guest", (g) => g.name)
      .attr("data-host", (g) => where(g))
      .attr("data-state", (g) => g.state)
      .classed("is-current", (g) => current != null && g.id === current.id)
      .classed("is-departed", departed);
    cards.each(function place(g) {
      moveTo(d3.select(this), cardAt(g), duration);
    });
    cards.select(".vf-card-name").text((g) => say("card1", { guest: g.name, state: stateName(g.state) }));
    cards.select(".vf-card-hash").text((g) => (g.hash ? say("hash", { hash: short(g.hash) }) : ""));
    cards.select(".vf-card-use").text((g) =>
      say("card2", {
        vcpus: g.vcpus,
        mem: g.unknown ? "?" : Object.keys(g.mem).length,
        pages: g.pages,
        disk: g.unknown ? "?" : visibleBlocks(state, g),
      }),
    );

    // File chips: at the bottom of the box of the host that holds them; a copy starts at its
    // original and travels to its new host.
    const chipAt = (f, host = hostKey(f.host)) => {
      const here = state.files.filter((x) => hostKey(x.host) === hostKey(f.host));
      const i = Math.max(0, here.indexOf(f));
      const rows = Math.ceil(here.length / 2);
      const b = box(host);
      const x = PAD + (i % 2) * (chipW + 4);
      const y = b.y + b.height - PAD - (rows - Math.floor(i / 2)) * (CHIP_H + 4) + 4;
      return `translate(${x},${y})`;
    };
    const chips = hostsG
      .selectAll("g.vf-file")
      .data(state.files, (f) => `${hostKey(f.host)}|${f.name}`)
      .join((enter) => {
        const f = enter.append("g").attr("class", "vf-file");
        f.append("rect").attr("width", chipW).attr("height", CHIP_H).attr("rx", CHIP_H / 2);
        f.append("text").attr("x", chipW / 2).attr("y", CHIP_H / 2).attr("dy", "0.35em").attr("text-anchor", "middle");
        f.attr("transform", (d) => {
          const original = state.files.find((x) => x.name === d.name && !x.copied);
          return d.copied && original ? chipAt(original) : chipAt(d);
        });
        return f;
      })
      .attr("data-file", (f) => f.name)
      .attr("data-host", (f) => hostKey(f.host))
      .classed("is-new", (f) => Boolean(state.lastFiles?.includes(f.name)) && (event?.kind !== "guest.copy" || f.copied));
    chips.select("text").text((f) => f.name);
    chips.each(function place(f) {
      moveTo(d3.select(this), chipAt(f), duration * 1.5);
    });

    drawStorage(state, L);

    // A failing replay is marked from its departure on, and never ends on a success mark.
    const ended = scene && position === scene.events.length && position > 0;
    endG
      .selectAll("text")
      .data(failed && (ended || departed) ? ["✗"] : [])
      .join("text")
      .attr("class", "vf-failed-mark")
      .attr("x", W - PAD - 4)
      .attr("y", 26)
      .attr("text-anchor", "end")
      .text((d) => d);
  }

  function drawStorage(state, L) {
    storageG.attr("display", L.showStorage ? null : "none");
    if (!L.showStorage) return;
    storageG.attr("transform", `translate(0,${L.storageY})`);
    storageG
      .selectAll("text.vf-storage-title")
      .data([0])
      .join("text")
      .attr("class", "vf-storage-title")
      .attr("x", PAD)
      .attr("y", 18)
      .text(say("storageTitle"));
    // A frozen layer that holds nothing stores nothing: only layers with blocks, or deltas still
    // open for writes, get a row.
    const layers = L.layers.filter((k) => state.layers[k] && !(state.layers[k].frozen && !Object.keys(state.layers[k].blocks).length));
    const most = Math.max(1, ...L.layers.map((k) => Object.keys(state.layers[k]?.blocks ?? {}).length));
    const unit = Math.min(12, (W - 2 * PAD) / most);
    const rows = storageG
      .selectAll("g.vf-layer")
      .data(layers, (k) => k)
      .join((enter) => {
        const r = enter.append("g").attr("class", "vf-layer");
        r.append("text").attr("class", "vf-layer-label").attr("x", PAD).attr("y", 14);
        r.append("g").attr("class", "vf-blocks");
        return r;
      })
      .attr("transform", (k, i) => `translate(0,${30 + i * LAYER_H})`)
      .classed("is-frozen", (k) => state.layers[k].frozen)
      .attr("data-blocks", (k) => Object.keys(state.layers[k].blocks).length);
    rows.select(".vf-layer-label").text((k) => {
      const l = state.layers[k];
      const name = l.frozen ? say("layerShared", { layer: l.name }) : say("layerOwn", { layer: l.name, guest: l.owner });
      return labelled(name, Object.keys(l.blocks).length);
    });
    rows
      .select(".vf-blocks")
      .selectAll("rect")
      .data((k) => Object.keys(state.layers[k].blocks))
      .join("rect")
      .attr("x", (_, i) => PAD + i * unit)
      .attr("y", 20)
      .attr("width", Math.max(1, unit - 2))
      .attr("height", 12);
    const { stored, full } = storageOf(state);
    storageG
      .selectAll("text.vf-total")
      .data([0])
      .join("text")
      .attr("class", "vf-total")
      .attr("x", PAD)
      .attr("y", 30 + layers.length * LAYER_H + 18)
      .attr("data-stored", stored)
      .attr("data-full", full)
      .text(L.showFull ? `${say("stored", { n: stored })} · ${say("fullCopies", { n: full })}` : say("stored", { n: stored }));
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter((e) => e && typeof e === "object");
    return {
      id: "replay",
      kind: "replay",
      label: labelled(say("groupRun"), caseName ?? ""),
      group: say("groupRun"),
      hosts: {},
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default, initial, reduce, render, describe: describeStep, replayScene };
}
