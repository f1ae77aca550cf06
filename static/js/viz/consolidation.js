// Lesson 6: why virtual machines, in three pictures drawn from the model's trace.
//
// consolidate: dedicated servers (one VM each) are drained onto few hosts up to a target
//   utilization; a power meter reads the model's `power.meter` events, so the learner sees that
//   moving a VM leaves the watts unchanged and that only a host powering off lowers them.
// snapshot: a guest's memory pages and disk blocks; a snapshot, an update that fails its smoke
//   test, and a rollback whose state hash equals the snapshot's.
// architecture: a guest of the hosts' instruction set is virtualized; one built for another is
//   refused (ArchitectureMismatch) and runs under emulation (QEMU TCG).
//
// The drawing is 310 units wide, as wide as its stage (viz.css: 320 px on a 360 px phone), so
// its smallest text is at least 12 px from a 360 px phone up.

import { bracket, joinList, labelled, lang } from "./describe.js";
import { num, say } from "./consolidation-text.js";

const W = 310;
const MAX_EVENTS = 2000;
const COLS = 5;
const HOST_W = 56;
const HOST_H = 96;
const HOST_GAP = 4;
const GRID_TOP = 84;
const CHIP = 10;
const CHIP_GAP = 2;
const CELL_W = 33;
const CELL_GAP = 3;

let instances = 0;

const archName = (arch) => (arch === "x86_64" ? "x86-64" : String(arch ?? ""));
const shortHash = (h) => (h ? String(h).slice(0, 8) : "—");

function sceneKindOf(events) {
  if (events.some((e) => e.kind === "fleet.create")) return "consolidate";
  if (events.some((e) => e.kind === "guest.create")) return "snapshot";
  return "architecture";
}

