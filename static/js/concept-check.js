// Concept-check questions: answering shows right/wrong and the explanation at once, so the
// learner gets the reason while the question is still in mind.

import { t } from "./strings.js";

/** @param {HTMLFieldSetElement} fieldset `.check[data-answer]` */
export function setupConceptCheck(fieldset) {
  const feedback = fieldset.querySelector(".check-feedback");
  fieldset.addEventListener("change", (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type !== "radio") return;
    const right = event.target.value === fieldset.dataset.answer;
    fieldset.classList.toggle("answered-right", right);
    fieldset.classList.toggle("answered-wrong", !right);
    for (const label of fieldset.querySelectorAll("label")) {
      label.classList.toggle("chosen", label.contains(event.target));
    }
    feedback.className = `check-feedback ${right ? "right" : "wrong"}`;
    feedback.replaceChildren(
      Object.assign(document.createElement("strong"), { textContent: right ? t("checkRight") : t("checkWrong") }),
      ` ${feedback.dataset.explain ?? ""}`,
    );
    feedback.hidden = false;
  });
}
