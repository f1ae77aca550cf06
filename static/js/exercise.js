// One exercise panel: editor, autosave, Run/Stop against the Python worker, Reset, and the
// htmx Submit's error handling. Reports render with the same markup as _report.html.

import { loadCode, saveCode, storageAvailable } from "./code-store.js";
import { createEditor, replaceAll } from "./editor.js";
import { pick, t } from "./strings.js";

/**
 * @param {HTMLElement} section the server-rendered `.exercise`
 * @param {import("./python-client.js").PythonClient} python
 */
export function setupExercise(section, python) {
  const data = JSON.parse(section.querySelector("script.exercise-data").textContent);
  const form = section.querySelector("form.exercise-form");
  const textarea = form.querySelector("textarea");
  const result = section.querySelector(".result");
  const runButton = form.querySelector("button.run");
  const resetButton = form.querySelector("button.reset");
  const stopButton = makeStopButton(runButton);

  const saved = loadCode(data.id);
  if (saved !== null) textarea.value = saved;
  if (!storageAvailable) addNote(form, t("noStorage"));

  let storageWarned = false;
  const editor = createEditor(textarea, {
    onRun: () => run(),
    onChange: (code) => {
      if (!saveCode(data.id, code) && storageAvailable && !storageWarned) {
        storageWarned = true;
        addNote(form, t("storageFull"));
      }
    },
  });

  const syncRunButton = () => {
    runButton.disabled = python.state !== "ready";
  };
  python.addEventListener("status", syncRunButton);
  syncRunButton();

  let waiting = false;
  async function run() {
    if (waiting) return;
    if (python.state === "loading" || python.state === "restarting") {
      // Ctrl+Enter works before Python is ready: say so, and run as soon as it is.
      waiting = true;
      result.replaceChildren(element("p", "waiting", t("waitingForPython")));
      await python.ready;
      waiting = false;
    }
    if (python.state !== "ready") return;
    const hadFocus = document.activeElement === runButton;
    stopButton.hidden = false;
    runButton.hidden = true;
    if (hadFocus) stopButton.focus();
    result.setAttribute("aria-busy", "true");
    const outcome = await python.run({
      code: editor.getValue(),
      driver: data.driver,
      cases: data.cases,
      step_budget: data.step_budget,
    });
    const stopHadFocus = document.activeElement === stopButton;
    stopButton.hidden = true;
    runButton.hidden = false;
    syncRunButton();
    result.removeAttribute("aria-busy");
    result.replaceChildren(renderOutcome(outcome, data.id, python.timeoutMs));
    if (stopHadFocus) {
      // Run stays disabled while a replaced worker restarts; focus must not fall to <body>.
      if (runButton.disabled) {
        result.tabIndex = -1;
        result.focus();
      } else runButton.focus();
    }
  }

  runButton.addEventListener("click", run);
  stopButton.addEventListener("click", () => python.stop("user"));
  resetButton.addEventListener("click", () => resetToStarter(editor, data, result));
  wireSubmit(form, editor, result);
  return editor;
}

function makeStopButton(runButton) {
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "stop";
  stop.textContent = t("stop");
  stop.hidden = true;
  runButton.after(stop);
  return stop;
}

function addNote(form, text) {
  const note = document.createElement("p");
  note.className = "storage-note";
  note.setAttribute("role", "note");
  note.textContent = text;
  form.querySelector(".actions").before(note);
}

function resetToStarter(editor, data, result) {
  const current = editor.getValue();
  if (current === data.starter) return;
  if (!window.confirm(t("resetConfirm"))) return;
  // Kept outside the editor too, so the old code survives a reload after the reset.
  saveCode(data.id, current, ":previous");
  replaceAll(editor, data.starter);
  const note = document.createElement("p");
  note.className = "reset-note";
  note.textContent = `${t("resetDone")} `;
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "undo-reset";
  undo.textContent = t("undoReset");
  undo.addEventListener("click", () => {
    replaceAll(editor, current);
    note.remove();
    editor.focus();
  });
  note.append(undo);
  result.replaceChildren(note);
  editor.focus();
}

function wireSubmit(form, editor, result) {
  form.addEventListener("htmx:configRequest", (event) => {
    // htmx read the form before this event; make sure it sends what is on screen.
    editor.save();
    event.detail.parameters.code = editor.getValue();
  });
  form.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    let message;
    if (xhr.status === 413) message = t("submitTooLarge");
    else if (xhr.status === 503 || xhr.status === 429) {
      message = t("submitBusy", { s: Number.parseInt(xhr.getResponseHeader("Retry-After"), 10) || 10 });
    } else message = t("submitHttpError", { status: xhr.status });
    result.replaceChildren(errorReport(message, "submit-error"));
  });
  form.addEventListener("htmx:sendError", () => {
    result.replaceChildren(errorReport(t("submitNetwork"), "submit-error"));
  });
}

/** The report for one Run, matching tutor/web/templates/_report.html. */
export function renderOutcome(outcome, exerciseId, timeoutMs) {
  if (outcome.kind === "stopped") {
    const text = outcome.reason === "user" ? t("stoppedByYou") : t("timedOut", { s: timeoutMs / 1000 });
    return errorReport(text, "stopped");
  }
  if (outcome.kind === "crashed") return errorReport(t("crashed", { msg: outcome.message }), "error");
  return renderReport(outcome.report, exerciseId);
}

function renderReport(report, exerciseId) {
  const root = reportRoot(report.verdict, report.score);
  const verdict = element("p", "verdict");
  if (report.verdict === "passed") verdict.textContent = t("passed");
  else if (report.verdict === "error") verdict.textContent = t("error");
  else verdict.textContent = t("failed", { score: report.score });
  verdict.append(" ", element("span", "meta", t("practiceMeta")));
  root.append(verdict);
  const message = pick(report.message);
  if (message && report.verdict !== "passed") {
    // The first failing case is the smallest one: name it, so the learner knows where to look.
    const line = element("p", "message");
    if (report.failing_case) line.append(element("strong", "", report.failing_case), ": ");
    line.append(message);
    root.append(line);
  }
  if (report.cases?.length) {
    const list = element("ul", "cases");
    for (const item of report.cases) list.append(renderCase(item, exerciseId));
    root.append(list);
  }
  return root;
}

function renderCase(item, exerciseId) {
  const li = element("li", `case ${item.passed ? "pass" : "fail"}`);
  const mark = element("span", "mark", item.passed ? "✓" : "✗");
  mark.setAttribute("aria-hidden", "true");
  li.append(mark, element("span", "sr-only", item.passed ? t("casePassed") : t("caseFailed")));
  li.append(element("strong", "", item.name));
  const message = pick(item.message);
  if (message) li.append(`: ${message}`);
  if (item.trace?.length) {
    const replay = element("button", "replay", t("replay"));
    replay.type = "button";
    replay.setAttribute("aria-label", t("replayLabel", { name: item.name }));
    replay.addEventListener("click", () => {
      document.dispatchEvent(
        new CustomEvent("virttutor:replay", { detail: { exerciseId, caseName: item.name, trace: item.trace } }),
      );
    });
    li.append(" ", replay);
  }
  return li;
}

function errorReport(text, verdict) {
  const root = reportRoot(verdict, 0);
  root.classList.add("verdict-error");
  root.append(element("p", "verdict", text));
  return root;
}

function reportRoot(verdict, score) {
  const root = element("div", `report verdict-${verdict}`);
  root.dataset.verdict = verdict;
  root.dataset.score = String(score);
  return root;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
