// Entry point of a lesson page: starts Python in a worker at once (it loads while the learner
// reads), then wires the editors, the status line and the concept checks.

import { setupConceptCheck } from "./concept-check.js";
import { renderOutcome, setupExercise } from "./exercise.js";
import { setupHints } from "./hints.js";
import { afterPaint, giveWay, whenIdle } from "./main-thread.js";
import { keepPlaceOnLanguageSwitch, restoreResults, restoreScroll, takePlace } from "./place.js";
import { PythonClient } from "./python-client.js";
import { t } from "./strings.js";

// Progress by stage; within the long first stage it creeps forward so the page looks alive.
const STAGE_PROGRESS = { python: [5, 70], bundle: [80, 95], ready: [100, 100], running: [100, 100] };
const TYPICAL_LOAD_SECONDS = 3;

const python = new PythonClient(document.body.dataset.pyodideIndex);
// Tests and the benchmark read load timings and the client from here.
window.virttutor = { python, editors: {} };

showStatus(document.getElementById("python-status"), python);

// Read before anything else: it exists only if this load is the learner switching language.
const place = takePlace();

const exercises = [...document.querySelectorAll("section.exercise")];
for (const section of exercises) setupHints(section);
if (place) {
  // The learner switched language: their scroll position is restored below, against the page
  // as it was, editors and all.
  for (const section of exercises) wireExercise(section);
} else {
  wireExercisesInTurn(exercises);
}
for (const fieldset of document.querySelectorAll(".concept-check fieldset.check[data-answer]")) {
  setupConceptCheck(fieldset);
}
keepPlaceOnLanguageSwitch();
if (place) {
  restoreResults(renderOutcome);
  restoreScroll(place);
}

// Loaded apart from the static imports so a broken animation can never take the editor and
// Python down with it (a failed static import would stop this whole module).
if (document.querySelector(".viz")) {
  afterPaint()
    .then(() => import("./viz/index.js")).catch((error) => console.error("the animation could not start:", error));
}

function wireExercise(section) {
  if (section.dataset.wired) return;
  section.dataset.wired = "true";
  const typing = document.activeElement === section.querySelector("textarea");
  const editor = setupExercise(section, python);
  window.virttutor.editors[section.dataset.exerciseId] = editor;
  if (typing) editor.focus(); // the learner got to the plain text box first: keep them there
}

/**
 * Each editor is CodeMirror's biggest start-up cost, so each exercise is wired in a task of its
 * own: one already on screen at once (its editor must not replace the text box in view: that
 * would move what is below it), the rest after the first paint, those near the screen first and
 * the others when the browser is idle. Until then an exercise is its server-rendered form, a
 * plain text box the learner can already type in (focusing it wires the exercise at once) with
 * Run disabled.
 */
async function wireExercisesInTurn(sections) {
  if (sections.length === 0) return;
  const height = window.innerHeight || document.documentElement.clientHeight;
  const within = (section, above, below) => {
    const box = section.getBoundingClientRect();
    return box.bottom > -above && box.top < below;
  };
  for (const section of sections) {
    if (within(section, 0, height)) wireExercise(section);
    else section.addEventListener("focusin", () => wireExercise(section), { once: true });
  }
  await afterPaint();
  const near = (section) => within(section, height, 2 * height);
  for (const section of [...sections.filter(near), ...sections.filter((s) => !near(s))]) {
    if (section.dataset.wired) continue;
    await (near(section) ? giveWay() : whenIdle());
    wireExercise(section);
  }
}

function showStatus(element, client) {
  if (!element) return;
  const bar = element.querySelector("progress");
  const text = element.querySelector(".python-status-text");
  let ticker = null;

  // The elapsed counter sits outside the accessibility tree: #python-status is a live region,
  // and a number changing four times a second would drown a screen reader.
  const elapsed = document.createElement("span");
  elapsed.className = "python-status-elapsed";
  elapsed.setAttribute("aria-hidden", "true");
  text.after(elapsed);
  const setText = (value) => {
    if (text.textContent !== value) text.textContent = value;
  };

  const render = () => {
    const { state, stage } = client;
    element.dataset.state = state;
    if (state === "error") {
      setText(t("loadFailed", { msg: client.errorMessage ?? "" }));
      bar.hidden = true;
      elapsed.textContent = "";
      return;
    }
    const [from, to] = STAGE_PROGRESS[stage] ?? [0, 0];
    bar.hidden = state === "ready" || state === "running";
    bar.value = Math.min(to, from + ((to - from) * client.seconds) / TYPICAL_LOAD_SECONDS);
    if (state === "running") {
      // Not "ready": the learner's code is running, and Stop is there to end it.
      setText(t("running"));
      elapsed.textContent = "";
      return;
    }
    if (state === "ready") {
      setText(t("ready", { s: client.readySeconds.toFixed(1) }));
      elapsed.textContent = "";
      return;
    }
    if (state === "restarting") setText(t("restarting"));
    else setText(stage === "bundle" ? t("loadingBundle") : t("loadingPython"));
    elapsed.textContent = ` ${client.seconds.toFixed(1)} s`;
  };

  client.addEventListener("status", (event) => {
    if (event.detail.state === "error") client.errorMessage = event.detail.message;
    const loading = event.detail.state === "loading" || event.detail.state === "restarting";
    if (loading && !ticker) ticker = setInterval(render, 250);
    if (!loading && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
    render();
  });
  render();
  if (!ticker && (client.state === "loading" || client.state === "restarting")) ticker = setInterval(render, 250);
}
