// Entry point of a lesson page: starts Python in a worker at once (it loads while the learner
// reads), then wires the editors, the status line and the concept checks.

import { posterShown, prefetch, startOnReach } from "./animation-poster.js";
import { setupConceptCheck } from "./concept-check.js";
import { loadCode } from "./code-store.js";
import { codeMirrorReady } from "./editor.js";
import { renderOutcome, setupExercise } from "./exercise.js";
import { setupHints } from "./hints.js";
import { afterPaint, giveWay, whenIdle } from "./main-thread.js";
import { keepPlaceOnLanguageSwitch, restoreResults, restoreScroll, takePlace } from "./place.js";
import { PythonClient } from "./python-client.js";
import { t } from "./strings.js";

// Progress by stage; within the long first stage it creeps forward so the page looks alive.
const STAGE_PROGRESS = { python: [5, 70], bundle: [80, 95], ready: [100, 100], running: [100, 100] };
const TYPICAL_LOAD_SECONDS = 3;
// The status line moves on once a second while Python loads: each move is a style, layout and
// paint of the page, and four a second were most of a phone's long tasks after the first paint
// (#15).
const STATUS_TICK_MS = 1000;
// How far from the screen an exercise gets its editor: a screen's height above and below.
const NEAR = "100% 0px";
// The learner's first doing anything on the page: the editors still missing are made after it,
// one per idle moment. (A timer after the first paint put them in a phone's start-up, its longest
// tasks, for exercises nobody had scrolled to yet.)
const FIRST_ACTS = ["scroll", "wheel", "keydown", "pointerdown", "touchstart"];
// Editors are made one after another, each in a task of its own (see wireExercise).
let queue = Promise.resolve();
// Each exercise once wired (exercise.js), with CodeMirror or, until it loads, its plain box.
const wiredExercises = new Map();

const python = new PythonClient(document.body.dataset.pyodideIndex);
// Tests and the benchmark read load timings and the client from here.
window.virttutor = { python, editors: {} };

showStatus(document.getElementById("python-status"), python);

// Read before anything else: it exists only if this load is the learner switching language.
const place = takePlace();

const exercises = [...document.querySelectorAll("section.exercise")];
for (const section of exercises) {
  setupHints(section);
  showSavedCode(section);
}
if (place) {
  // The learner switched language: their scroll position is restored below, against the page
  // as it was, editors and all.
  restorePlace(place);
} else {
  wireExercisesWhenNear(exercises);
  restoreResults(renderOutcome, { inFlightOnly: true }); // a Submit a reload cut off
}
for (const fieldset of document.querySelectorAll(".concept-check fieldset.check[data-answer]")) {
  setupConceptCheck(fieldset);
}
keepPlaceOnLanguageSwitch();

// Loaded apart from the static imports so a broken animation can never take the editor and
// Python down with it (a failed static import would stop this whole module). On a phone that
// has its first frame drawn in the page, only when the learner reaches for it (#15).
const viz = document.querySelector(".viz");
if (viz) {
  const drawAnimation = () => import("./viz/index.js").then((module) => module.mounted);
  if (posterShown(viz)) {
    startOnReach(viz, drawAnimation);
    whenIdle(3000).then(() =>
      prefetch([new URL("./viz/index.js", import.meta.url), new URL(`./viz/${viz.dataset.animation}.js`, import.meta.url)]),
    );
  } else {
    afterPaint().then(drawAnimation).catch((error) => console.error("the animation could not start:", error));
  }
}

async function restorePlace(where) {
  try {
    await codeMirrorReady();
    for (const section of exercises) buildEditor(section);
  } catch (error) {
    console.error("the editors could not start:", error);
    for (const section of exercises) plainUntilEditorLoads(section);
  }
  restoreResults(renderOutcome);
  restoreScroll(where);
}

/**
 * The plain text box shows the code this browser kept for the exercise from the start, so what
 * a Submit sends before the editor exists, and what the learner types into it, begins there.
 */
function showSavedCode(section) {
  const textarea = section.querySelector("form.exercise-form textarea");
  const saved = section.dataset.exerciseId ? loadCode(section.dataset.exerciseId) : null;
  if (textarea && saved !== null) textarea.value = saved;
}

/**
 * Asks for the exercise's editor: at once if the learner is in its text box and CodeMirror is
 * loaded, otherwise after CodeMirror's scripts and the editors asked for before it, each in a
 * task of its own.
 */
function wireExercise(section, { now = false } = {}) {
  if (now && window.CodeMirror) {
    buildEditor(section);
    return;
  }
  if (section.dataset.wired) return;
  section.dataset.wired = "true";
  queue = queue
    .then(() => codeMirrorReady())
    .then(() => (now ? undefined : giveWay()))
    .then(() => buildEditor(section))
    .catch((error) => {
      console.error("the editor could not start:", error);
      delete section.dataset.wired;
      plainUntilEditorLoads(section);
    });
}

/**
 * CodeMirror's scripts could not be loaded (the network went during a first visit, before the
 * learner came near this exercise): the exercise works from its plain text box meanwhile — Run
 * enabled once Python is, code read from the box — with a note saying why, and the editor is
 * asked for again when the learner comes back to the exercise, focuses it, or the browser is
 * back online. (Run used to stay disabled, with "Python is ready" above it.)
 */
function plainUntilEditorLoads(section) {
  if (!wiredExercises.has(section)) {
    const exercise = setupExercise(section, python, { plain: true });
    wiredExercises.set(section, exercise);
    window.virttutor.editors[section.dataset.exerciseId] = exercise.editor;
    section.dataset.editor = "plain";
  }
  if (section.dataset.editor === "plain") retryOnReturn(section);
}

