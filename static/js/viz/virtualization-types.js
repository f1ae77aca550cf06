// Lesson 4: the five types of virtualization, one scene each, every step an event of a real model
// run (tutor/web/virtualization_scenes.py). The drawing is phone-first: one column 320 units wide
// whose smallest text is 12 units, so on a 390 px phone it is drawn at scale 1 or more and on a
// desktop it simply grows.
//
// desktop: a golden image over a grid of desktops (its linked clones); a drifted desktop turns
//          orange, an audit marks the failing ones, a patch recolours every cell at once.
// operating_system: VMs with different OSes on one computer's hosted hypervisor, one shared disk.
// server: dedicated servers, then the same applications packed as VMs; idle servers go dark.
// data: three sources with their own field names feeding one federated view that answers apps.
// network_function: tenants on VLANs of one virtual switch, then MANO (NFVO, VNFM, VIM) placing
//          VNFs on the NFVI and a packet travelling each service chain.

import { bracket, describe as describeGeneric, formatNumber, joinList, labelled, lang, ui } from "./describe.js";
import { list, say, TYPES } from "./virtualization-types-text.js";

const W = 320;
const MAX_EVENTS = 2000;
const HEIGHT = { desktop: 330, operating_system: 290, server: 330, data: 330, network_function: 420 };
const GRID_COLS = 20;
const VNF_SHORT = { firewall: "FW", nat: "NAT", load_balancer: "LB" };

let instances = 0;

/** Which of the five types a trace shows, from the kinds of its events. */
export function typeOf(events) {
  const kinds = new Set(events.map((e) => e?.kind));
  const has = (...ks) => ks.some((k) => kinds.has(k));
  if (has("desktop.install", "desktop.roll_out", "desktop.update", "desktop.audit", "guest.clone")) return "desktop";
  if (has("net.attach", "net.forward", "net.learn", "nfv.instantiate", "nfv.service", "nfv.packet")) return "network_function";
  if (has("os.boot")) return "operating_system";
  if (has("data.query")) return "data";
  if (has("server.consolidate", "pool.create", "pool.place")) return "server";
  return "desktop";
}

