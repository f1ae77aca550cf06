// Renders, in Chinese, every sentence the animation's live region and the exercise UI can show,
// with placeholders filled by Latin values (VMM, 0x3f8, case names), and prints them as JSON for
// tests/content/test_glossary.py. Usage: node render_zh.mjs JS_DIR '{"ui": [...], "strings": [...]}'
import path from "node:path";
import { pathToFileURL } from "node:url";

globalThis.document = { body: { dataset: { lang: "zh" } } };
const [jsDir, keysJson] = process.argv.slice(2);
const keys = JSON.parse(keysJson);
const load = (file) => import(pathToFileURL(path.join(jsDir, file)).href);
const describe = await load("viz/describe.js");
const strings = await load("strings.js");

const sample = {
  i: 3, n: 12, s: 7.1, score: 33, passed: 1, total: 9, status: 503, msg: "TypeError", name: "type2 disk_read",
  scene: "KVM", hv: "KVM", op: "disk_read",
};
const { NAMES } = describe;
const sentences = [];
const say = (text) => sentences.push(text);

for (const key of keys.ui) say(describe.ui(key, sample));
for (const key of keys.strings) say(strings.t(key, sample));
for (const hv of Object.keys(NAMES.hv)) {
  for (const op of Object.keys(NAMES.op)) {
    const ctx = { hv, op, native: { [op]: 800 }, why: keys.why };
    say(describe.describe({ kind: "op.start", hv, op }, ctx));
    say(describe.describe({ kind: "op.end", op, cycles: 3500 }, ctx));
    say(describe.describe({ kind: "op.end", op, cycles: 3500 }, { op }));
    for (const layer of Object.keys(NAMES.layer)) {
      say(describe.describe({ kind: "layer.enter", layer, dir: "down", cycles: 1200 }, ctx));
      for (const io of ["vhost", "sriov"])
        say(describe.describe({ kind: "layer.enter", layer, dir: "down", cycles: 1200 }, { ...ctx, io }));
      say(describe.describe({ kind: "layer.enter", layer, dir: "down", cycles: 0 }, { ...ctx, inStack: false }));
      say(describe.describe({ kind: "layer.enter", layer, dir: "up", cycles: 0 }, ctx));
      for (const component of Object.keys(NAMES.component))
        say(describe.describe({ kind: "component.act", component, layer }, ctx));
    }
  }
}
for (const event of [
  { kind: "vcpu.entry", pc: 0 },
  { kind: "guest.insn", op: "OUT", pc: 4 },
  { kind: "vcpu.exit", reason: "IO", direction: "out", port: 0x3f8, data: 72 },
  { kind: "vcpu.exit", reason: "IO", direction: "in", port: 0x60 },
  { kind: "vcpu.exit", reason: "MMIO", is_write: true, addr: 0x1000, data: 7 },
  { kind: "vcpu.exit", reason: "MMIO", is_write: false, addr: 0x1004 },
  { kind: "vcpu.exit", reason: "HLT" },
  { kind: "vcpu.exit", reason: "SHUTDOWN" },
  { kind: "vcpu.complete", value: 42 },
  { kind: "device.io", device: "serial", value: 72 },
  { kind: "device.io", device: "input", value: 5 },
  { kind: "device.io", device: "disk", sector: 3 },
  { kind: "device.io", device: "disk", sector: 3, value: 99 },
  { kind: "device.io", device: "rtc", value: 1 },
])
  say(describe.describe(event, {}));
say(describe.exitOp("MMIO"));

console.log(JSON.stringify({ sentences, names: NAMES }));
