// One exercise panel: editor, autosave, Run/Stop against the Python worker, Reset, and the
// htmx Submit's error handling. Reports render with the same markup as _report.html.

import { codeKey, loadCode, saveCode, storageAvailable } from "./code-store.js";
import { createEditor, plainEditor, replaceAll } from "./editor.js";
import { lessonData } from "./lesson-data.js";
import { followSubmissions, rememberShown } from "./place.js";
import { pick, t } from "./strings.js";

/**
 * Wires the exercise, with CodeMirror as its editor, or (`plain`) its plain text box until
 * `useCodeMirror()` is called once CodeMirror's scripts have loaded.
 * @param {HTMLElement} section the server-rendered `.exercise`
 * @param {import("./python-client.js").PythonClient} python
 * @returns {{editor: object, useCodeMirror: () => void}} `editor`: the one in use now
 */
export function setupExercise(section, python, { plain = false } = {}) {
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
  // What this tab last read from or wrote to storage: stored code that differs from it was
  // written by another tab of this browser.
  let known = textarea.value;
  const handlers = {
    onRun: () => run(),
    onChange: (code) => {
      const stored = loadCode(data.id);
      if (stored !== null && stored !== known && stored !== code) saveCode(data.id, stored, ":other-tab");
      known = code;
      if (!saveCode(data.id, code) && storageAvailable && !storageWarned) {
        storageWarned = true;
        addNote(form, t("storageFull"));
      }
    },
  };
  // Everything below reads `editor` when it acts, so the plain box can give way to CodeMirror.
  let editor = plain ? plainEditor(textarea, handlers) : createEditor(textarea, handlers);
  let plainNote = plain ? addNote(form, t("editorUnavailable")) : null;
  const current = () => editor;
  followOtherTabs(data.id, current, form, () => known, (code) => (known = code));

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
    let practice, driver;
    waiting = true;
    try {
      // The cases are in the page; the driver and the cases' expected traces come in the
      // lesson's data file (a page rendered before the driver moved there carries it itself).
      const lesson = await lessonData();
      const traces = lesson.traces[data.id] ?? [];
      driver = lesson.drivers?.[data.id] ?? data.driver;
      practice = data.cases.map((c, index) => ({ ...c, expected_trace: traces[index] ?? null }));
    } catch (error) {
      console.error("the lesson data file could not load:", error);
      result.replaceChildren(element("p", "message", t("noLessonData")));
      return;
    } finally {
      waiting = false;
    }
    const hadFocus = document.activeElement === runButton;
    stopButton.hidden = false;
    runButton.hidden = true;
    if (hadFocus) stopButton.focus();
    result.setAttribute("aria-busy", "true");
    const outcome = await python.run({
      code: editor.getValue(),
      driver,
      cases: withReveal(data.id, practice, form),
      step_budget: data.step_budget,
    });
    if (outcome.kind === "report") countFailures(data.id, outcome.report);
    // self-study.js keeps the best Run in this browser's progress.
    document.dispatchEvent(new CustomEvent("virttutor:run", { detail: { exerciseId: data.id, outcome } }));
    const stopHadFocus = document.activeElement === stopButton;
    stopButton.hidden = true;
    runButton.hidden = false;
    syncRunButton();
    result.removeAttribute("aria-busy");
    result.replaceChildren(renderOutcome(outcome, data.id, python.timeoutMs));
    rememberShown(data.id, { kind: "run", outcome, timeoutMs: python.timeoutMs });
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
  resetButton.addEventListener("click", () => resetToStarter(current, data, result));
  wireSubmit(form, current, result);
  followSubmissions(form, data.id);
  return {
    get editor() {
      return editor;
    },
    useCodeMirror() {
      if (!editor.plain) return;
      editor.detach();
      plainNote?.remove();
      plainNote = null;
      editor = createEditor(textarea, handlers);
    },
  };
}

// Feedback names the expected value of a practice case only after this many failed Runs of that
// case, or once a hint is open: before that it says what is wrong and why, so repeated Runs
// cannot read the answer off it. (Hidden cases on the server never name it.)
const REVEAL_AFTER = 3;

function failuresKey(exerciseId) {
  return `virttutor:failures:${exerciseId}`;
}

function readFailures(exerciseId) {
  try {
    return JSON.parse(localStorage.getItem(failuresKey(exerciseId)) || "{}") || {};
  } catch {
    return {};
  }
}

