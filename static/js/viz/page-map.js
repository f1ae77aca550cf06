// Lesson 10: a page map. The machine's frames on top (each labelled with the guest page it backs,
// ×n for a read-only frame shared by n guest pages, blank when free), and one row per guest below
// with each guest-physical page's frame (→n), B for a page in the balloon, S for a swapped page.
// A run of page_faults (swap.* events, with the driver's swap.frames marker) is drawn as one row of
// references per frame count, each marked miss or hit, with the pages in memory after it.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { lang, ui } from "./describe.js";
import { say } from "./page-map-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const CELL = 30;
const PER_ROW = 10;
const MAX_EVENTS = 2000;
const COLOURS = 6;

let instances = 0;

function list(items) {
  return items.join(lang() === "zh" ? "、" : ", ");
}

function typeOf(events) {
  return events.some((e) => e && typeof e.kind === "string" && e.kind.startsWith("swap.")) ? "swap" : "memory";
}

export default function createPageMap(stage, data, d3) {
  const uid = `viz-pm-${++instances}`;
  const labels = { share: "sceneShare", salted: "sceneSalted", balloon: "sceneBalloon", belady: "sceneBelady" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneShare"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "page-map")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "pm-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function initial(scene) {
    return { type: typeOf(scene?.events ?? []), frames: 0, frame: {}, guests: {}, order: [], runs: [], current: null, focus: null };
  }

  function copyGuest(g) {
    return { ...g, pmap: { ...g.pmap }, ballooned: [...g.ballooned], swapped: [...g.swapped] };
  }

  function reduce(state, e) {
    const next = { ...state, current: e?.kind ?? null, focus: null };
    const frame = { ...state.frame };
    const guests = { ...state.guests };
    const own = (mpn) => (frame[mpn] = { ...(frame[mpn] ?? { owners: [], content: 0, shared: false }) });
    const release = (guest, gppn, mpn) => {
      if (mpn == null || !frame[mpn]) return;
      const cell = own(mpn);
      cell.owners = cell.owners.filter(([g, p]) => !(g === guest && p === gppn));
      if (!cell.owners.length) delete frame[mpn];
      else if (cell.owners.length === 1) cell.shared = false;
    };
    switch (e?.kind) {
      case "mem.create":
        return { ...initial({ events: [] }), type: "memory", frames: Number(e.frames), policy: e.policy, current: e.kind };
      case "mem.guest":
        guests[e.guest] = { pages: Number(e.pages), salt: e.salt ?? null, pmap: {}, ballooned: [], swapped: [] };
        next.order = [...state.order, e.guest];
        break;
      case "mem.alloc":
      case "mem.swap_in": {
        const g = (guests[e.guest] = copyGuest(guests[e.guest]));
        g.pmap[e.gppn] = e.mpn;
        g.swapped = g.swapped.filter((p) => p !== e.gppn);
        frame[e.mpn] = { owners: [[e.guest, e.gppn]], content: 0, shared: false };
        next.focus = { guest: e.guest, gppn: e.gppn, mpn: e.mpn };
        break;
      }
      case "mem.write":
        if (e.mpn != null && frame[e.mpn]) own(e.mpn).content = e.value;
        next.focus = { guest: e.guest, gppn: e.gppn, mpn: e.mpn };
        break;
      case "mem.read":
      case "mem.translate":
        next.focus = { guest: e.guest, gppn: e.gppn, mpn: e.mpn };
        break;
      case "mem.share": {
        const pages = Array.isArray(e.pages) ? e.pages : [];
        for (const mpn of e.freed ?? []) delete frame[mpn];
        frame[e.mpn] = { owners: pages.map(([g, p]) => [g, p]), content: e.content, shared: pages.length > 1 };
        for (const [g, p] of pages) {
          guests[g] = copyGuest(guests[g]);
          guests[g].pmap[p] = e.mpn;
        }
        next.focus = { mpn: e.mpn };
        break;
      }
      case "mem.cow": {
        const content = frame[e.shared]?.content ?? 0;
        release(e.guest, e.gppn, e.shared);
        const g = (guests[e.guest] = copyGuest(guests[e.guest]));
        g.pmap[e.gppn] = e.mpn;
        frame[e.mpn] = { owners: [[e.guest, e.gppn]], content, shared: false };
        next.focus = { guest: e.guest, gppn: e.gppn, mpn: e.mpn };
        break;
      }
      case "mem.balloon": {
        const g = (guests[e.guest] = copyGuest(guests[e.guest]));
        const gppns = e.gppns ?? [];
        if (e.inflate != null) {
          for (const p of gppns) {
            release(e.guest, p, g.pmap[p]);
            delete g.pmap[p];
            g.swapped = g.swapped.filter((s) => s !== p);
          }
          g.ballooned = [...new Set([...g.ballooned, ...gppns])];
        } else {
          g.ballooned = g.ballooned.filter((p) => !gppns.includes(p));
        }
        next.focus = { guest: e.guest };
        break;
      }
      case "mem.swap_out": {
        const g = (guests[e.guest] = copyGuest(guests[e.guest]));
        release(e.guest, e.gppn, e.mpn);
        delete g.pmap[e.gppn];
        g.swapped = [...g.swapped, e.gppn];
        next.focus = { guest: e.guest, gppn: e.gppn, mpn: e.mpn };
        break;
      }
      case "swap.frames":
        next.type = "swap";
        next.runs = [...state.runs, { frames: Number(e.frames), policy: e.policy ?? "fifo", refs: [], resident: [], misses: 0, hits: 0 }];
        return next;
      case "swap.miss":
      case "swap.hit": {
        next.type = "swap";
        const runs = state.runs.length ? [...state.runs] : [{ frames: null, policy: e.policy ?? "", refs: [], resident: [], misses: 0, hits: 0 }];
        const run = { ...runs[runs.length - 1] };
        const miss = e.kind === "swap.miss";
        run.refs = [...run.refs, { page: e.page, miss }];
        if (miss) {
          run.resident = run.resident.filter((p) => p !== e.victim);
          run.resident = [...run.resident, e.page];
          run.misses += 1;
          if (e.policy) run.policy = e.policy;
        } else {
          run.hits += 1;
        }
        runs[runs.length - 1] = run;
        next.runs = runs;
        return next;
      }
      default:
        return next;
    }
    next.frame = frame;
    next.guests = guests;
    return next;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function pageName([g, p]) {
    return `${g}:${p}`;
  }

  function describeStep({ event: e, previous, state }) {
    const before = previous ?? initial({ events: [] });
    switch (e.kind) {
      case "mem.create":
        return say("create", { frames: e.frames, policy: e.policy });
      case "mem.guest":
        return say("guest", { guest: e.guest, pages: e.pages, overcommit: Number(e.overcommit).toFixed(2) }) + (e.salt ? say("guestSalt", { salt: e.salt }) : "");
      case "mem.map":
        return say("map", e);
      case "mem.alloc":
        return say("alloc", e);
      case "mem.write":
        return say("write", e);
      case "mem.read":
        return say("read", e);
      case "mem.translate":
        return say("translate", { ...e, mpn: e.mpn ?? "—" });
      case "mem.share":
        return say("share", { content: e.content, pages: list((e.pages ?? []).map(pageName)), mpn: e.mpn, freed: list(e.freed ?? []) }) + (e.salt ? say("shareSalted", { salt: e.salt }) : "");
      case "mem.cow": {
        const left = state.frame[e.shared];
        return say(left && left.shared ? "cow" : "cowLast", e);
      }
      case "mem.balloon":
        return say(e.inflate != null ? "balloonIn" : "balloonOut", { guest: e.guest, gppns: list(e.gppns ?? []) });
      case "mem.swap_out":
        return say("swapOut", e);
      case "mem.swap_in":
        return say("swapIn", e);
      case "mem.tax":
        return say("tax", { pages: list(Object.entries(e.pages ?? {}).map(([k, v]) => `${k} ${v}`)) });
      case "swap.frames":
        return say("frames", { n: (e.refs ?? []).length, frames: e.frames });
      case "swap.miss":
      case "swap.hit": {
        const run = state.runs[state.runs.length - 1];
        let text =
          e.kind === "swap.miss"
            ? say("miss", { page: e.page, victim: e.victim == null ? "" : say("missVictim", { victim: e.victim }), resident: `[${run.resident.join(", ")}]`, misses: run.misses })
            : say("hit", { page: e.page, misses: run.misses });
        const done = state.runs.length >= 2 && run.refs.length === (state.runs[0]?.refs.length ?? -1);
        if (done) {
          const [a, b] = [state.runs[state.runs.length - 2], run];
          if (b.frames > a.frames && b.misses > a.misses) text += say("anomaly", { before: a.misses, a: a.frames, after: b.misses, b: b.frames });
        }
        return text;
      }
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  function colourOf(state, guest) {
    return `pm-c${Math.max(0, state.order.indexOf(guest)) % COLOURS}`;
  }

  function cell(g, x, y, cls, text, attrs = {}) {
    const c = g.append("g").attr("class", `pm-cell ${cls}`);
    for (const [k, v] of Object.entries(attrs)) c.attr(k, v);
    c.append("rect").attr("x", x).attr("y", y).attr("width", CELL - 3).attr("height", CELL - 6).attr("rx", 3);
    c.append("text").attr("x", x + (CELL - 3) / 2).attr("y", y + 17).attr("text-anchor", "middle").text(text);
    return c;
  }

  function renderMemory(state, y) {
    const used = Object.keys(state.frame).length;
    const shared = Object.values(state.frame).filter((f) => f.shared).length;
    drawing.append("text").attr("class", "pm-header").attr("x", X0).attr("y", y + 14).text(say("header", { frames: state.frames, free: state.frames - used, shared }));
    y += 24;
    drawing.append("text").attr("class", "pm-subtitle").attr("x", X0).attr("y", y + 14).text(say("framesTitle"));
    y += 20;
    const focus = state.focus ?? {};
    for (let mpn = 0; mpn < state.frames; mpn += 1) {
      const x = X0 + (mpn % PER_ROW) * CELL;
      const row = Math.floor(mpn / PER_ROW);
      const f = state.frame[mpn];
      const isFocus = focus.mpn === mpn ? " is-current" : "";
      if (!f) {
        cell(drawing, x, y + row * CELL, `is-free${isFocus}`, "", { "data-mpn": mpn, "data-state": "free" });
      } else if (f.shared) {
        cell(drawing, x, y + row * CELL, `is-shared${isFocus}`, say("sharedCell", { n: f.owners.length }), { "data-mpn": mpn, "data-state": "shared", "data-owners": f.owners.length });
      } else {
        const [g, p] = f.owners[0];
        cell(drawing, x, y + row * CELL, `${colourOf(state, g)}${isFocus}`, `${g}${p}`, { "data-mpn": mpn, "data-state": "private" });
      }
    }
    y += Math.ceil(state.frames / PER_ROW) * CELL + 4;
    for (const name of state.order) {
      const g = state.guests[name];
      drawing.append("text").attr("class", "pm-subtitle").attr("x", X0).attr("y", y + 14).text(say("guestTitle", { guest: name }));
      y += 20;
      for (let p = 0; p < g.pages; p += 1) {
        const x = X0 + (p % PER_ROW) * CELL;
        const row = Math.floor(p / PER_ROW);
        const isFocus = focus.guest === name && focus.gppn === p ? " is-current" : "";
        let cls = "is-untouched";
        let text = "·";
        let kind = "untouched";
        if (g.ballooned.includes(p)) [cls, text, kind] = ["is-balloon", "B", "balloon"];
        else if (g.swapped.includes(p)) [cls, text, kind] = ["is-swapped", "S", "swapped"];
        else if (g.pmap[p] != null) {
          const f = state.frame[g.pmap[p]];
          [cls, text, kind] = [f?.shared ? "is-shared" : colourOf(state, name), `→${g.pmap[p]}`, f?.shared ? "shared" : "private"];
        }
        cell(drawing, x, y + row * CELL, `${cls}${isFocus}`, text, { "data-guest": name, "data-gppn": p, "data-state": kind });
      }
      y += Math.ceil(g.pages / PER_ROW) * CELL + 4;
    }
    drawing.append("text").attr("class", "pm-key").attr("x", X0).attr("y", y + 12).text(say("keyShared"));
    y += 18;
    drawing.append("text").attr("class", "pm-key").attr("x", X0).attr("y", y + 12).text(say("keyGuest"));
    y += 18;
    drawing.append("text").attr("class", "pm-key").attr("x", X0).attr("y", y + 12).text(say("keyGuest2"));
    return y + 20;
  }

  function renderSwap(state, y) {
    const refW = 24;
    state.runs.forEach((run, i) => {
      const isLast = i === state.runs.length - 1;
      const g = drawing.append("g").attr("class", "pm-run").attr("data-frames", run.frames ?? "").attr("data-misses", run.misses);
      g.append("text").attr("class", "pm-header").attr("x", X0).attr("y", y + 14).text(say("runTitle", { policy: String(run.policy).toUpperCase(), frames: run.frames ?? "?", misses: run.misses, hits: run.hits }));
      y += 22;
      run.refs.forEach((r, k) => {
        const x = X0 + (k % 14) * refW;
        const yy = y + Math.floor(k / 14) * 26;
        const c = g.append("g").attr("class", `pm-ref ${r.miss ? "is-miss" : "is-hit"}${isLast && k === run.refs.length - 1 ? " is-current" : ""}`);
        c.append("rect").attr("x", x).attr("y", yy).attr("width", refW - 3).attr("height", 22).attr("rx", 3);
        c.append("text").attr("x", x + (refW - 3) / 2).attr("y", yy + 16).attr("text-anchor", "middle").text(String(r.page));
      });
      y += Math.max(1, Math.ceil(run.refs.length / 14)) * 26;
      g.append("text").attr("class", "pm-key").attr("x", X0).attr("y", y + 12).text(say("resident", { resident: `[${run.resident.join(", ")}]` }));
      y += 24;
    });
    return y;
  }

  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    const empty = state.type === "swap" ? state.runs.length === 0 : state.frames === 0;
    if (empty) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "pm-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    const y = state.type === "swap" ? renderSwap(state, 8) : renderMemory(state, 8);
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
