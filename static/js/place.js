// Switching language reloads the page from the server, in the other language. Without help that
// lands the learner at the top with every result gone, halfway through an exercise. So a click on
// the language switch notes where the learner is (the part of the lesson at the top of the
// window, and how far into it) in sessionStorage; the reloaded page scrolls back there and shows
// each exercise's last result again, re-rendered in the new language: a Run outcome from the data
// kept here, a Submit verdict fetched again from the server (`/submissions/<id>`).

const PLACE_KEY = "virttutor:place";
const SHOWN_PREFIX = "virttutor:shown:";
// A place older than this belongs to some earlier visit, not to the click that just happened.
const PLACE_TTL_MS = 60_000;

// The parts of a lesson a place is anchored to, outermost first. Each has a key that names the
// same part on the page in either language.
const ANCHORS = [
  [".viz", () => "viz"],
  [".lesson-body :is(h2, h3)", (el, i) => `heading:${i}`],
  [".concept-check fieldset.check", (el, i) => `check:${i}`],
  ["section.exercise", (el) => `#${el.id}`],
  ["section.exercise :is(.prompt, .exercise-form, .result, .hints)", (el) => `#${el.closest("section").id} .${el.classList[0]}`],
];

function session() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage refused: the switch still works, it just starts at the top
  }
}

function anchors() {
  const found = [];
  for (const [selector, keyOf] of ANCHORS) {
    [...document.querySelectorAll(`main ${selector}`)].forEach((el, i) => {
      // An empty result is display:none: it has no box, and its rect of zeros is no place.
      if (el.getClientRects().length > 0) found.push({ el, key: keyOf(el, i) });
    });
  }
  return found;
}

/** Where the page's visible content starts: below the sticky header, if it covers the top. */
function viewTop() {
  return Math.max(0, document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0);
}

/** The anchor the top of the view is in: the last one that starts at or above it. */
function currentAnchor() {
  const edge = viewTop() + 1;
  let best = null;
  for (const anchor of anchors()) {
    const top = anchor.el.getBoundingClientRect().top;
    if (top <= edge && (!best || top >= best.top)) best = { ...anchor, top };
  }
  return best;
}

/** The path of the page the switch opens: the live site's `/lang/<code>?next=<page>` redirects
 * to `<page>`; the static copy links straight to the page in the other language (`/en/…` and
 * `/zh/…` are different paths). */
function destination(link) {
  const url = new URL(link.href, location.href);
  const redirect = /\/lang\/[^/]+$/.test(url.pathname) && url.searchParams.get("next");
  return redirect ? new URL(redirect, location.href).pathname : url.pathname;
}

/** Notes the learner's place whenever they click the language switch. */
export function keepPlaceOnLanguageSwitch() {
  for (const link of document.querySelectorAll(".lang-switch a:not([aria-current])")) {
    link.addEventListener("click", () => {
      const anchor = currentAnchor();
      const place = {
        path: destination(link),
        key: anchor?.key ?? null,
        offset: anchor ? anchor.top : 0,
        scrollY: window.scrollY,
        focusedExercise: document.activeElement?.closest?.(".CodeMirror")?.closest("section.exercise")?.id ?? null,
        at: Date.now(),
      };
      session()?.setItem(PLACE_KEY, JSON.stringify(place));
    });
  }
}

/** The place noted just before this page was loaded by a language switch, consumed; or null. */
export function takePlace() {
  const store = session();
  if (!store) return null;
  let place = null;
  try {
    place = JSON.parse(store.getItem(PLACE_KEY) || "null");
  } catch {
    place = null;
  }
  store.removeItem(PLACE_KEY);
  if (!place || place.path !== location.pathname || Date.now() - place.at > PLACE_TTL_MS) return null;
  return place;
}

/** Scrolls so the noted part of the lesson is where it was in the window. */
export function restoreScroll(place) {
  const anchor = place.key ? anchors().find((a) => a.key === place.key) : null;
  if (anchor) {
    const top = anchor.el.getBoundingClientRect().top + window.scrollY;
    window.scrollTo({ top: top - place.offset, behavior: "instant" });
  } else {
    window.scrollTo({ top: place.scrollY, behavior: "instant" });
  }
  const editor = place.focusedExercise && document.querySelector(`#${CSS.escape(place.focusedExercise)} .CodeMirror`);
  editor?.CodeMirror?.focus();
}

/** Keeps what an exercise's result area shows now: `{kind: "run", outcome, timeoutMs}` or `{kind: "submission", id}`. */
export function rememberShown(exerciseId, shown) {
  try {
    session()?.setItem(SHOWN_PREFIX + exerciseId, JSON.stringify(shown));
  } catch {
    // Too large or refused: after a switch this exercise simply shows no result.
  }
}

export function recallShown(exerciseId) {
  try {
    return JSON.parse(session()?.getItem(SHOWN_PREFIX + exerciseId) || "null");
  } catch {
    return null;
  }
}

/**
 * Notes the id of every Submit verdict the server sends back (see the X-Submission-Id header),
 * and that a Submit is on its way until then: a page reloaded or switched to another language
 * meanwhile never gets that answer, so it asks for the learner's newest submission instead.
 */
export function followSubmissions(form, exerciseId) {
  form.addEventListener("htmx:beforeRequest", () => rememberShown(exerciseId, { kind: "submitting" }));
  form.addEventListener("htmx:afterRequest", (event) => rememberSubmission(exerciseId, event));
}

/** The submission an htmx answer names (X-Submission-Id), kept as what the exercise shows. */
function rememberSubmission(exerciseId, event) {
  const id = event.detail?.successful ? event.detail.xhr?.getResponseHeader("X-Submission-Id") : null;
  if (id) rememberShown(exerciseId, { kind: "submission", id });
}

/**
 * Shows each exercise's last result again, in this page's language. `renderRun` turns a kept Run
 * outcome into its report element; a Submit verdict is fetched through htmx, so it is swapped in
 * exactly as the original was (and gets the same enhancements). `inFlightOnly` (a reload, not a
 * language switch): only a Submit that was still on its way, whose answer this page never got.
 */
export function restoreResults(renderRun, { inFlightOnly = false } = {}) {
  // A submission's own page links here (?submission=<id>#exercise-<id>) to replay its cases.
  const linked = new URLSearchParams(window.location.search).get("submission");
  const linkedExercise = window.location.hash.replace(/^#exercise-/, "");
  for (const section of document.querySelectorAll("section.exercise")) {
    const id = section.dataset.exerciseId;
    const shown = linked && id === linkedExercise ? { kind: "submission", id: linked } : recallShown(id);
    const result = section.querySelector(".result");
    if (!shown || !result || (inFlightOnly && shown.kind !== "submitting")) continue;
    if (shown.kind === "run" && shown.outcome) {
      result.replaceChildren(renderRun(shown.outcome, id, shown.timeoutMs));
    } else if (shown.kind === "submission" && /^\d+$/.test(String(shown.id)) && window.htmx) {
      window.htmx.ajax("GET", `/submissions/${shown.id}`, { target: result, swap: "innerHTML" });
    } else if (shown.kind === "submitting" && window.htmx) {
      result.addEventListener("htmx:afterRequest", (event) => rememberSubmission(id, event), { once: true });
      window.htmx.ajax("GET", `/exercises/${encodeURIComponent(id)}/latest`, { target: result, swap: "innerHTML" });
    }
  }
}
