// Self-study on every page: notes the learner's progress in this browser (progress-store.js)
// and shows it — ticks and "continue where you left off" on the outline, a solved mark on each
// exercise, the completion record with export, import and print — and registers the service
// worker that keeps the course available offline (offline.js).
//
// The outline may also carry progress the server knows (a signed-in learner's Submits):
// `data-solved-ids` on each lesson; the page shows the union of both.

import {
  ProgressFileError,
  exportProgress,
  importProgress,
  lessonStatus,
  readAll,
  recordCheck,
  recordCompletion,
  recordRun,
  recordVisit,
} from "./progress-store.js";
import { registerOffline } from "./offline.js";
import { keepRoomForHeader } from "./sticky-header.js";
import { offerProgressToAccount } from "./progress-offer.js";
import { t } from "./strings.js";

const lang = document.body.dataset.lang === "zh" ? "zh-CN" : "en";
const words = (value) => (value ?? "").split(/\s+/).filter(Boolean);

// Tests and the course's sign-in page wait on this: resolves once the page shows stored progress.
const shown = setup().catch((error) => {
  console.warn("progress in this browser is unavailable:", error);
  showUnavailable();
});
window.virttutor = Object.assign(window.virttutor ?? {}, { progressShown: shown });
registerOffline();
keepRoomForHeader();

async function setup() {
  const lesson = document.querySelector("article.lesson[data-lesson-id]");
  if (lesson) await setupLesson(lesson);
  const outline = document.querySelector("ol.outline");
  if (outline) await showOutline(outline);
  const record = document.querySelector("article.my-progress");
  if (record) await setupRecord(record);
  // Signed in: the progress of this browser is offered to the account once (progress-offer.js).
  await offerProgressToAccount();
}

// ---- A lesson page -------------------------------------------------------------------------

async function setupLesson(article) {
  const lessonId = article.dataset.lessonId;
  const checks = [...article.querySelectorAll(".concept-check fieldset.check")];
  let restoring = false;

  document.addEventListener("virttutor:run", (event) => {
    const { exerciseId, outcome } = event.detail;
    if (outcome?.kind !== "report") return;
    const where = document.querySelector(`#exercise-${CSS.escape(exerciseId)} form .actions`);
    saving(where, async () => {
      await recordRun(exerciseId, lessonId, outcome.report);
      await refreshLesson(article, lessonId, checks.length);
    });
  });
  article.addEventListener("virttutor:check", (event) => {
    if (restoring) return;
    const index = checks.indexOf(event.target);
    if (index < 0) return;
    saving(event.target.querySelector(".check-feedback"), async () => {
      await recordCheck(lessonId, index, event.detail.choice, event.detail.right);
      await refreshLesson(article, lessonId, checks.length);
    });
  });

  await recordVisit(lessonId, location.pathname);
  const records = await readAll();
  // Answers given on an earlier visit come back with their verdict and explanation.
  restoring = true;
  checks.forEach((fieldset, index) => {
    const saved = records[`check:${lessonId}:${index}`];
    const radio = saved && fieldset.querySelector(`input[type=radio][value="${CSS.escape(saved.choice)}"]`);
    if (!radio) return;
    radio.checked = true;
    fieldset.querySelector("button.check-answer")?.click();
  });
  restoring = false;
  await refreshLesson(article, lessonId, checks.length, records);
}

/**
 * Keeps a Run's or an answer's progress (`save`); when the browser's storage refuses it (its
 * data cleared from under the open tab and the database cannot be opened again, a full disk),
 * says so beside it (`where`) rather than let the learner believe it is kept. A later save
 * that works takes the note away.
 */
async function saving(where, save) {
  try {
    await save();
    for (const note of document.querySelectorAll(".progress-not-saved")) note.remove();
  } catch (error) {
    console.warn("progress not saved:", error);
    if (!where || where.parentElement.querySelector(":scope > .progress-not-saved")) return;
    const note = document.createElement("p");
    note.className = "storage-note progress-not-saved";
    note.setAttribute("role", "status");
    note.textContent = t("progressNotSaved");
    where.before(note);
  }
}

async function refreshLesson(article, lessonId, checkCount, records = null) {
  records = records ?? (await readAll());
  const exerciseIds = [...article.querySelectorAll("section.exercise[data-exercise-id]")].map(
    (section) => section.dataset.exerciseId,
  );
  for (const id of exerciseIds) {
    const heading = article.querySelector(`#title-${CSS.escape(id)}`);
    if (heading && records[`exercise:${id}`]?.solved) markSolved(heading, t("exerciseSolved"));
  }
  const status = lessonStatus(records, lessonId, exerciseIds, checkCount);
  if (status.complete && !status.completedAt) await recordCompletion(lessonId);
}

function markSolved(heading, label) {
  if (heading.querySelector(".solved-mark")) return;
  const mark = document.createElement("span");
  mark.className = "solved-mark";
  mark.textContent = `✓ ${label}`;
  heading.append(" ", mark);
}

// ---- The outline ---------------------------------------------------------------------------