function countFailures(exerciseId, report) {
  if (!report?.cases?.length) return;
  const failures = readFailures(exerciseId);
  for (const item of report.cases) failures[item.name] = item.passed ? 0 : (failures[item.name] ?? 0) + 1;
  try {
    localStorage.setItem(failuresKey(exerciseId), JSON.stringify(failures));
  } catch {
    // Storage refused (private mode): feedback simply stays without the expected values.
  }
}

function withReveal(exerciseId, cases, form) {
  const hints = Number.parseInt(form.querySelector("[name=hints_opened]")?.value ?? "0", 10) || 0;
  const failures = readFailures(exerciseId);
  return cases.map((c) => ({ ...c, reveal: hints > 0 || (failures[c.name] ?? 0) >= REVEAL_AFTER }));
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

/**
 * Another tab of this browser saved this exercise's code: this tab shows it too, so typing here
 * (in the older copy) never writes over it. Two open tabs used to save last-write-wins, and the
 * first tab's work was gone without a word. Ctrl+Z brings this tab's text back.
 */
function followOtherTabs(exerciseId, current, form, getKnown, setKnown) {
  let note = null;
  window.addEventListener("storage", (event) => {
    if (event.key !== codeKey(exerciseId) || event.newValue === null) return;
    const editor = current();
    const mine = editor.getValue();
    if (event.newValue === mine) {
      setKnown(mine);
      return;
    }
    // This tab's own edits are saved as they happen, so it differs from what it last stored
    // only in a moment between keystrokes: then keep it, and the other tab's code is backed up.
    if (mine !== getKnown()) return;
    setKnown(event.newValue);
    replaceAll(editor, event.newValue);
    if (!note) {
      note = document.createElement("p");
      note.className = "storage-note other-tab-note";
      note.setAttribute("role", "status");
      form.querySelector(".actions").before(note);
    }
    note.textContent = t("otherTab");
  });
}

function addNote(form, text) {
  const note = document.createElement("p");
  note.className = "storage-note";
  note.setAttribute("role", "note");
  note.textContent = text;
  form.querySelector(".actions").before(note);
  return note;
}

function resetToStarter(editorNow, data, result) {
  const editor = editorNow();
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
    replaceAll(editorNow(), current);
    note.remove();
    editorNow().focus();
  });
  note.append(undo);
  result.replaceChildren(note);
  editor.focus();
}

// While a Submit is graded its button says so (aria-disabled) without being disabled: a
// disabled button dropped keyboard focus to <body>, where a screen reader loses its place. A
// second press meanwhile is dropped (hx-sync="this:drop" on the form). On the document, so it
// holds before an exercise's editor has loaded.
function markSubmitting(event, busy) {
  const form = event.detail?.elt;
  const submit = form?.matches?.(".exercise-form") ? form.querySelector("button.submit") : null;
  if (busy) submit?.setAttribute("aria-disabled", "true");
  else submit?.removeAttribute("aria-disabled");
}
document.addEventListener("htmx:beforeRequest", (event) => markSubmitting(event, true));
document.addEventListener("htmx:afterRequest", (event) => markSubmitting(event, false));

function wireSubmit(form, current, result) {
  form.addEventListener("htmx:configRequest", (event) => {
    // htmx read the form before this event; make sure it sends what is on screen.
    current().save();
    event.detail.parameters.code = current().getValue();
  });
  form.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    // The server's own refusal says why, in the page's language ("still being graded", "the
    // code is larger than 200 KB"); a proxy's or a server's bare error page does not.
    const told = serverRefusal(xhr.responseText);
    if (told) {
      result.replaceChildren(told);
      return;
    }
    let message;
    if (xhr.status === 413) message = t("submitTooLarge");
    else if (xhr.status === 503 || xhr.status === 429) {
      message = t("submitBusy", { s: Number.parseInt(xhr.getResponseHeader("Retry-After"), 10) || 10 });
    } else message = t("submitHttpError", { status: xhr.status });
    result.replaceChildren(errorReport(message, "submit-error"));
  });
  form.addEventListener("htmx:sendError", () => {
    // Offline (the service worker still serves the lesson and Run): say Submit needs the network.
    result.replaceChildren(errorReport(t(navigator.onLine ? "submitNetwork" : "submitOffline"), "submit-error"));
  });
  // The server's report is HTML (it works without JavaScript); give its cases their replays.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail?.target !== result) return;
    const root = result.querySelector(".report");
    const data = root?.querySelector("script.report-data");
    if (root && data) enhanceReport(root, JSON.parse(data.textContent), form.closest(".exercise").dataset.exerciseId);
  });
}