// Asks again for the editor of every exercise still in its plain box.
const retryPlainOnes = () => {
  for (const section of exercises) if (section.dataset.editor === "plain") wireExercise(section);
};
window.addEventListener("online", retryPlainOnes);

const watchedForReturn = new WeakSet();

/** Asks for the exercise's editor again once it has left the screen's neighbourhood and come back. */
function retryOnReturn(section) {
  if (typeof IntersectionObserver !== "function" || watchedForReturn.has(section)) return;
  watchedForReturn.add(section);
  // Its first report says where the exercise is now: near, it waits until the learner has
  // scrolled away and back (asking again at once would only fail again, in a loop).
  let away = false;
  const observer = new IntersectionObserver(
    ([entry]) => {
      if (section.dataset.editor !== "plain") {
        observer.disconnect();
        watchedForReturn.delete(section);
      } else if (!entry.isIntersecting) away = true;
      else if (away) {
        away = false;
        wireExercise(section);
      }
    },
    { rootMargin: NEAR },
  );
  observer.observe(section);
}

function buildEditor(section) {
  const id = section.dataset.exerciseId;
  // Claimed first: CodeMirror focuses an editor made on a focused box, and that focusin asks
  // for this editor again while it is being made.
  if (section.dataset.editor === "codemirror") return;
  section.dataset.editor = "codemirror";
  section.dataset.wired = "true";
  const textarea = section.querySelector("form.exercise-form textarea");
  const typing = document.activeElement === textarea;
  const typed = textarea?.value;
  const [from, to] = [textarea?.selectionStart ?? 0, textarea?.selectionEnd ?? 0];
  let exercise = wiredExercises.get(section);
  if (exercise) exercise.useCodeMirror();
  else wiredExercises.set(section, (exercise = setupExercise(section, python)));
  const editor = exercise.editor;
  window.virttutor.editors[id] = editor;
  // Whatever the learner typed into the plain text box is kept (and saved by the editor).
  if (typed !== undefined && editor.getValue() !== typed) {
    editor.setValue(typed);
    editor.clearHistory();
  }
  if (typing) {
    // The learner got to the plain text box first: keep them there, cursor and all.
    editor.focus();
    editor.setSelection(editor.posFromIndex(from), editor.posFromIndex(to));
  }
  // CodeMirror loads now: the exercises left in their plain boxes get it too.
  retryPlainOnes();
}

/**
 * Each editor (and CodeMirror's script, with the first) is one of the longest tasks of a
 * phone's start-up, so an exercise is wired when it comes near the screen, or when the learner
 * focuses or touches its text box (at once), and the rest once the learner first scrolls, types
 * or touches the page. Until then an exercise is its server-rendered form: a plain text box the
 * learner can already type in (focusing it makes its editor at once), with Run disabled, as
 * before Python is ready.
 */
async function wireExercisesWhenNear(sections) {
  if (sections.length === 0) return;
  const observer =
    typeof IntersectionObserver === "function"
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer.unobserve(entry.target);
              wireExercise(entry.target);
            }
          },
          { rootMargin: NEAR },
        )
      : null;
  for (const section of sections) {
    const now = () => wireExercise(section, { now: true });
    section.addEventListener("focusin", now);
    section.addEventListener("pointerdown", now);
    if (observer) observer.observe(section);
  }
  // After the first paint, not after `load`: a CDN that never answers holds `load` back.
  await afterPaint();
  if (observer) await firstAct();
  // An exercise already asked for (wired, or in its plain box after CodeMirror failed to load)
  // is left alone: a plain box asks again on its own (focus, return, back online).
  const asked = (section) => section.dataset.wired || wiredExercises.has(section);
  for (const section of sections) {
    if (asked(section)) continue;
    observer?.unobserve(section);
    await whenIdle();
    if (!asked(section)) wireExercise(section);
  }
}

function firstAct() {
  return new Promise((resolve) => {
    const acted = () => {
      for (const type of FIRST_ACTS) window.removeEventListener(type, acted, true);
      resolve();
    };
    for (const type of FIRST_ACTS) window.addEventListener(type, acted, { capture: true, passive: true });
  });
}

function showStatus(element, client) {
  if (!element) return;
  const bar = element.querySelector("progress");
  const text = element.querySelector(".python-status-text");
  let ticker = null;

  // The elapsed counter sits outside the accessibility tree: #python-status is a live region,
  // and a number changing every second would drown a screen reader.
  const elapsed = document.createElement("span");
  elapsed.className = "python-status-elapsed";
  elapsed.setAttribute("aria-hidden", "true");
  text.after(elapsed);
  // One line unless it cannot fit (large text, a narrow screen): then it wraps from there on,
  // a shift of the lesson once rather than a status cut off behind an ellipsis.
  const wrapIfCut = () => {
    if (text.scrollWidth > text.clientWidth + 1) element.classList.add("python-status-wraps");
  };
  if (typeof ResizeObserver === "function") new ResizeObserver(wrapIfCut).observe(element);
  const setText = (value) => {
    if (text.textContent === value) return;
    text.textContent = value;
    wrapIfCut();
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
    elapsed.textContent = ` ${Math.floor(client.seconds)} s`;
  };

  client.addEventListener("status", (event) => {
    if (event.detail.state === "error") client.errorMessage = event.detail.message;
    const loading = event.detail.state === "loading" || event.detail.state === "restarting";
    if (loading && !ticker) ticker = setInterval(render, STATUS_TICK_MS);
    if (!loading && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
    render();
  });
  render();
  if (!ticker && (client.state === "loading" || client.state === "restarting")) ticker = setInterval(render, STATUS_TICK_MS);
}
