// Narrates animations as the player does, without a browser: for every scene (and every replayed
// trace given), each event is folded with the renderer's reduce(), told by its describe() and
// drawn by its render(), and every sentence and every string label drawn is printed as JSON for
// tests/content/test_animation_narration.py.
//
// Usage: node narrate_scenes.mjs JS_DIR INPUT_JSON, where INPUT_JSON names the page language,
// each animation's scene data (tutor/web/scenes.py) and replays: {"lang": "zh", "animations":
// {name: data}, "replays": {name: [{"caseName": ..., "trace": [...]}]}}. Output: {name: {scene:
// {"narration": [...], "labels": [...]}}}, a replay's scene named "replay:<caseName>".
//
// d3 is replaced by a stand-in whose every call returns itself, so drawing code runs through;
// what it records is each .text() given a string (labels given by a function are not seen).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [jsDir, inputFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(inputFile, "utf8"));
globalThis.document = { body: { dataset: { lang: input.lang } } };
globalThis.window = globalThis;
globalThis.getComputedStyle = () => ({ paddingLeft: "0", paddingRight: "0", getPropertyValue: () => "" });
globalThis.matchMedia = () => ({ matches: false, addEventListener() {} });

let labels = [];
function standIn() {
  const proxy = new Proxy(function () {}, {
    get(_, prop) {
      if (prop === "text")
        return (value) => {
          if (typeof value === "string" || typeof value === "number") labels.push(String(value));
          return proxy;
        };
      if (prop === "node") return () => ({ getBBox: () => ({ x: 0, y: 0, width: 10, height: 10 }), getComputedTextLength: () => 10, style: {} });
      if (prop === "empty") return () => false;
      if (prop === "size") return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === "then") return undefined;
      return () => proxy;
    },
    apply: () => proxy,
  });
  return proxy;
}

function narrate(renderer, scene) {
  const narration = [];
  const drawn = new Set();
  let state = renderer.initial(scene);
  for (const event of scene.events) {
    const previous = state;
    state = renderer.reduce(previous, event, scene) ?? previous;
    narration.push(renderer.describe({ event, previous, state, scene }));
    labels = [];
    renderer.render(state, { state, duration: 0, failed: Boolean(scene.failure), departed: false });
    for (const label of labels) drawn.add(label);
  }
  return { narration, labels: [...drawn] };
}

const out = {};
for (const [name, data] of Object.entries(input.animations)) {
  const module = await import(pathToFileURL(path.join(jsDir, "viz", `${name}.js`)).href);
  const renderer = module.default({}, data, standIn());
  out[name] = {};
  for (const scene of renderer.scenes) out[name][scene.id] = narrate(renderer, scene);
  for (const replay of input.replays?.[name] ?? []) {
    const scene = renderer.replayScene({ caseName: replay.caseName, trace: replay.trace, passed: true });
    out[name][`replay:${replay.caseName}`] = narrate(renderer, scene);
  }
}
console.log(JSON.stringify(out));
