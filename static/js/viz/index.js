// Mounts every animation on the page. Importing this module is enough (lesson.js does
// `import "./viz/index.js";`); mount() is exported for pages that add a .viz later (htmx swaps).

import { clearPoster } from "../animation-poster.js";
import { lessonData } from "../lesson-data.js";
import { giveWay } from "../main-thread.js";
import { ui } from "./describe.js";
import { Player } from "./player.js";

// An animation named in lesson.toml is the module ./<name>.js here (its default export draws it)
// plus its scenes in tutor/web/scenes.py; the lesson loader refuses a name without both.
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

async function rendererOf(name) {
  if (!NAME.test(name ?? "")) return null;
  const module = await import(`./${name}.js`);
  return module.default ?? null;
}

const players = [];
// A replay may be requested before d3 has arrived; it is applied once a player can take it.
const pendingReplays = [];

// d3-fallback.js loads d3 at once, or (on a phone shown the first frame) when asked here.
function d3Promise() {
  return window.d3Ready ?? window.loadD3?.() ?? Promise.resolve(window.d3);
}

async function mountOne(root, d3) {
  const name = root.dataset.animation;
  const make = await rendererOf(name);
  const stage = root.querySelector(".viz-stage");
  if (!make || !stage) return null;
  const data = await lessonData().then(
    (found) => found.scenes,
    (error) => {
      throw Object.assign(error, { vizProblem: "noScenes" });
    },
  );
  if (!data) return null;
  clearPoster(root);
  const renderer = make(stage, data, d3);
  // The static drawing and the first scene (folding its trace, drawing its first step) are two
  // tasks, not one long one that would hold up a tap or a key (#15).
  await giveWay();
  const player = new Player(root, stage, renderer, renderer.scenes, {
    initialScene: renderer.defaultScene,
  });
  players.push(player);
  return player;
}

export async function mount(scope = document) {
  const roots = [...scope.querySelectorAll(".viz[data-animation]")].filter(
    (root) => !root.dataset.vizMounted,
  );
  if (roots.length === 0) return [];
  // Claimed before the await so a second mount() cannot draw the same animation twice.
  for (const root of roots) root.dataset.vizMounted = "pending";
  let d3;
  try {
    d3 = await d3Promise();
  } catch {
    d3 = undefined;
  }
  const mounted = [];
  for (const root of roots) {
    if (!d3) {
      showProblem(root, ui("noD3"));
      root.dataset.vizMounted = "failed";
      continue;
    }
    try {
      const player = await mountOne(root, d3);
      root.dataset.vizMounted = player ? "true" : "skipped";
      if (player) mounted.push(player);
    } catch (error) {
      console.error("viz: could not mount", root.dataset.animation, error);
      showProblem(root, ui(error?.vizProblem ?? "broken"));
      root.dataset.vizMounted = "failed";
    }
  }
  while (pendingReplays.length && replay(pendingReplays[0])) pendingReplays.shift();
  return mounted;
}

function showProblem(root, text) {
  clearPoster(root);
  const stage = root.querySelector(".viz-stage") ?? root;
  const note = document.createElement("p");
  note.className = "viz-problem";
  note.textContent = text;
  stage.append(note);
}

function replay(detail) {
  for (const player of players) {
    const scene = player.renderer.replayScene?.(detail);
    if (!scene) continue;
    player.addScene(scene, { select: true });
    const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    player.root.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
    player.stage.focus({ preventScroll: true });
    return true;
  }
  return false;
}

document.addEventListener("virttutor:replay", (event) => {
  const detail = event.detail ?? {};
  if (!replay(detail)) pendingReplays.splice(0, pendingReplays.length, detail);
});

// What importing this module starts: resolves when the page's animations are drawn.
export const mounted =
  document.readyState === "loading"
    ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true })).then(() => mount())
    : mount();