export default function createConsolidation(stage, data, d3) {
  const uid = `viz-cons-${++instances}`;

  const labelOf = (scene) => {
    if (scene.kind === "consolidate") {
      const fleet = scene.events.find((e) => e.kind === "fleet.create") ?? {};
      return say("sceneConsolidate", { n: fleet.servers, u: fleet.utilisation_pct, t: fleet.target_pct });
    }
    return say(scene.kind === "snapshot" ? "sceneSnapshot" : "sceneArchitecture");
  };
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: labelOf(scene),
    group: say("groupLesson"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "consolidation")
    .attr("viewBox", `0 0 ${W} 300`)
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title`);
  svg.append("title").attr("id", `${uid}-title`).text(say("title"));
  const root = svg.append("g");
  const legend = d3.select(stage).append("ul").attr("class", "viz-legend cons-legend");

  // --- folding events into states ------------------------------------------------------------
  function initial(scene) {
    const kind = scene.view ?? scene.kind;
    if (kind === "consolidate") {
      const fleet = scene.events.find((e) => e.kind === "fleet.create") ?? { hosts: [], vms: [] };
      const hosts = {};
      for (const name of fleet.hosts ?? []) hosts[name] = { on: false, vms: [] };
      return {
        view: "consolidate",
        fleet,
        order: fleet.hosts ?? [],
        hosts,
        meter: null,
        first: null,
        moved: null,
        done: null,
      };
    }
    if (kind === "snapshot") {
      return {
        view: "snapshot",
        guest: null,
        pages: 0,
        blocks: 0,
        disk: "disk0",
        memory: {},
        disks: {},
        since: { memory: {}, disk: {} },
        saved: null,
        snapshot: null,
        hash: null,
        test: null,
        testPage: null,
        rolled: null,
        touched: null,
      };
    }
    return { view: "architecture", hosts: [], arches: {}, guests: [], refused: null, emulated: [] };
  }

  function reduce(state, e) {
    if (state.view === "consolidate") return reduceFleet(state, e);
    if (state.view === "snapshot") return reduceSnapshot(state, e);
    return reduceArch(state, e);
  }

  function reduceFleet(state, e) {
    const next = { ...state, hosts: { ...state.hosts }, moved: null };
    const edit = (name) => (next.hosts[name] = { ...(next.hosts[name] ?? { on: false, vms: [] }) });
    switch (e.kind) {
      case "host.power":
        edit(e.host).on = Boolean(e.on);
        break;
      case "pool.place": {
        const h = edit(e.host);
        h.vms = [...h.vms, e.vm];
        break;
      }
      case "pool.move": {
        const from = edit(e.source);
        from.vms = from.vms.filter((vm) => vm !== e.vm);
        const to = edit(e.host);
        to.vms = [...to.vms, e.vm];
        next.moved = { vm: e.vm, source: e.source, host: e.host };
        break;
      }
      case "power.meter":
        next.meter = { watts: e.watts, on: e.hosts_on, u: e.utilisation };
        if (!next.first) next.first = next.meter;
        break;
      case "fleet.consolidated":
        next.done = e;
        break;
      default:
        break;
    }
    return next;
  }

  function reduceSnapshot(state, e) {
    const next = { ...state, touched: null };
    switch (e.kind) {
      case "guest.create":
        next.guest = e.guest;
        next.pages = e.pages;
        next.disk = Object.keys(e.disks ?? { disk0: 8 })[0];
        next.blocks = (e.disks ?? {})[next.disk] ?? 8;
        break;
      case "guest.mem_write":
        next.memory = { ...state.memory, [e.page]: e.value };
        if (state.snapshot) next.since = { ...state.since, memory: { ...state.since.memory, [e.page]: true } };
        next.touched = { where: "memory", at: e.page };
        break;
      case "guest.disk_write":
        next.disks = { ...state.disks, [e.block]: e.value };
        if (state.snapshot) next.since = { ...state.since, disk: { ...state.since.disk, [e.block]: true } };
        next.touched = { where: "disk", at: e.block };
        break;
      case "guest.snapshot":
        next.snapshot = { label: e.label, hash: e.hash };
        next.saved = { memory: state.memory, disks: state.disks };
        next.since = { memory: {}, disk: {} };
        next.hash = e.hash;
        next.rolled = null;
        break;
      case "guest.rollback":
        if (state.saved) {
          next.memory = state.saved.memory;
          next.disks = state.saved.disks;
        }
        next.since = { memory: {}, disk: {} };
        next.hash = e.hash;
        next.rolled = { label: e.label, hash: e.hash, same: e.hash === state.snapshot?.hash };
        break;
      case "test.run":
        next.test = Boolean(e.passed);
        next.testPage = e.page;
        next.hash = e.hash ?? state.hash;
        break;
      default:
        break;
    }
    return next;
  }

  function reduceArch(state, e) {
    const next = { ...state };
    switch (e.kind) {
      case "arch.hosts":
        next.arches = { ...(e.arches ?? {}) };
        break;
      case "pool.create":
        next.hosts = (e.hosts ?? []).map((h) => h.name);
        break;
      case "pool.place":
        next.guests = [...state.guests, { vm: e.vm, host: e.host }];
        break;
      case "arch.refuse":
        next.refused = { vm: e.vm, arch: e.arch, hostArches: e.host_arches ?? [] };
        break;
      case "arch.emulate":
        next.emulated = [
          ...state.emulated,
          { vm: e.vm, arch: e.guest_arch, host: e.host, hostArch: e.host_arch, tr: e.translator },
        ];
        break;
      default:
        break;
    }
    return next;
  }

  // --- narration -------------------------------------------------------------------------------
  function describeStep({ event: e, state, previous, scene, failed }) {
    const pct = (u) => num(Number(u) * 100, 1);
    switch (e.kind) {
      case "fleet.create": {
        const span = e.p_max - e.p_idle;
        const uf = e.utilisation_pct / 100;
        return say("fleetCreate", {
          n: e.servers,
          u: e.utilisation_pct,
          idle: num(e.p_idle, 1),
          span: num(span, 1),
          uf: num(uf, 2),
          w: num(e.p_idle + span * uf, 1),
        });
      }
      case "arch.hosts":
        return say("archHosts", {
          list: joinList(Object.entries(e.arches ?? {}).map(([host, arch]) => bracket(host, archName(arch)))),
        });
      case "pool.create":
        return state.view === "architecture" ? say("archPool", { n: (e.hosts ?? []).length }) : say("poolCreate");
      case "host.power":
        if (e.on) return say("powerOn", { host: e.host });
        return say("powerOff", { host: e.host, idle: num(state.fleet?.p_idle, 1) });
      case "pool.place":
        if (state.view === "architecture") {
          return say("archPlace", { vm: e.vm, arch: archName(state.arches[e.host]), host: e.host });
        }
        return say("placed", { vm: e.vm, host: e.host });
      case "pool.move": {
        const load = (state.hosts[e.host]?.vms.length ?? 0) * (state.fleet?.utilisation_pct ?? 0);
        return say("moved", { vm: e.vm, source: e.source, host: e.host, u: load, t: state.fleet?.target_pct });
      }
      case "power.meter": {
        const vars = { w: num(e.watts, 1), on: e.hosts_on, u: pct(e.utilisation) };
        if (!previous?.meter) return say("meterFirst", { ...vars, idle: num(e.hosts_on * (state.fleet?.p_idle ?? 0), 1) });
        return say("meter", vars);
      }
      case "fleet.consolidated": {
        const vars = {
          before: e.hosts_before,
          after: e.hosts_after,
          wb: num(e.watts_before, 1),
          wa: num(e.watts_after, 1),
          off: e.hosts_before - e.hosts_after,
          p: num((1 - e.watts_after / e.watts_before) * 100, 0),
        };
        return say(failed ? "consolidatedFailed" : "consolidated", vars);
      }
      case "guest.create":
        return say("guestCreate", { vm: e.guest, pages: e.pages, blocks: state.blocks });
      case "guest.start":
        return say("guestStart", { vm: e.guest, host: e.host ?? "" });
      case "guest.mem_write":
        return say("memWrite", { vm: e.guest, page: e.page, since: previous?.snapshot ? say("sinceSnapshot") : "" });
      case "guest.disk_write":
        return say("diskWrite", {
          vm: e.guest,
          disk: e.disk,
          block: e.block,
          since: previous?.snapshot ? say("sinceSnapshot") : "",
        });
      case "test.run":
        return say(e.passed ? "testPass" : "testFail", { page: e.page });
      case "guest.snapshot":
        return say("snapshot", { label: e.label, h: shortHash(e.hash) });
      case "guest.rollback":
        return say("rollback", {
          label: e.label,
          h: shortHash(e.hash),
          verdict: say(state.rolled?.same ? "rollbackSame" : "rollbackDiffers"),
        });
      case "arch.refuse":
        return say("archRefuse", {
          vm: e.vm,
          arch: archName(e.arch),
          hostArch: joinList((e.host_arches ?? []).map(archName)),
        });
      case "arch.emulate":
        return say("archEmulate", {
          vm: e.vm,
          arch: archName(e.guest_arch),
          host: e.host,
          hostArch: archName(e.host_arch),
          tr: e.translator,
        });
      default:
        return say("other", { kind: e.kind });
    }
  }

  // --- drawing ---------------------------------------------------------------------------------
  function text(parent, x, y, content, cls, anchor = "start") {
    return parent.append("text").attr("x", x).attr("y", y).attr("class", cls).attr("text-anchor", anchor).text(content);
  }

  // A sentence across the drawing, broken into lines that fit its 310 units at 12-13 px. Latin
  // words and numbers ("x86-64", "QEMU") never break; Chinese may break between any characters.
  function lines(parent, x, y, content, cls) {
    const room = W - x - 8;
    const widthOf = (token) => [...token].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 14 : 7), 0);
    const tokens = String(content).match(/[A-Za-z0-9_.\-()'’“”:,%=≠✗↺]+|\s+|./gu) ?? [];
    const out = [];
    let line = "";
    for (const token of tokens) {
      if (line && widthOf(line + token) > room && !/^\s+$/.test(token)) {
        out.push(line.trimEnd());
        line = token.trimStart();
      } else line += token;
    }
    if (line.trim()) out.push(line.trimEnd());
    const node = parent.append("text").attr("class", cls).attr("x", x).attr("y", y);
    out.forEach((part, i) => node.append("tspan").attr("x", x).attr("dy", i === 0 ? 0 : 16).text(part));
    return { node, height: out.length * 16 };
  }

  function legendItems(items) {
    legend
      .selectAll("li")
      .data(items)
      .join("li")
      .text((d) => d);
  }

  function render(state, info) {
    root.selectAll("*").remove();
    if (state.view === "consolidate") renderFleet(state, info);
    else if (state.view === "snapshot") renderSnapshot(state, info);
    else renderArch(state, info);
  }

  function renderFleet(state, { failed, departed }) {
    const fleet = state.fleet;
    const order = state.order;
    const rows = Math.max(1, Math.ceil(order.length / COLS));
    const height = GRID_TOP + rows * (HOST_H + HOST_GAP) + 4;
    svg.attr("viewBox", `0 0 ${W} ${height}`);
    legendItems([say("legendVm"), say("legendTarget"), say("legendOff")]);

    // The meter: the model's own reading, against a bar scaled to the reading before.
    const meter = root.append("g").attr("class", "cons-meter").classed("is-departed", departed);
    const start = state.first?.watts ?? 0;
    const scale = Math.max(1, start);
    const watts = state.meter?.watts ?? 0;
    text(meter, 8, 16, say("meterTitle"), "cons-label");
    text(meter, W - 8, 20, state.meter ? say("watts", { w: num(watts, 1) }) : "—", "cons-watts", "end");
    text(
      meter,
      8,
      36,
      state.meter ? say("meterLine", { on: state.meter.on, n: order.length, u: num(state.meter.u * 100, 1) }) : "",
      "cons-sub",
    );
    meter.append("rect").attr("class", "cons-track").attr("x", 8).attr("y", 46).attr("width", W - 16).attr("height", 12);
    meter
      .append("rect")
      .attr("class", "cons-bar")
      .attr("x", 8)
      .attr("y", 46)
      .attr("height", 12)
      .attr("width", ((W - 16) * Math.min(watts, scale)) / scale);
    if (state.first) {
      meter.append("line").attr("class", "cons-before").attr("x1", W - 8).attr("x2", W - 8).attr("y1", 42).attr("y2", 62);
      const savedW = start - watts;
      const line =
        savedW > 0.05
          ? `${say("before", { w: num(start, 1) })} · ${say("saved", { w: num(savedW, 1), p: num((savedW / start) * 100, 0) })}`
          : say("before", { w: num(start, 1) });
      text(meter, 8, 74, (failed && state.done ? "✗ " : "") + line, "cons-sub");
    }

    const idle = fleet.p_idle ?? 0;
    const span = (fleet.p_max ?? 0) - idle;
    order.forEach((name, i) => {
      const host = state.hosts[name] ?? { on: false, vms: [] };
      const x = 8 + (i % COLS) * (HOST_W + HOST_GAP);
      const y = GRID_TOP + Math.floor(i / COLS) * (HOST_H + HOST_GAP);
      const u = (host.vms.length * (fleet.utilisation_pct ?? 0)) / 100;
      const g = root
        .append("g")
        .attr("class", "cons-host")
        .attr("data-host", name)
        .attr("data-on", String(host.on))
        .classed("is-off", !host.on)
        .classed("is-source", state.moved?.source === name)
        .classed("is-target", state.moved?.host === name)
        .attr("transform", `translate(${x},${y})`);
      g.append("rect").attr("class", "cons-box").attr("width", HOST_W).attr("height", HOST_H).attr("rx", 5);
      g.append("title").text(labelled(name, joinList(host.vms)));
      text(g, HOST_W / 2, 15, name.replace("server", "srv "), "cons-name", "middle");
      host.vms.forEach((vm, k) => {
        g.append("rect")
          .attr("class", "cons-vm")
          .classed("is-moved", state.moved?.vm === vm)
          .attr("x", 4 + (k % 4) * (CHIP + CHIP_GAP))
          .attr("y", 22 + Math.floor(k / 4) * (CHIP + CHIP_GAP))
          .attr("width", CHIP)
          .attr("height", CHIP)
          .attr("rx", 2);
      });
      // Utilization bar with the target tick.
      g.append("rect").attr("class", "cons-utrack").attr("x", 4).attr("y", 52).attr("width", HOST_W - 8).attr("height", 8);
      g.append("rect")
        .attr("class", "cons-ubar")
        .attr("x", 4)
        .attr("y", 52)
        .attr("height", 8)
        .attr("width", (HOST_W - 8) * Math.min(1, u));
      const tx = 4 + ((HOST_W - 8) * (fleet.target_pct ?? 100)) / 100;
      g.append("line").attr("class", "cons-target").attr("x1", tx).attr("x2", tx).attr("y1", 49).attr("y2", 63);
      text(g, HOST_W / 2, 76, host.on ? `${num(u * 100, 0)} %` : say("watts", { w: 0 }), "cons-util", "middle");
      text(g, HOST_W / 2, 91, host.on ? say("watts", { w: num(idle + span * u, 0) }) : say("off"), "cons-hw", "middle");
    });
  }

  function cells(parent, y, count, label, values, since, cfgPage, touched, where) {
    text(parent, 8, y - 6, label, "cons-label");
    for (let i = 0; i < count; i += 1) {
      const x = 8 + i * (CELL_W + CELL_GAP);
      const written = values[i] != null && values[i] !== 0;
      const cell = parent
        .append("g")
        .attr("class", "cons-cell")
        .attr("data-where", where)
        .attr("data-index", i)
        .classed("is-written", written)
        .classed("is-since", Boolean(since[i]))
        .classed("is-touched", touched?.where === where && touched.at === i)
        .attr("transform", `translate(${x},${y})`);
      cell.append("rect").attr("width", CELL_W).attr("height", 26).attr("rx", 3);
      cell.append("title").text(labelled(`${label} ${i}`, values[i] ?? 0));
      const mark = since[i] ? "✎" : where === "memory" && i === cfgPage ? "cfg" : String(i);
      text(cell, CELL_W / 2, 17, mark, "cons-cell-text", "middle");
    }
  }

  function renderSnapshot(state, { failed }) {
    svg.attr("viewBox", `0 0 ${W} 236`);
    legendItems([say("legendCells")]);
    const g = root.append("g").attr("class", "cons-snapshot");
    text(g, 8, 16, state.guest ?? "", "cons-title");
    text(g, W - 8, 16, say("hash", { h: shortHash(state.hash) }), "cons-sub", "end");
    cells(g, 44, state.pages, say("memory"), state.memory, state.since.memory, state.testPage ?? 0, state.touched, "memory");
    cells(g, 96, state.blocks, say("disk"), state.disks, state.since.disk, null, state.touched, "disk");
    const snap = state.snapshot
      ? say("snapshotBadge", { label: state.snapshot.label, h: shortHash(state.snapshot.hash) })
      : say("noSnapshot");
    text(g, 8, 146, snap, "cons-badge");
    const test = state.test == null ? say("testNone") : say(state.test ? "testPassed" : "testFailed");
    text(g, 8, 170, test, "cons-badge").classed("is-bad", state.test === false);
    if (state.rolled) {
      // A failing replay never shows a green tick here: an equal hash is stated, not praised.
      const key = state.rolled.same ? (failed ? "identicalNeutral" : "identical") : "differs";
      lines(g, 8, 194, `↺ ${say("hash", { h: shortHash(state.rolled.hash) })} ${say(key)}`, "cons-badge")
        .node.classed("is-good", state.rolled.same && !failed)
        .classed("is-bad", !state.rolled.same);
    }
  }

  function renderArch(state, { failed }) {
    legendItems([say("legendArch")]);
    const g = root.append("g").attr("class", "cons-arch");
    const hostW = (W - 24) / 2;
    const boxH = 120;
    const archOf = (host) => archName(state.arches[host] ?? "x86_64");
    state.hosts.forEach((name, i) => {
      const x = 8 + (i % 2) * (hostW + 8);
      const y0 = 8 + Math.floor(i / 2) * (boxH + 8);
      const h = g
        .append("g")
        .attr("class", "cons-ahost")
        .attr("data-host", name)
        .attr("data-arch", state.arches[name] ?? "")
        .attr("transform", `translate(${x},${y0})`);
      h.append("rect").attr("class", "cons-box").attr("width", hostW).attr("height", boxH).attr("rx", 6);
      text(h, 8, 18, say("hostArch", { host: name, arch: archOf(name) }), "cons-name");
      let y = 28;
      for (const guest of state.guests.filter((gst) => gst.host === name)) {
        h.append("rect").attr("class", "cons-guest").attr("x", 6).attr("y", y).attr("width", hostW - 12).attr("height", 24).attr("rx", 4);
        text(h, 12, y + 16, `${guest.vm} · ${archOf(name)}`, "cons-cell-text");
        y += 28;
      }
      for (const emulated of state.emulated.filter((em) => em.host === name)) {
        h.append("rect").attr("class", "cons-emulator").attr("x", 6).attr("y", y).attr("width", hostW - 12).attr("height", 40).attr("rx", 4);
        text(h, 12, y + 16, say("emulator", { tr: emulated.tr }), "cons-cell-text");
        text(h, 12, y + 33, `${emulated.vm} · ${archName(emulated.arch)}`, "cons-cell-text");
        y += 44;
      }
    });
    let y = 8 + Math.ceil(Math.max(1, state.hosts.length) / 2) * (boxH + 8) + 14;
    for (const placed of state.guests) {
      y += lines(g, 8, y, say("virtualised", { vm: placed.vm, arch: archOf(placed.host) }), "cons-line").height + 4;
    }
    if (state.refused) {
      const refused = say("refused", { vm: state.refused.vm, arch: archName(state.refused.arch) });
      y += lines(g, 8, y, refused, "cons-line is-bad").height + 4;
    }
    for (const emulated of state.emulated) {
      const line = say("emulated", { vm: emulated.vm, arch: archName(emulated.arch), host: archName(emulated.hostArch) });
      y += lines(g, 8, y, (failed ? "✗ " : "") + line, "cons-line").height + 4;
    }
    svg.attr("viewBox", `0 0 ${W} ${Math.max(200, y + 4)}`);
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter((e) => e && typeof e === "object");
    const view = sceneKindOf(events);
    const prefix = lang() === "zh" ? "你的运行：" : "Your run: ";
    return {
      id: "replay",
      kind: "replay",
      view,
      label: `${prefix}${caseName ?? ""}`,
      group: say("groupRun"),
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default, initial, reduce, render, describe: describeStep, replayScene };
}
