// The DOM audit run by test_accessibility.py; returns {problems, lang, live}.
(() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const nameOf = (el) => {
    const labelled = el.getAttribute("aria-labelledby");
    if (labelled) return labelled.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(" ");
    if (el.title) return el.title;
    return el.textContent;
  };
  for (const el of document.querySelectorAll("button, a[href], select, input:not([type=hidden]), textarea")) {
    if (!visible(el) && el.tagName !== "TEXTAREA") continue;
    if (!(nameOf(el) || "").trim()) problems.push(`unnamed ${el.tagName.toLowerCase()} ${el.outerHTML.slice(0, 80)}`);
  }
  const lang = document.documentElement.lang;
  if (!lang) problems.push("no lang on <html>");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  let previous = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) problems.push(`heading jumps from h${previous} to ${h.tagName}: ${h.textContent.trim().slice(0, 40)}`);
    previous = level;
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.closest("[aria-hidden=true]") || svg.getAttribute("aria-hidden") === "true") continue;
    if (!svg.getAttribute("role") || !(svg.getAttribute("aria-label") || svg.querySelector("title"))) {
      problems.push("an svg without role and a text alternative");
    }
  }
  for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) problems.push(`img without alt ${img.src}`);
  return {problems, lang, live: document.querySelectorAll("[aria-live]").length};
})