async function showOutline(outline) {
  const records = await readAll();
  for (const item of outline.querySelectorAll("li[data-lesson-id]")) {
    const exerciseIds = words(item.dataset.exerciseIds);
    const status = lessonStatus(
      records,
      item.dataset.lessonId,
      exerciseIds,
      Number(item.dataset.checks) || 0,
      new Set(words(item.dataset.solvedIds)),
    );
    const count = item.querySelector(".progress");
    if (count && exerciseIds.length) {
      count.textContent = t(exerciseIds.length === 1 ? "solvedOfOne" : "solvedOfMany", {
        done: status.solved.length,
        num: exerciseIds.length,
      });
    }
    item.dataset.solved = String(status.solved.length);
    item.dataset.complete = String(status.complete);
    const link = item.querySelector(":scope > a");
    if (status.complete && link && !item.querySelector(".lesson-tick")) {
      const tick = document.createElement("span");
      tick.className = "lesson-tick";
      tick.append(
        Object.assign(document.createElement("span"), { textContent: "✓", ariaHidden: "true" }),
        Object.assign(document.createElement("span"), { className: "sr-only", textContent: t("lessonCompleted") }),
      );
      link.before(tick, " ");
    }
  }
  const last = records.last;
  const target = last && outline.querySelector(`li[data-lesson-id="${CSS.escape(last.lesson)}"] > a`);
  const slot = document.querySelector(".continue-reading");
  if (target && slot) {
    const link = document.createElement("a");
    link.href = target.getAttribute("href");
    link.textContent = target.textContent;
    const lead = t("continueWhereLeft");
    // A full-width colon carries its own space; an ASCII one needs one before the link.
    slot.replaceChildren(lead.endsWith("：") ? lead : `${lead} `, link);
    slot.hidden = false;
  }
}

// ---- The completion record -----------------------------------------------------------------

async function setupRecord(article) {
  const message = article.querySelector(".progress-message");
  const say = (text, kind) => {
    message.textContent = text;
    message.dataset.kind = kind;
  };
  article.querySelector("button.export-progress").addEventListener("click", async () => {
    const doc = await exportProgress();
    const blob = new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `virttutor-progress-${doc.exportedAt.slice(0, 10)}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    say(t("exported"), "ok");
  });
  const input = article.querySelector("input.import-file");
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const counts = await importProgress(await file.text());
      say(t("imported", { records: counts.records, code: counts.code }), "ok");
      await showRecord(article);
    } catch (error) {
      say(importError(error, file.name), "error");
    } finally {
      input.value = "";
    }
  });
  article.querySelector("button.print-record").addEventListener("click", () => window.print());
  await showRecord(article);
}

function importError(error, name) {
  if (error instanceof ProgressFileError) {
    const key = { notJson: "importNotJson", notProgress: "importNotProgress", newerVersion: "importNewer", tooLarge: "importTooLarge" }[error.code];
    return t(key ?? "importBadRecord", { name, detail: error.detail });
  }
  return t("importFailed", { name, detail: String(error?.message ?? error) });
}

async function showRecord(article) {
  const records = await readAll();
  const day = (iso) => new Date(iso).toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
  let completed = 0;
  const rows = [...article.querySelectorAll("tr.record-lesson")];
  for (const row of rows) {
    const lessonId = row.dataset.lessonId;
    const checkCount = Number(row.dataset.checks) || 0;
    const exerciseIds = [...row.querySelectorAll("li[data-exercise-id]")].map((li) => li.dataset.exerciseId);
    for (const li of row.querySelectorAll("li[data-exercise-id]")) {
      const best = records[`exercise:${li.dataset.exerciseId}`];
      const cell = li.querySelector(".record-result");
      li.dataset.solved = String(Boolean(best?.solved));
      if (!best) cell.textContent = t("recordNotRun");
      else if (best.solved) cell.textContent = t("recordSolved", { total: best.total, date: day(best.solvedAt ?? best.updatedAt) });
      else cell.textContent = t("recordPartly", { passed: best.passed, total: best.total });
    }
    const status = lessonStatus(records, lessonId, exerciseIds, checkCount);
    if (checkCount) row.querySelector(".record-checks").textContent = t("recordChecks", { right: status.right, num: checkCount });
    const cell = row.querySelector(".record-status");
    row.dataset.complete = String(status.complete);
    if (status.complete) {
      completed += 1;
      const when = status.completedAt ?? records[`lesson:${lessonId}`]?.visitedAt;
      cell.textContent = when ? t("recordCompletedOn", { date: day(when) }) : t("recordCompleted");
    } else cell.textContent = status.visited ? t("recordInProgress") : t("recordNotStarted");
  }
  const summary = article.querySelector(".record-summary");
  const anything = Object.keys(records).length > 0;
  summary.textContent = anything
    ? t("recordSummary", { done: completed, num: rows.length, date: day(new Date().toISOString()) })
    : summary.dataset.empty;
}

function showUnavailable() {
  const slot = document.querySelector(".progress-message") ?? document.querySelector(".continue-reading");
  if (!slot) return;
  slot.textContent = t("progressUnavailable");
  slot.hidden = false;
}