/** A refusal fragment of this server (tutor/web/learn.py `refused`), or null. */
function serverRefusal(text) {
  if (!text) return null;
  const holder = document.createElement("template");
  holder.innerHTML = text;
  const node = holder.content.firstElementChild;
  const ours = node?.matches(".report[data-verdict]") && node.querySelector(".message")?.textContent.trim();
  return ours ? node : null;
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

/**
 * A report: the verdict says what was checked (practice cases here, hidden cases on the server)
 * as "N of M cases pass"; each distinct problem appears once with the first case that shows it;
 * each case lists what the learner's code printed and offers a replay that marks where its run
 * left the reference. Server reports (Submit) get the same replays through enhanceReport().
 */
export function renderReport(report, exerciseId) {
  const root = reportRoot(report.verdict, report.score);
  const total = report.total_count ?? report.cases?.length ?? 0;
  const passed = report.passed_count ?? (report.cases ?? []).filter((c) => c.passed).length;
  const practice = report.scope === "practice";
  root.dataset.scope = report.scope ?? "hidden";
  const verdict = element("p", "verdict");
  if (report.verdict === "error") verdict.textContent = t("error");
  else {
    root.dataset.passed = String(passed);
    root.dataset.total = String(total);
    if (report.verdict === "passed") verdict.textContent = t(practice ? "passedPractice" : "passed", { total });
    else verdict.textContent = t(practice ? "failedPractice" : "failed", { passed, total });
  }
  if (practice) verdict.append(" ", element("span", "meta", t("practiceMeta")));
  root.append(verdict);
  if (report.verdict === "error") root.append(element("p", "message", pick(report.message)));
  const titles = new Map((report.cases ?? []).map((c) => [c.name, pick(c.title) || c.name]));
  (report.problems ?? []).forEach((problem, index) => {
    const first = problem.cases[0];
    const line = element("p", index === 0 ? "message" : "message other-problem");
    line.append(element("strong", "", titles.get(first) ?? first), t("afterName") + pick(problem.message));
    if (problem.cases.length > 1) {
      line.append(" ", element("span", "also", t("sameInMore", { n: problem.cases.length - 1 })));
    }
    root.append(line);
  });
  if (report.cases?.length) {
    const list = element("ul", "cases");
    for (const item of report.cases) list.append(renderCase(item));
    root.append(list);
    enhanceReport(root, report, exerciseId);
  }
  return root;
}

function renderCase(item) {
  const li = element("li", `case ${item.passed ? "pass" : "fail"}`);
  li.dataset.case = item.name;
  const mark = element("span", "mark", item.passed ? "✓" : "✗");
  mark.setAttribute("aria-hidden", "true");
  li.append(mark, element("span", "sr-only", item.passed ? t("casePassed") : t("caseFailed")));
  li.append(element("strong", "", pick(item.title) || item.name));
  if (item.stdout) {
    const printed = element("details", "printed");
    const output = element("pre", "", item.stdout);
    output.tabIndex = 0; // it may scroll sideways: keyboard users must reach it
    printed.append(element("summary", "", t("printed")), output);
    li.append(printed);
  }
  return li;
}

/** Adds a replay button to every case of a rendered report (ours, or the server's HTML). */
export function enhanceReport(root, report, exerciseId) {
  const byName = new Map((report.cases ?? []).map((c) => [c.name, c]));
  for (const li of root.querySelectorAll("li.case[data-case]")) {
    const item = byName.get(li.dataset.case);
    if (!item?.trace?.length || li.querySelector("button.replay")) continue;
    const title = pick(item.title) || item.name;
    const replay = element("button", "replay", t("replay"));
    replay.type = "button";
    replay.setAttribute("aria-label", t("replayLabel", { name: title }));
    replay.addEventListener("click", () => {
      document.dispatchEvent(
        new CustomEvent("virttutor:replay", {
          detail: {
            exerciseId,
            caseName: title,
            trace: item.trace,
            passed: item.passed,
            departure: item.departure ?? null,
            message: item.passed ? "" : pick(item.message),
            state: item.output ?? null,
            back: `exercise-${exerciseId}`,
          },
        }),
      );
    });
    li.querySelector("strong").after(" ", replay);
  }
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