export default function createVirtualizationTypes(stage, data, d3) {
  const uid = `viz-vt-${++instances}`;
  const setups = Object.fromEntries((data.scenes ?? []).map((s) => [s.type, s.setup ?? {}]));
  const scenes = (data.scenes ?? []).map((scene) => ({
    ...scene,
    label: say(scene.type),
    group: say("groupTypes"),
  }));

  const svg = d3
    .select(stage)
    .append("svg")
    .attr("class", "virtualization-types")
    .attr("role", "img")
    .attr("aria-labelledby", `${uid}-title`);
  const titleEl = svg.append("title").attr("id", `${uid}-title`);
  const head = svg.append("g").attr("class", "vt-head");
  head.append("text").attr("class", "vt-title");
  const tag = head.append("text").attr("class", "vt-tag");
  const body = svg.append("g").attr("class", "vt-body");
  const foot = svg.append("text").attr("class", "vt-failed").attr("x", W / 2).attr("text-anchor", "middle");

  // --- the model of a step ------------------------------------------------------------------
  function initial(scene) {
    const type = scene.type ?? typeOf(scene.events ?? []);
    const setup = scene.setup ?? setups[type] ?? {};
    const events = scene.events ?? [];
    const clones = events.filter((e) => e.kind === "guest.clone").length;
    const rolled = Math.max(0, ...events.filter((e) => e.kind === "desktop.roll_out").map((e) => Number(e.total) || 0));
    return {
      type,
      setup,
      current: null,
      desk: { capacity: Math.max(1, setup.desktops ?? 0, clones, rolled), golden: false, version: 1, setting: false, settingBlock: null, made: 0, names: [], changed: {}, audit: null, audits: [], patched: false, patchBlocks: [] },
      os: { vms: [] },
      server: { phase: "before", hosts: [], apps: {}, consolidated: null, load: setup.load ?? 0.1 },
      data: { queries: [] },
      net: { ports: [], table: [], frame: null, hosts: [], vnfs: [], services: [], packet: null, acting: null },
    };
  }

  function switchToShared(s) {
    if (s.server.phase === "after") return;
    s.server.phase = "after";
    s.server.hosts = s.server.next ?? s.server.hosts.map((h) => ({ name: h.name, on: false, apps: [] }));
    s.server.next = null;
  }

  function reduce(state, e) {
    const s = structuredClone(state);
    s.current = e;
    s.net.frame = null;
    s.net.acting = null;
    s.net.packet = null;
    switch (e?.kind) {
      case "guest.create":
        if (e.guest === "golden") s.desk.golden = true;
        else if (s.type === "operating_system") s.os.vms.push({ name: e.guest, os: null, reads: 0, reading: false });
        break;
      case "desktop.install":
        s.desk.golden = true;
        s.desk.setting = true;
        s.desk.settingBlock = e.block;
        break;
      case "guest.clone":
        if (!s.desk.names.includes(e.guest)) s.desk.names.push(e.guest);
        s.desk.made = Math.max(s.desk.made, s.desk.names.length);
        break;
      case "desktop.roll_out":
        s.desk.made = Math.max(s.desk.made, Number(e.total) || 0);
        break;
      case "guest.disk_write":
        // A user's own files on the profile disk are not drift; a changed OS block is.
        if (e.guest !== "golden" && e.disk !== "profile") s.desk.changed[e.guest] = e.value;
        break;
      case "desktop.audit":
        s.desk.audit = { block: e.block, checked: e.checked, failing: [...(e.failing ?? [])] };
        s.desk.audits.push(s.desk.audit);
        break;
      case "desktop.update":
        s.desk.version = Number(e.version) || s.desk.version + 1;
        s.desk.patched = true;
        s.desk.pushedTo = Number(e.desktops) || s.desk.made;
        s.desk.patchBlocks = [...(e.blocks ?? [])];
        s.desk.changed = {};
        s.desk.audit = null;
        break;
      case "guest.start":
        break;
      case "os.boot": {
        const vm = s.os.vms.find((v) => v.name === e.guest);
        if (vm) vm.os = e.os;
        else s.os.vms.push({ name: e.guest, os: e.os, reads: 0, reading: false });
        break;
      }
      case "op.start":
        for (const vm of s.os.vms) vm.reading = vm.name === e.guest;
        break;
      case "op.end":
        for (const vm of s.os.vms) {
          if (vm.reading) vm.reads += 1;
          vm.reading = false;
        }
        break;
      case "pool.create": {
        const hosts = (e.hosts ?? []).map((h) => ({ name: h.name, on: false, apps: [] }));
        if (s.type === "network_function") s.net.hosts = hosts;
        // consolidate_servers builds today's dedicated pool and the shared one up front, then
        // fills the first; the second takes over when a placement or power-on reaches it.
        else if (s.server.hosts.length) s.server.next = hosts;
        else s.server.hosts = hosts;
        break;
      }
      case "host.power": {
        if (s.type !== "network_function" && e.on && s.server.hosts.find((h) => h.name === e.host)?.on) switchToShared(s);
        const hosts = s.type === "network_function" ? s.net.hosts : s.server.hosts;
        const host = hosts.find((h) => h.name === e.host);
        if (host) host.on = Boolean(e.on);
        break;
      }
      case "pool.place": {
        if (s.type === "network_function") {
          s.net.acting = "vim";
          const host = s.net.hosts.find((h) => h.name === e.host);
          if (host) host.apps.push(e.vm);
        } else {
          s.server.policy ??= e.policy;
          if (e.policy !== s.server.policy) switchToShared(s);
          const host = s.server.hosts.find((h) => h.name === e.host);
          if (host) {
            host.apps.push(e.vm);
            host.on = true;
          }
        }
        break;
      }
      case "pool.remove": {
        for (const host of [...s.server.hosts, ...s.net.hosts]) host.apps = host.apps.filter((a) => a !== e.vm);
        break;
      }
      case "server.consolidate":
        s.server.consolidated = { ...e };
        for (const host of s.server.hosts) if (host.apps.length === 0) host.on = false;
        break;
      case "data.query":
        s.data.queries.push({ fields: e.fields ?? [], rows: e.rows, per: { ...(e.per_source ?? {}) } });
        break;
      case "net.attach":
        s.net.ports.push({ port: e.port, guest: e.guest, mac: e.mac, vlan: e.vlan });
        break;
      case "net.learn":
        s.net.table = s.net.table.filter((row) => !(row.vlan === e.vlan && row.mac === e.mac));
        s.net.table.push({ vlan: e.vlan, mac: e.mac, port: e.port });
        break;
      case "net.forward":
        s.net.frame = { ...e };
        break;
      case "nfv.instantiate":
        s.net.acting = "vnfm";
        s.net.vnfs.push({ name: e.vnf, kind: e.vnf_kind, host: e.host });
        break;
      case "nfv.terminate":
        s.net.acting = "vnfm";
        s.net.vnfs = s.net.vnfs.filter((v) => v.name !== e.vnf);
        for (const host of s.net.hosts) host.apps = host.apps.filter((a) => a !== e.vnf);
        break;
      case "nfv.service":
        s.net.acting = "nfvo";
        s.net.services.push({ name: e.service, chain: [...(e.chain ?? [])] });
        break;
      case "nfv.packet":
        s.net.packet = { ...e };
        break;
      default:
        break;
    }
    return s;
  }

  // --- words for a step -------------------------------------------------------------------
  const guestOfMac = (state, mac) => state.net.ports.find((p) => p.mac === mac)?.guest ?? mac;
  const portsOf = (state, numbers) =>
    list((numbers ?? []).map((n) => bracket(n, state.net.ports.find((p) => p.port === n)?.guest ?? "?")));
  const vnfLabel = (state, name) => name;
  const pct = (x) => Math.round(x * 100);
  const perSource = (per) => list(Object.entries(per ?? {}).map(([k, v]) => `${k} ${v}`));

  function describe({ event: e, state, previous }) {
    const before = previous ?? state;
    switch (e.kind) {
      case "guest.create":
        if (e.guest === "golden") return say("say_guest_create_golden");
        if (state.type === "desktop") return say("say_desk_create", { guest: e.guest });
        return say("say_os_create", { guest: e.guest });
      case "desktop.install":
        return say("say_install", { block: e.block, value: e.value });
      case "guest.clone":
        return say("say_clone", { guest: e.guest });
      case "desktop.roll_out":
        return say("say_roll_out", { count: e.count, total: e.total });
      case "guest.disk_write":
        if (e.disk === "profile") return say("say_profile", e);
        return say(state.type === "desktop" ? "say_drift" : "say_write", e);
      case "desktop.audit": {
        const failing = e.failing ?? [];
        const names = failing.length > 4 ? `${list(failing.slice(0, 4))} …` : list(failing);
        const vars = { checked: e.checked, block: e.block, count: failing.length, names };
        const desk = before.desk;
        // A check of a block the patch wrote, other than the security setting, checks the patch:
        // it says nothing about the setting, so the sentence does not either.
        if (desk.patched && desk.patchBlocks.includes(e.block) && e.block !== desk.settingBlock)
          return say(failing.length ? "say_audit_patch_fail" : "say_audit_patch_ok", vars);
        let text = say(failing.length ? "say_audit_fail" : "say_audit_ok", vars);
        // Desktops an earlier check of this same block failed, passing now: that is shown.
        const earlier = desk.audits.filter((a) => a.block === e.block).flatMap((a) => a.failing);
        const again = [...new Set(earlier)].filter((name) => !failing.includes(name));
        if (again.length) text += say("say_audit_again", { names: list(again), count: again.length });
        return text;
      }
      case "desktop.update":
        return say("say_update", { version: e.version, desktops: e.desktops });
      case "guest.start":
        if (state.type === "desktop" || !e.host) return say("say_desk_start", { guest: e.guest });
        return say("say_os_start", { guest: e.guest, host: e.host });
      case "os.boot":
        return say("say_os_boot", e);
      case "op.start":
        return say("say_op_start", { guest: e.guest });
      case "op.end":
        return say("say_op_end", { cycles: formatNumber(Number(e.cycles ?? 0), {}, "en-US") });
      case "pool.create":
        if (state.type === "network_function") return say("say_pool_nfvi", { n: (e.hosts ?? []).length });
        return before.server.hosts.length
          ? say("say_pool_after", { n: (e.hosts ?? []).length })
          : say("say_pool_before", { n: (e.hosts ?? []).length });
      case "host.power":
        if (before.server.phase === "before" && state.server.phase === "after") return say("say_switch", { host: e.host });
        return say(e.on ? "say_power_on" : "say_power_off", { host: e.host });
      case "pool.place": {
        if (state.type === "network_function") return say("say_place_vim", { vm: e.vm, host: e.host });
        const count = state.server.hosts.find((h) => h.name === e.host)?.apps.length ?? 1;
        const p = pct(count * state.server.load);
        if (state.server.phase === "before") return say("say_place_dedicated", { vm: e.vm, host: e.host, p });
        if (count === 1) return say("say_place_first", { vm: e.vm, host: e.host, p });
        return say("say_place_shared", { vm: e.vm, host: e.host, count, p });
      }
      case "server.consolidate":
        return say(e.hosts_after === 1 ? "say_consolidate" : "say_consolidate_many", {
          before: e.hosts_before,
          after: e.hosts_after,
          wb: e.watts_before,
          wa: e.watts_after,
          off: e.hosts_before - e.hosts_after,
        });
      case "data.query": {
        const vars = { fields: list(e.fields ?? []), rows: e.rows, per: perSource(e.per_source) };
        const queries = before.data.queries;
        const last = queries[queries.length - 1];
        if (last && JSON.stringify(last.fields) === JSON.stringify(e.fields ?? [])) {
          const grew = Object.keys(e.per_source ?? {}).find((k) => (e.per_source[k] ?? 0) > (last.per[k] ?? 0));
          if (grew) return say("say_query_new", { ...vars, source: grew });
        }
        if (last) return say("say_query_less", vars);
        return say("say_query_all", vars);
      }
      case "net.attach":
        return say("say_attach", e);
      case "net.learn":
        return say("say_learn", { ...e, guest: guestOfMac(state, e.mac) });
      case "net.forward": {
        const src = guestOfMac(state, e.src);
        const dst = e.dst === "ff:ff:ff:ff:ff:ff" ? say("broadcast") : guestOfMac(state, e.dst);
        const delivered = list((e.delivered ?? []).map((m) => guestOfMac(state, m)));
        const crossed = (e.ports ?? []).filter((n) => {
          const port = state.net.ports.find((p) => p.port === n);
          return port && port.vlan !== e.vlan;
        });
        if (crossed.length)
          return say("say_cross", { src, dst, vlan: e.vlan, ports: portsOf(state, e.ports), cross: portsOf(state, crossed) });
        if (!e.flooded) return say("say_known", { src, dst, ports: portsOf(state, e.ports) });
        // A broadcast is flooded inside its VLAN whatever the switch has learned; any other frame
        // is flooded only because its destination is not (yet) learned there.
        if (e.dst === "ff:ff:ff:ff:ff:ff") {
          if ((e.delivered ?? []).length === 0) return say("say_broadcast_none", { src, vlan: e.vlan });
          return say("say_broadcast", { src, vlan: e.vlan, ports: portsOf(state, e.ports), delivered });
        }
        if ((e.delivered ?? []).length === 0) return say("say_flood_none", { src, dst, vlan: e.vlan });
        return say("say_flood", { src, dst, vlan: e.vlan, ports: portsOf(state, e.ports), delivered });
      }
      case "nfv.instantiate":
        return say("say_instantiate", { vnf: e.vnf, kind: say(`vnf_${e.vnf_kind}`), host: e.host });
      case "nfv.terminate":
        return say("say_terminate", e);
      case "nfv.service":
        return say("say_service", { service: e.service, chain: (e.chain ?? []).join(" → ") });
      case "nfv.packet":
        if (e.dropped) return say("say_packet_drop", { service: e.service, vnf: vnfLabel(state, e.vnf) });
        return say("say_packet", { service: e.service, vnf: vnfLabel(state, e.vnf), src: e.src, dst: e.dst });
      default:
        return describeGeneric(e, {});
    }
  }

  // --- drawing -------------------------------------------------------------------------------
  const fade = (selection, duration) =>
    duration > 0 ? selection.style("opacity", 0).transition().duration(duration).style("opacity", 1) : selection;

  function text(g, x, y, value, cls = "vt-label", anchor = "start") {
    return g.append("text").attr("class", cls).attr("x", x).attr("y", y).attr("text-anchor", anchor).text(value);
  }

  function box(g, x, y, w, h, cls) {
    return g.append("rect").attr("class", cls).attr("x", x).attr("y", y).attr("width", w).attr("height", h).attr("rx", 4);
  }

  function drawDesktop(g, state, { duration, failed }) {
    const d = state.desk;
    const gold = box(g, W / 2 - 90, 0, 180, 44, `vt-golden${d.golden ? "" : " is-empty"}${d.patched ? " is-patched" : ""}${state.current?.kind === "desktop.update" ? " is-now" : ""}`);
    gold.attr("data-version", d.version);
    text(g, W / 2, 18, d.golden && (d.setting || d.made) ? say("golden", { v: d.version }) : say("goldenEmpty"), "vt-strong", "middle");
    if (d.setting) text(g, W / 2, 36, `✓ ${say("settingOn")}`, "vt-label", "middle");
    const cols = Math.min(GRID_COLS, d.capacity);
    const cell = 13;
    const step = 16;
    const gridX = (W - (cols * step - (step - cell))) / 2;
    const gridY = 84;
    const failing = new Set(d.audit?.failing ?? []);
    const cells = Array.from({ length: d.capacity }, (_, i) => i).map((i) => {
      const name = d.names[i] ?? `desk${String(i).padStart(3, "0")}`;
      return { i, name, made: i < d.made, changed: name in d.changed, failing: failing.has(name) };
    });
    // The first clones are linked to the golden image: a line says "shares its blocks".
    for (const c of cells.slice(0, Math.min(3, d.made))) {
      g.append("line")
        .attr("class", "vt-link")
        .attr("x1", W / 2)
        .attr("y1", 44)
        .attr("x2", gridX + (c.i % cols) * step + cell / 2)
        .attr("y2", gridY + Math.floor(c.i / cols) * step);
    }
    const rows = Math.ceil(d.capacity / cols);
    const cellG = g
      .selectAll("rect.vt-desk")
      .data(cells)
      .join("rect")
      .attr("class", (c) => `vt-desk${c.made ? " is-made" : ""}${c.made && d.patched ? " is-patched" : ""}${c.changed ? " is-changed" : ""}${c.failing ? " is-failing" : ""}`)
      .attr("data-name", (c) => c.name)
      .attr("x", (c) => gridX + (c.i % cols) * step)
      .attr("y", (c) => gridY + Math.floor(c.i / cols) * step)
      .attr("width", cell)
      .attr("height", cell)
      .attr("rx", 2);
    if (duration > 0 && state.current?.kind === "desktop.update") {
      // The patch reaches every desktop from the same image: a wave, not 200 separate jobs.
      cellG.style("opacity", 0.2).transition().delay((c) => (c.i % cols) * (duration / 40)).duration(duration / 2).style("opacity", 1);
    }
    let y = gridY + rows * step + 16;
    for (const c of cells.filter((c) => c.changed || c.failing).slice(0, 3)) {
      text(g, 8, y, `${c.failing ? "✗" : "!"} ${labelled(c.name, say("drifted"))}`, c.failing ? "vt-bad" : "vt-warn");
      y += 16;
    }
    y = Math.max(y, gridY + rows * step + 16);
    text(g, 8, y + 4, say("deskCount", { made: d.made, n: d.capacity }));
    y += 18;
    text(g, 8, y + 4, say("deskLegend"), "vt-muted");
    if (d.patched) text(g, 8, y + 22, say("patchLine", { v: d.version, n: d.pushedTo }), "vt-good");
    const audit = d.audit;
    const auditText = !audit
      ? say("auditNone")
      : audit.failing.length
        ? say("auditLine", { checked: audit.checked, block: audit.block, failing: audit.failing.length })
        : failed
          ? say("auditLine", { checked: audit.checked, block: audit.block, failing: 0 })
          : say("auditOk", { checked: audit.checked, block: audit.block });
    text(g, 8, y + 40, auditText, audit?.failing.length ? "vt-bad" : "vt-label");
    return y + 50;
  }

  function drawOs(g, state) {
    const vms = state.os.vms.length ? state.os.vms : (state.setup.oses ?? []).map((os, i) => ({ name: `vm${i}`, os: null, reads: 0 }));
    const n = Math.max(3, vms.length);
    const gap = 8;
    const w = (W - 16 - gap * (n - 1)) / n;
    const hvY = 124;
    vms.forEach((vm, i) => {
      const x = 8 + i * (w + gap);
      const made = state.os.vms.includes(vm);
      box(g, x, 0, w, 104, `vt-vm${made ? " is-made" : " is-empty"}${vm.reading ? " is-now" : ""}`);
      text(g, x + w / 2, 20, vm.name, "vt-strong", "middle");
      text(g, x + w / 2, 44, vm.os ?? (made ? "…" : say("vmEmpty")), "vt-label", "middle");
      if (made) text(g, x + w / 2, 66, say("reads", { n: vm.reads }), "vt-label", "middle");
      if (vm.reading) {
        g.append("line").attr("class", "vt-io").attr("x1", x + w / 2).attr("y1", 104).attr("x2", x + w / 2).attr("y2", hvY + 120);
        text(g, x + w / 2, 92, "▼", "vt-strong", "middle");
      }
    });
    box(g, 8, hvY, W - 16, 30, "vt-layer-hv");
    text(g, W / 2, hvY + 20, say("hv2"), "vt-label", "middle");
    box(g, 8, hvY + 38, W - 16, 30, "vt-layer-host");
    text(g, W / 2, hvY + 58, say("hostOs"), "vt-label", "middle");
    box(g, 8, hvY + 76, W - 16, 40, "vt-layer-hw");
    text(g, W / 2, hvY + 100, say("laptop"), "vt-label", "middle");
    return hvY + 124;
  }

  function drawServer(g, state, { failed }) {
    const sv = state.server;
    const hosts = sv.hosts.length ? sv.hosts : Array.from({ length: state.setup.servers ?? 8 }, (_, i) => i).map((i) => ({ name: `server${String(i).padStart(3, "0")}`, on: false, apps: [] }));
    text(g, 8, 12, sv.phase === "after" ? say("after") : say("before"), "vt-strong");
    const perRow = 4;
    const gap = 8;
    const w = (W - 16 - gap * (perRow - 1)) / perRow;
    const h = 92;
    hosts.forEach((host, i) => {
      const x = 8 + (i % perRow) * (w + gap);
      const y = 24 + Math.floor(i / perRow) * (h + gap);
      const isNow = state.current?.host === host.name;
      box(g, x, y, w, h, `vt-server${host.on ? " is-on" : " is-off"}${isNow ? " is-now" : ""}`).attr("data-host", host.name);
      text(g, x + 4, y + 15, host.name.replace(/^server0*(\d)/, "srv $1"), "vt-label");
      host.apps.forEach((app, j) => {
        const cx = x + 4 + (j % 4) * 16;
        const cy = y + 22 + Math.floor(j / 4) * 17;
        box(g, cx, cy, 14, 15, "vt-app");
        text(g, cx + 7, cy + 12, app.replace(/^\D+0*(\d)/, "$1"), "vt-app-label", "middle");
      });
      const load = Math.min(1, host.apps.length * sv.load);
      box(g, x + 4, y + h - 28, w - 8, 8, "vt-track");
      box(g, x + 4, y + h - 28, (w - 8) * load, 8, "vt-bar");
      text(g, x + 4, y + h - 6, host.on ? say("load", { p: pct(load) }) : say("off"), host.on ? "vt-label" : "vt-muted");
    });
    const rows = Math.ceil(hosts.length / perRow);
    let y = 24 + rows * (h + gap) + 12;
    text(g, 8, y, say("serversOn", { n: hosts.filter((h) => h.on).length }));
    text(g, W - 8, y, say("appLegend"), "vt-label", "end");
    if (sv.consolidated) {
      y += 20;
      text(g, 8, y, say("power", { before: sv.consolidated.watts_before, after: sv.consolidated.watts_after }), failed ? "vt-label" : "vt-good");
    }
    return y + 12;
  }

  function drawData(g, state) {
    const setup = state.setup;
    const sources = setup.sources ?? {};
    const mapping = setup.mapping ?? {};
    const names = Object.keys(sources).length ? Object.keys(sources) : Object.keys(state.data.queries.at(-1)?.per ?? {});
    const n = Math.max(1, names.length);
    const gap = 8;
    const w = (W - 16 - gap * (n - 1)) / n;
    const last = state.data.queries.at(-1);
    const previous = state.data.queries.at(-2);
    names.forEach((name, i) => {
      const x = 8 + i * (w + gap);
      const grew = last && previous && (last.per[name] ?? 0) > (previous.per[name] ?? 0);
      box(g, x, 0, w, 92, `vt-source${grew ? " is-now" : ""}`);
      text(g, x + w / 2, 16, name, "vt-strong", "middle");
      (sources[name] ?? []).forEach((field, j) => {
        const unified = mapping[name]?.[field];
        text(g, x + 4, 36 + j * 26, field, "vt-code");
        if (unified) text(g, x + 4, 50 + j * 26, `→ ${unified}`, "vt-muted");
      });
      if (last) {
        g.append("line").attr("class", "vt-flow").attr("x1", x + w / 2).attr("y1", 92).attr("x2", W / 2).attr("y2", 128);
        text(g, x + w / 2 + 4, 112, `${last.per[name] ?? 0}`, "vt-strong");
      }
    });
    box(g, 8, 128, W - 16, 58, `vt-view${last ? " is-now" : ""}`);
    text(g, W / 2, 148, say("view"), "vt-strong", "middle");
    text(g, W / 2, 170, last ? last.fields.join(" | ") : "name | city", "vt-code", "middle");
    box(g, 8, 206, W - 16, 62, "vt-app-box");
    if (last) {
      g.append("line").attr("class", "vt-flow").attr("x1", W / 2).attr("y1", 186).attr("x2", W / 2).attr("y2", 206);
      text(g, 16, 226, say("asks", { fields: joinList(last.fields) }), "vt-label");
      if (setup.sources && (previous || last.fields.length < 2)) text(g, 16, 244, say("filter"), "vt-muted");
      text(g, 16, 262, say("answer", { rows: last.rows }), "vt-strong");
    }
    return 280;
  }

  function drawNetwork(g, state) {
    const net = state.net;
    const ports = net.ports;
    const frame = net.frame;
    const vlans = [...new Set(ports.map((p) => p.vlan))];
    // A replay of NFV alone (no vNICs) starts with MANO; one of a switch alone ends under it.
    const switchShown = ports.length > 0 || Boolean(state.setup.macs);
    if (!switchShown) return drawMano(g, state, 0);
    const n = Math.max(4, ports.length);
    const gap = 6;
    const w = (W - 16 - gap * (n - 1)) / n;
    ports.forEach((p, i) => {
      const x = 8 + i * (w + gap);
      const isSrc = frame && frame.src === p.mac;
      const got = frame && (frame.delivered ?? []).includes(p.mac);
      const sent = frame && (frame.ports ?? []).includes(p.port);
      box(g, x, 0, w, 40, `vt-port vlan-${vlans.indexOf(p.vlan) % 2 ? "odd" : "even"}${isSrc ? " is-now" : ""}${got ? " is-got" : ""}`).attr("data-guest", p.guest);
      text(g, x + w / 2, 16, p.guest, "vt-strong", "middle");
      text(g, x + w / 2, 33, `VLAN ${p.vlan}`, "vt-label", "middle");
      const cross = sent && frame.vlan !== p.vlan;
      const line = g.append("line").attr("class", `vt-wire${sent ? " is-sent" : ""}${isSrc ? " is-src" : ""}${cross ? " is-cross" : ""}`);
      line.attr("x1", x + w / 2).attr("y1", 40).attr("x2", x + w / 2).attr("y2", 62);
      if (got) text(g, x + w / 2, 56, "✉", "vt-strong", "middle");
      if (cross) text(g, x + w / 2 - 16, 56, "✗", "vt-bad");
    });
    box(g, 8, 62, W - 16, 28, "vt-switch");
    text(g, W / 2, 81, say("vswitch"), "vt-label", "middle");
    const learned = net.table.map((row) => `${ports.find((p) => p.mac === row.mac)?.guest ?? row.mac}→${row.port}`);
    text(g, 8, 108, learned.length ? say("learned", { list: joinList(learned) }) : say("nothingLearned"), "vt-label");
    if (!net.hosts.length && !state.setup.chains) return 118;
    return drawMano(g, state, 126);
  }

  function drawMano(g, state, top) {
    const net = state.net;
    // MANO on the left, acting layer lit; NFVI hosts on the right with their VNFs.
    text(g, 8, top + 12, say("mano"), "vt-strong");
    ["nfvo", "vnfm", "vim"].forEach((layer, i) => {
      box(g, 8, top + 20 + i * 34, 70, 28, `vt-mano${net.acting === layer ? " is-now" : ""}`).attr("data-layer", layer);
      text(g, 43, top + 39 + i * 34, say(layer), "vt-label", "middle");
    });
    text(g, 90, top + 12, say("nfvi"), "vt-strong");
    const hosts = net.hosts;
    const hw = (W - 98 - 6 * Math.max(0, hosts.length - 1)) / Math.max(1, hosts.length);
    const vnfAt = {};
    hosts.forEach((host, i) => {
      const x = 90 + i * (hw + 6);
      box(g, x, top + 20, hw, 96, `vt-server${host.on ? " is-on" : " is-off"}`);
      text(g, x + 4, top + 36, host.name, "vt-label");
      host.apps.forEach((app, j) => {
        const vnf = net.vnfs.find((v) => v.name === app);
        const cx = x + 4 + (j % 2) * ((hw - 8) / 2);
        const cy = top + 44 + Math.floor(j / 2) * 24;
        const lit = net.packet?.vnf === app;
        box(g, cx, cy, (hw - 12) / 2, 20, `vt-vnf${vnf ? "" : " is-pending"}${lit ? (net.packet.dropped ? " is-drop" : " is-now") : ""}`);
        const tenant = app.match(/^tenant-(\w+)-/)?.[1];
        const label = vnf ? `${VNF_SHORT[vnf.kind] ?? vnf.kind}${tenant ? `·${tenant}` : ""}` : "…";
        text(g, cx + (hw - 12) / 4, cy + 14, label, "vt-app-label", "middle");
        vnfAt[app] = [cx + (hw - 12) / 4, cy + 10];
      });
    });
    let y = top + 136;
    for (const service of net.services) {
      const chain = service.chain.map((name) => {
        const vnf = net.vnfs.find((v) => v.name === name);
        return vnf ? VNF_SHORT[vnf.kind] ?? vnf.kind : name;
      });
      const here = net.packet?.service === service.name;
      text(g, 8, y, say("chain", { service: service.name, chain: chain.join(" → ") }), here ? "vt-strong" : "vt-label");
      if (here) {
        const p = net.packet;
        text(g, 8, y + 16, p.dropped ? `✗ ${bracket(say("dropped"), VNF_SHORT[net.vnfs.find((v) => v.name === p.vnf)?.kind] ?? p.vnf)}` : `${p.src} → ${p.dst}`, p.dropped ? "vt-bad" : "vt-code");
        y += 16;
      }
      y += 20;
    }
    return y;
  }

  /** Lines of at most `width` units at 12 px: Latin characters about 6.6 wide, Chinese 12. */
  function wrap(value, width, px = 12) {
    const lines = [];
    let line = "";
    const size = (t) => [...t].reduce((sum, ch) => sum + (/[\u2e80-\uffff]/.test(ch) ? px : px * 0.6), 0);
    const words = lang() === "zh" ? [...value] : value.split(" ").map((w, i) => (i ? ` ${w}` : w));
    for (const word of words) {
      if (line && size(line + word) > width) {
        lines.push(line);
        line = word.trimStart();
      } else line += word;
    }
    if (line) lines.push(line);
    return lines;
  }

  const DRAW = { desktop: drawDesktop, operating_system: drawOs, server: drawServer, data: drawData, network_function: drawNetwork };

  function render(state, info) {
    const type = TYPES.includes(state.type) ? state.type : "desktop";
    titleEl.text(labelled(say(type), say(`tag_${type}`, { n: state.desk.capacity })));
    const titleLines = wrap(say(type), W - 16, 16);
    head.select(".vt-title").selectAll("tspan").data(titleLines).join("tspan").attr("x", 8).attr("y", (_, i) => 20 + i * 19).text((d) => d);
    const tagTop = 38 + (titleLines.length - 1) * 19;
    const lines = wrap(say(`tag_${type}`, { n: state.desk.capacity }), W - 16);
    tag.selectAll("tspan").data(lines).join("tspan").attr("x", 8).attr("y", (_, i) => tagTop + i * 15).text((d) => d);
    const top = tagTop - 8 + lines.length * 15;
    body.attr("transform", `translate(0,${top})`);
    body.selectAll("*").remove();
    const g = body.append("g").attr("class", `vt-scene vt-${type}`);
    const used = DRAW[type](g, state, info) ?? HEIGHT[type];
    fade(g.selectAll(".is-now"), info.duration);
    let height = top + Math.max(used, 40) + 8;
    // A failing replay never looks finished and fine: its result is marked as not matching.
    foot.text(info.failed && info.departed ? say("failedMark") : "");
    if (info.failed && info.departed) height += 20;
    foot.attr("y", height - 8);
    svg.classed("is-departed", Boolean(info.departed)).attr("data-type", type);
    svg.attr("viewBox", `0 0 ${W} ${height}`);
  }

  function replayScene({ caseName, trace, passed = true, departure = null, message = "", state = null, back } = {}) {
    const events = (Array.isArray(trace) ? trace : (trace?.events ?? [])).filter((e) => e && typeof e === "object");
    const type = typeOf(events);
    let label = ui("yourRun", { name: caseName ?? "" });
    if (events.length > MAX_EVENTS) label += ui("truncated", { n: MAX_EVENTS });
    return {
      id: "replay",
      kind: "replay",
      type,
      setup: {},
      label,
      group: say("groupRun"),
      events: events.slice(0, MAX_EVENTS),
      failure: passed ? null : { departure, message },
      state,
      back,
    };
  }

  return { scenes, defaultScene: data.default ?? "desktop", initial, reduce, render, describe, replayScene };
}
