// Hints, one at a time. The server renders every hint in a <details> (so a browser without
// JavaScript still has them); here that becomes a "Show a hint" button that reveals the next one.
// How many are open is kept per exercise in localStorage and written to the form's hidden
// `hints_opened` field, so the Run feedback and the grader can tell that a hint was read.

import { t } from "./strings.js";

const PREFIX = "virttutor:hints:";

function readCount(exerciseId) {
  try {
    return Number.parseInt(localStorage.getItem(PREFIX + exerciseId) ?? "0", 10) || 0;
  } catch {
    return 0; // storage refused (private mode): hints still open, the count lives for this visit
  }
}

function writeCount(exerciseId, count) {
  try {
    localStorage.setItem(PREFIX + exerciseId, String(count));
  } catch {
    // nothing to do: see readCount
  }
}

/**
 * @param {HTMLElement} section the server-rendered `.exercise`
 * @returns {{opened: () => number}}
 */
export function setupHints(section) {
  const exerciseId = section.dataset.exerciseId;
  const details = section.querySelector("details.hints");
  const field = section.querySelector("form [name=hints_opened]");
  const items = details ? [...details.querySelectorAll(":scope > ol > li")] : [];
  if (!details || items.length === 0) return { opened: () => 0 };

  const box = document.createElement("div");
  box.className = "hints";
  const heading = document.createElement("h3");
  heading.className = "hints-title";
  heading.textContent = details.querySelector("summary")?.textContent.trim() || t("hints");
  const list = document.createElement("ol");
  list.className = "hint-list";
  list.append(...items);
  const count = document.createElement("p");
  count.className = "hint-count";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "show-hint";
  box.append(heading, list, count, button);
  details.replaceWith(box);

  let opened = Math.min(Math.max(readCount(exerciseId), 0), items.length);

  const render = () => {
    items.forEach((item, index) => {
      item.hidden = index >= opened;
    });
    list.hidden = opened === 0;
    count.textContent = t("hintsShown", { i: opened, n: items.length });
    button.textContent = opened === 0 ? t("showHint") : t("showNextHint");
    button.hidden = opened >= items.length;
    if (field) field.value = String(opened);
    section.dataset.hintsOpened = String(opened);
  };

  button.addEventListener("click", () => {
    if (opened >= items.length) return;
    opened += 1;
    writeCount(exerciseId, opened);
    render();
    // The new hint takes focus: it is what the learner asked for, and the button may be gone.
    const shown = items[opened - 1];
    shown.tabIndex = -1;
    shown.focus();
    section.dispatchEvent(new CustomEvent("virttutor:hint-opened", { bubbles: true, detail: { opened } }));
  });

  render();
  return { opened: () => opened };
}
