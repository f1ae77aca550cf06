// Concept-check questions: the learner picks an option and presses Check; right/wrong and the
// explanation appear at once, so the reason arrives while the question is still in mind.
// Answering on `change` would be wrong: arrow keys move through a radio group by selecting each
// option in turn, so a keyboard user would "answer" every option on the way to the one they meant.

import { t } from "./strings.js";

/** @param {HTMLFieldSetElement} fieldset `.check[data-answer]` with a `button.check-answer` */
export function setupConceptCheck(fieldset) {
  const feedback = fieldset.querySelector(".check-feedback");
  const button = fieldset.querySelector("button.check-answer");
  if (!feedback || !button) return;

  const forget = () => {
    // A new choice has not been checked yet: the old verdict must not look like it applies.
    fieldset.classList.remove("answered-right", "answered-wrong");
    for (const label of fieldset.querySelectorAll("label")) label.classList.remove("chosen");
    feedback.className = "check-feedback";
    feedback.replaceChildren(); // empty: no box, but the live region stays (see site.css)
  };

  fieldset.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === "radio") forget();
  });

  button.addEventListener("click", () => {
    const chosen = fieldset.querySelector("input[type=radio]:checked");
    if (!chosen) {
      forget();
      feedback.className = "check-feedback pending";
      feedback.textContent = t("checkChooseFirst");
      return;
    }
    const right = chosen.value === fieldset.dataset.answer;
    fieldset.classList.toggle("answered-right", right);
    fieldset.classList.toggle("answered-wrong", !right);
    for (const label of fieldset.querySelectorAll("label")) {
      label.classList.toggle("chosen", label.contains(chosen));
    }
    feedback.className = `check-feedback ${right ? "right" : "wrong"}`;
    feedback.replaceChildren(
      Object.assign(document.createElement("strong"), { textContent: right ? t("checkRight") : t("checkWrong") }),
      ` ${feedback.dataset.explain ?? ""}`,
    );
    // self-study.js keeps the answer in this browser's progress.
    fieldset.dispatchEvent(new CustomEvent("virttutor:check", { bubbles: true, detail: { choice: chosen.value, right } }));
  });
}
