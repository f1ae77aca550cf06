// Lesson 1: one physical host and the slices its hypervisor carves out of it. Rows show the host's
// CPU cores, memory pages, disk blocks and network card; each guest's slice is drawn in its own
// colour with its name, so a write by one guest visibly lands inside its own slice and nowhere
// else, and an address past the end of a slice is refused at the edge.
//
// The drawing is 360 units wide and as wide as its stage (viz.css: 320 px on a 360 px phone):
// every text is at least 14 units, so at least 12.4 px from a 360 px phone up.

import { bracket, formatNumber, joinList, labelled, lang, ui } from "./describe.js";
import { say } from "./machine-slices-text.js";
import { drawLines } from "./svg-lines.js";

const W = 360;
const X0 = 12;
const INNER = W - 2 * X0;
const COLS = 16;
const CELL_GAP = 2;
const CELL_W = (INNER - (COLS - 1) * CELL_GAP) / COLS;
const CELL_H = 18;
const MAX_MEMORY_CELLS = 64;
const MAX_DISK_CELLS = 48;
const PALETTE = 6;
const MAX_EVENTS = 2000;

let instances = 0;

const fmt = (n) => formatNumber(Number(n));

export default function createMachineSlices(stage, data, d3) {
  const uid = `viz-ms-${++instances}`;
  const labels = { carve: "sceneCarve", isolation: "sceneIsolation", files: "sceneFiles" };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(labels[scene.kind] ?? "sceneCarve"),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "machine-slices")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title ${uid}-desc`)
    .attr("viewBox", `0 0 ${W} 120`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  svg.append("desc").attr("id", `${uid}-desc`).text(say("desc"));
  const drawing = svg.append("g").attr("class", "ms-drawing");

  // --- the model of a step ---------------------------------------------------------------------
  function initial() {
    return { host: null, slices: [], memory: {}, disk: {}, files: {}, current: null, lastRead: null, lastTarget: null };
  }

  function ownerOf(state, resource, where) {
    if (resource === "memory" && state.host && where < state.host.hv) return { guest: null, hv: true };
    const key = resource === "memory" ? "memory" : "disk";
    const slice = state.slices.find((s) => s[key][0] <= where && where < s[key][1]);
    return slice ? { guest: slice.guest, colour: slice.colour } : null;
  }

  function sliceOf(state, guest) {
    return state.slices.find((s) => s.guest === guest);
  }

  function reduce(state, e) {
    const next = { ...state, current: null };
    switch (e?.kind) {
      case "slice.host":
        return {
          ...initial(),
          host: { name: e.host, cores: e.cores, pages: e.pages, blocks: e.blocks, mbps: e.nic_mbps, hv: e.hypervisor_pages ?? 0 },
          current: { kind: "host" },
        };
      case "slice.carve":
        next.slices = [
          ...state.slices,
          { guest: e.guest, cores: e.cores ?? [], memory: e.memory, disk: e.disk, mbps: e.nic_mbps ?? 0, colour: state.slices.length % PALETTE },
        ];
        next.current = { kind: "carve", guest: e.guest };
        break;
      case "slice.write": {
        const store = e.resource === "memory" ? "memory" : "disk";
        next[store] = { ...state[store] };
        if (e.value) next[store][e.host_address] = e.value;
        else delete next[store][e.host_address];
        next.current = { kind: "write", guest: e.guest, resource: e.resource, target: e.host_address };
        break;
      }
      case "slice.read":
        next.current = { kind: "read", guest: e.guest, resource: e.resource, target: e.host_address };
        next.lastRead = e.value;
        next.lastTarget = e.host_address;
        break;
      case "slice.refused":
        if (e.address != null) {
          const slice = sliceOf(state, e.guest);
          const range = slice?.[e.resource === "memory" ? "memory" : "disk"];
          const target = range ? range[0] + Number(e.address) : null;
          next.current = { kind: "refusedAccess", guest: e.guest, resource: e.resource, target };
          next.lastRead = "refused";
          next.lastTarget = null;
        } else {
          next.current = { kind: "refusedCarve", guest: e.guest, resource: e.resource };
        }
        break;
      case "slice.restart": {
        const slice = sliceOf(state, e.guest);
        next.memory = { ...state.memory };
        if (slice) for (let f = slice.memory[0]; f < slice.memory[1]; f += 1) delete next.memory[f];
        next.current = { kind: "restart", guest: e.guest };
        break;
      }
      case "slice.save":
        next.files = { ...state.files, [e.guest]: e.files ?? [] };
        next.current = { kind: "save", guest: e.guest };
        break;
      case "slice.predicted":
        next.current = { kind: "predicted", guest: e.guest };
        break;
      case "slice.translated":
        // The learner's answer, drawn where it points; the model's own access was the step before.
        next.current = { kind: "translated", guest: e.guest, resource: e.resource, target: e.host_address };
        break;
      default:
        break;
    }
    return next;
  }

  // --- the sentence of a step ------------------------------------------------------------------
  function unitWords(resource) {
    return resource === "memory" ? [say("page"), say("pages")] : [say("block"), say("blocks")];
  }

  function show(value) {
    return value === "refused" ? say("refused") : value == null ? "None" : String(value);
  }

  function describeStep({ event: e, previous, state }) {
    const before = previous ?? initial();
    switch (e.kind) {
      case "slice.host":
        return say("host", { host: e.host, cores: e.cores, pages: fmt(e.pages), blocks: fmt(e.blocks), mbps: fmt(e.nic_mbps), hv: e.hypervisor_pages ?? 0 });
      case "slice.carve":
        return say("carve", {
          guest: e.guest,
          vcpus: (e.cores ?? []).length,
          cores: joinList(e.cores ?? []),
          m0: e.memory[0],
          m1: e.memory[1] - 1,
          d0: e.disk[0],
          d1: e.disk[1] - 1,
          mbps: fmt(e.nic_mbps ?? 0),
        });
      case "slice.refused": {
        if (e.address == null) {
          return say("refusedCarve", { guest: e.guest, need: fmt(e.need), what: say(`res_${e.resource}`), free: fmt(e.free) });
        }
        const [unit, units] = unitWords(e.resource);
        const slice = sliceOf(before, e.guest);
        const range = slice?.[e.resource === "memory" ? "memory" : "disk"];
        let text = say("refusedAccess", {
          guest: e.guest,
          op: say(`op_${e.op ?? "access"}`),
          unit,
          units,
          address: e.address,
          size: range ? range[1] - range[0] : "?",
        });
        const target = state.current?.target;
        const owner = target != null ? ownerOf(before, e.resource, target) : null;
        if (owner?.guest && owner.guest !== e.guest) text += say("wouldHit", { unit, target, owner: owner.guest });
        return text;
      }
      case "slice.write": {
        const [unit] = unitWords(e.resource);
        return say("write", { guest: e.guest, value: e.value, unit, address: e.address, target: e.host_address });
      }
      case "slice.read": {
        const [unit] = unitWords(e.resource);
        let text = say("read", { guest: e.guest, unit, address: e.address, target: e.host_address, value: e.value });
        if (!e.value) text += say("readEmpty", { guest: e.guest });
        return text;
      }
      case "slice.restart":
        return say("restart", { guest: e.guest, n: e.cleared ?? 0 });
      case "slice.save":
        return say("save", { guest: e.guest, files: joinList(e.files ?? []) });
      case "slice.predicted": {
        const seen = before.lastRead;
        if (JSON.stringify(e.predicted) === JSON.stringify(seen)) return say("predictRight", { value: show(seen) });
        return say("predictWrong", { predicted: show(e.predicted), value: show(seen) });
      }
      case "slice.translated": {
        const [unit] = unitWords(e.resource);
        const model = before.lastTarget;
        const yours = e.host_address;
        if ((yours ?? null) === (model ?? null)) {
          return yours == null ? say("translatedRefused") : say("translatedRight", { unit, target: yours });
        }
        const said = yours == null ? "None" : lang() === "zh" ? `第 ${yours} ${unit}` : `${unit} ${yours}`;
        return model == null
          ? say("translatedShouldRefuse", { yours: said })
          : say("translatedWrong", { yours: said, unit, target: model });
      }
      default:
        return say("unknown", { kind: String(e.kind) });
    }
  }

  // --- drawing a state -------------------------------------------------------------------------
  function cellsRow(g, y, title, count, cellsMax, owner, stored, current, resource) {
    const per = Math.max(1, Math.ceil(count / cellsMax));
    const cells = Math.ceil(count / per);
    g.append("text").attr("class", "ms-row-title").attr("x", X0).attr("y", y + 13).text(title + (per > 1 ? say("perCell", { k: per }) : ""));
    const top = y + 20;
    const rows = Math.ceil(cells / COLS);
    for (let i = 0; i < cells; i += 1) {
      const first = i * per;
      const x = X0 + (i % COLS) * (CELL_W + CELL_GAP);
      const cy = top + Math.floor(i / COLS) * (CELL_H + CELL_GAP);
      const who = owner(first);
      const held = per === 1 ? stored[first] : undefined;
      const hit = current?.resource === resource && current.target != null && Math.floor(current.target / per) === i;
      const cell = g
        .append("g")
        .attr("class", [
          "ms-cell",
          who?.hv ? "is-hypervisor" : who ? `ms-g${who.colour}` : "is-free",
          held != null ? "is-written" : "",
          hit ? `is-current is-${current.kind}` : "",
        ].join(" "))
        .attr("data-resource", resource)
        .attr("data-index", first)
        .attr("data-owner", who?.hv ? "hypervisor" : (who?.guest ?? ""));
      cell.append("rect").attr("x", x).attr("y", cy).attr("width", CELL_W).attr("height", CELL_H).attr("rx", 2);
      cell.append("title").text(labelled(first, who?.hv ? say("legendHv") : (who?.guest ?? say("legendFree"))));
      if (held != null) {
        cell.append("text").attr("class", "ms-value").attr("x", x + CELL_W / 2).attr("y", cy + CELL_H / 2).attr("dy", "0.35em").attr("text-anchor", "middle").text(held);
      } else if (hit && current.kind === "refusedAccess") {
        cell.append("text").attr("class", "ms-cross").attr("x", x + CELL_W / 2).attr("y", cy + CELL_H / 2).attr("dy", "0.35em").attr("text-anchor", "middle").text("✗");
      }
    }
    return top + rows * (CELL_H + CELL_GAP) + 6;
  }

  function render(state, { duration, failed = false, departed = false }) {
    drawing.selectAll("*").remove();
    svg.classed("is-departed", departed).classed("is-failed-run", failed);
    if (!state.host) {
      drawLines(drawing, say("empty"), { x: W / 2, y: 60, width: W - 24, anchor: "middle", cls: "ms-empty" });
      svg.attr("viewBox", `0 0 ${W} 120`);
      return;
    }
    const host = state.host;
    const current = state.current;
    const active = current?.guest;
    let y = 8;
    drawing.append("text").attr("class", "ms-host-title").attr("x", X0).attr("y", y + 14).text(say("hostTitle", { host: host.name }));
    y += 26;

    // CPU cores: each vCPU on a core of its own in this model.
    const cores = drawing.append("g").attr("class", "ms-row ms-cores");
    cores.append("text").attr("class", "ms-row-title").attr("x", X0).attr("y", y + 13).text(say("rowCores", { n: host.cores }));
    const coreGap = 4;
    const coreW = (INNER - (host.cores - 1) * coreGap) / host.cores;
    for (let c = 0; c < host.cores; c += 1) {
      const slice = state.slices.find((s) => s.cores.includes(c));
      const x = X0 + c * (coreW + coreGap);
      const core = cores
        .append("g")
        .attr("class", `ms-cell ${slice ? `ms-g${slice.colour}` : "is-free"}${slice && slice.guest === active ? " is-active" : ""}`)
        .attr("data-resource", "cores")
        .attr("data-owner", slice?.guest ?? "");
      core.append("rect").attr("x", x).attr("y", y + 20).attr("width", coreW).attr("height", 24).attr("rx", 3);
      if (slice && coreW >= 34) {
        core.append("text").attr("class", "ms-core-label").attr("x", x + coreW / 2).attr("y", y + 32).attr("dy", "0.35em").attr("text-anchor", "middle").text(slice.guest.slice(0, 4));
      }
    }
    y += 52;

    const memOwner = (frame) => ownerOf(state, "memory", frame);
    const diskOwner = (block) => ownerOf(state, "disk", block);
    y = cellsRow(drawing.append("g").attr("class", "ms-row ms-memory"), y, say("rowMemory", { n: fmt(host.pages) }), host.pages, MAX_MEMORY_CELLS, memOwner, state.memory, current, "memory");
    y = cellsRow(drawing.append("g").attr("class", "ms-row ms-disk"), y, say("rowDisk", { n: fmt(host.blocks) }), host.blocks, MAX_DISK_CELLS, diskOwner, state.disk, current, "disk");

    // The network card: one physical card, its bandwidth shared out among the guests' vNICs.
    const nic = drawing.append("g").attr("class", "ms-row ms-nic");
    nic.append("text").attr("class", "ms-row-title").attr("x", X0).attr("y", y + 13).text(say("rowNic", { n: fmt(host.mbps) }));
    nic.append("rect").attr("class", "ms-nic-track").attr("x", X0).attr("y", y + 20).attr("width", INNER).attr("height", 16).attr("rx", 3);
    let used = 0;
    for (const slice of state.slices) {
      if (!slice.mbps) continue;
      const width = (INNER * slice.mbps) / Math.max(1, host.mbps);
      nic
        .append("g")
        .attr("class", `ms-cell ms-g${slice.colour}${slice.guest === active ? " is-active" : ""}`)
        .attr("data-resource", "nic")
        .attr("data-owner", slice.guest)
        .append("rect")
        .attr("x", X0 + (INNER * used) / Math.max(1, host.mbps))
        .attr("y", y + 20)
        .attr("width", width)
        .attr("height", 16);
      used += slice.mbps;
    }
    y += 44;

    // The key: who owns which colour, with each slice's size in words.
    const key = drawing.append("g").attr("class", "ms-key");
    const line = (cls, text) => {
      const row = key.append("g").attr("class", cls);
      row.append("rect").attr("class", "ms-swatch").attr("x", X0).attr("y", y + 3).attr("width", 14).attr("height", 14).attr("rx", 2);
      row.append("text").attr("x", X0 + 20).attr("y", y + 14).text(text);
      y += 20;
      return row;
    };
    if (host.hv) line("ms-key-line is-hypervisor", bracket(say("legendHv"), host.hv));
    for (const slice of state.slices) {
      const row = line(`ms-key-line ms-g${slice.colour}${slice.guest === active ? " is-active" : ""}`, say("guestLine", {
        guest: slice.guest,
        vcpus: slice.cores.length,
        pages: fmt(slice.memory[1] - slice.memory[0]),
        blocks: fmt(slice.disk[1] - slice.disk[0]),
      }));
      row.attr("data-guest", slice.guest);
    }
    if (current?.kind === "refusedCarve") {
      line("ms-key-line is-refused", `✗ ${labelled(current.guest, say("refused"))}`);
    }
    for (const [guest, files] of Object.entries(state.files)) {
      line("ms-key-line ms-files", say("filesLine", { guest })).attr("data-guest", guest);
      for (const file of files) {
        key.append("text").attr("class", "ms-file").attr("x", X0 + 34).attr("y", y + 14).text(file);
        y += 20;
      }
    }
    y += 6;
    svg.attr("viewBox", `0 0 ${W} ${y}`);
    if (duration > 0) {
      drawing.selectAll(".is-current rect, .is-active rect").style("opacity", 0.35).transition().duration(duration).style("opacity", 1);
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
