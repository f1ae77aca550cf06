// After a learner signs in (or signs up, or joins a course) in a browser where they studied
// without an account, offers once to bring that progress into the account:
//
// - each exercise solved by a Run here goes to the server as a Submit of the code kept here, and
//   is graded there like any Submit (nothing the browser says about its Runs is trusted);
// - each concept-check answer given here is recorded, judged again by the server, unless the
//   account already has an answer to that question (a newer one, from another device).
//
// Exercises the account already solved are not sent again. Declining marks the offer answered
// and changes nothing: the progress stays in this browser. A failure part-way says what was not
// brought in and keeps the offer open, so the learner can try again. <body data-account="id">.

import { markOffered, progressToOffer } from "./progress-store.js";
import { t } from "./strings.js";

const token = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const POLL_MS = 1000;
// A Submit waits behind others in a busy lab; past this the learner is told it is still grading.
const POLL_LIMIT = 120;

/** Shows the offer if this browser holds progress not yet offered to the signed-in account. */
export async function offerProgressToAccount() {
  const account = document.body.dataset.account;
  if (!account) return;
  const offer = await progressToOffer(account);
  const work = offer && worthOffering(offer);
  if (!work) return;
  if (!work.exercises.length && !work.checks.length) {
    markOffered(account); // visits only: nothing the account could keep
    return;
  }
  show(account, work);
}

/** The solved exercises (with their code) and the answered checks of a progress document. */
function worthOffering(offer) {
  const exercises = [];
  const checks = [];
  for (const [key, value] of Object.entries(offer.records)) {
    let match;
    if ((match = /^exercise:(.+)$/.exec(key)) && value.solved && typeof offer.code[match[1]] === "string") {
      exercises.push({ id: match[1], code: offer.code[match[1]] });
    } else if ((match = /^check:([^:]+):(\d+)$/.exec(key)) && /^\d+$/.test(value.choice)) {
      checks.push({ lesson: match[1], question: Number(match[2]), choice: Number(value.choice) });
    }
  }
  return { exercises, checks };
}

function show(account, work) {
  const box = document.createElement("section");
  box.className = "progress-offer";
  box.setAttribute("aria-labelledby", "progress-offer-title");
  const title = Object.assign(document.createElement("h2"), { id: "progress-offer-title", textContent: t("offerTitle") });
  const text = Object.assign(document.createElement("p"), {
    textContent: t("offerText", { exercises: work.exercises.length, checks: work.checks.length }),
  });
  const yes = Object.assign(document.createElement("button"), { type: "button", textContent: t("offerAccept") });
  const no = Object.assign(document.createElement("button"), { type: "button", textContent: t("offerDecline") });
  const actions = Object.assign(document.createElement("p"), { className: "progress-offer-actions" });
  actions.append(yes, " ", no);
  const status = Object.assign(document.createElement("p"), { className: "progress-offer-status" });
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  box.append(title, text, actions, status);
  const main = document.getElementById("main");
  main.prepend(box);

  no.addEventListener("click", () => {
    markOffered(account);
    actions.remove();
    text.remove();
    status.textContent = t("offerDeclined");
  });
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = t("offerSending");
    const outcome = await bringIn(work, (done, total) => {
      status.textContent = t("offerProgress", { done, total });
    });
    if (outcome.failed.length) {
      status.textContent = t("offerPartly", { ...outcome, failed: outcome.failed.join(", ") });
      status.dataset.kind = "error";
      yes.textContent = t("offerRetry");
      yes.disabled = no.disabled = false;
      return;
    }
    markOffered(account);
    actions.remove();
    status.dataset.kind = "ok";
    status.textContent = t("offerDone", outcome);
  });
}

/** Sends the work; resolves with counts and the names of what could not be brought in. */
async function bringIn(work, progress) {
  const outcome = { graded: 0, passed: 0, skipped: 0, answers: 0, failed: [] };
  let known;
  try {
    known = await json(await fetch("/my-progress/account", { credentials: "same-origin" }));
  } catch (error) {
    return { ...outcome, failed: [t("offerUnreachable", { detail: error.message })] };
  }
  const solved = new Set(known.solved);
  const answered = new Set(known.answered);
  const total = work.exercises.length + work.checks.length;
  let done = 0;
  for (const { id, code } of work.exercises) {
    progress(done++, total);
    if (solved.has(id)) {
      outcome.skipped += 1;
      continue;
    }
    try {
      const report = await submit(id, code);
      outcome.graded += 1;
      if (report.score >= 100) outcome.passed += 1;
    } catch (error) {
      outcome.failed.push(`${id} (${error.message})`);
    }
  }
  for (const { lesson, question, choice } of work.checks) {
    progress(done++, total);
    if (answered.has(`${lesson}:${question}`)) continue;
    try {
      await json(
        await post(`/lessons/${encodeURIComponent(lesson)}/checks/${question}`, { choice }),
      );
      outcome.answers += 1;
    } catch (error) {
      outcome.failed.push(`${lesson} ${question + 1} (${error.message})`);
    }
  }
  return outcome;
}

/** A Submit of `code`, waited for until graded (the queue may answer 202 first). */
async function submit(exerciseId, code) {
  let response = await post(`/api/exercises/${encodeURIComponent(exerciseId)}/grade`, { code });
  for (let polls = 0; response.status === 202; polls++) {
    if (polls >= POLL_LIMIT) throw new Error(t("offerStillGrading"));
    const location = response.headers.get("Location");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    response = await fetch(location, { credentials: "same-origin" });
  }
  return json(response);
}

function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
}

/** The JSON body of a 2xx, or an Error carrying the server's own message. */
async function json(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const zh = document.body.dataset.lang === "zh" && body.error_zh;
    throw new Error(zh || body.error || `HTTP ${response.status}`);
  }
  return body;
}
