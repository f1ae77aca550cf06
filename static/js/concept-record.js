// Records each concept-check answer on the server (POST /lessons/<id>/checks/<n>), so a learner
// signed in on another device, and their instructor, see it too. The page has already said
// right or wrong; this only keeps the answer, and a failure to keep it never disturbs the page.

const lesson = document.querySelector("article.lesson")?.dataset.lessonId;
const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

document.addEventListener("click", (event) => {
  // Only a learner's own click: self-study.js replays saved answers with button.click() when a
  // page opens, and re-sending them counted an attempt per visit and put an older answer over a
  // newer one from another device.
  if (!event.isTrusted) return;
  const button = event.target instanceof Element ? event.target.closest("button.check-answer") : null;
  const fieldset = button?.closest("fieldset.check");
  const chosen = fieldset?.querySelector("input[type=radio]:checked");
  const question = chosen?.name.match(/^check-(\d+)$/)?.[1];
  if (!lesson || !chosen || question === undefined) return;
  fetch(`/lessons/${encodeURIComponent(lesson)}/checks/${question}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify({ choice: Number(chosen.value) }),
    credentials: "same-origin",
  }).catch(() => {});
});
