// A sentence drawn in an SVG, broken into lines that fit a width. SVG text never wraps by itself:
// a sentence longer than the drawing was clipped at its edges on a phone (the 360-unit drawings
// are shown 320 px wide), so the learner read "ss Play: a running guest starts moving to…".
//
// The widths are measured by the browser (getComputedTextLength, in the drawing's own units), so
// any font and either language fits; where nothing is laid out yet (a hidden stage) an estimate
// stands in. Latin words and numbers never break; Chinese may break between any characters.

const TOKENS = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+/gu;

function estimate(text, size) {
  return [...text].reduce((sum, ch) => sum + (/[\u2e80-\uffff]/.test(ch) ? size : size * 0.6), 0);
}

/**
 * Appends to `parent` a <text> of `content` in lines of at most `width` units, the first line's
 * baseline at `y`, each next one `lineHeight` lower. Returns the node and the height it took
 * (`lines × lineHeight`), so what follows can be placed under it.
 */
export function drawLines(parent, content, { x, y, width, lineHeight = 18, anchor = "start", cls = "", size = 14 }) {
  const node = parent.append("text").attr("x", x).attr("y", y).attr("text-anchor", anchor);
  if (cls) node.attr("class", cls);
  const probe = node.append("tspan");
  const measure = (text) => {
    probe.text(text);
    const measured = probe.node().getComputedTextLength?.() ?? 0;
    return measured > 0 ? measured : estimate(text, size);
  };
  const lines = [];
  let line = "";
  for (const token of String(content).match(TOKENS) ?? []) {
    const candidate = line + token;
    if (line.trim() && !/^\s+$/.test(token) && measure(candidate.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = token;
    } else line = candidate;
  }
  if (line.trim()) lines.push(line.trimEnd());
  probe.remove();
  lines.forEach((text, i) => node.append("tspan").attr("x", x).attr("dy", i === 0 ? 0 : lineHeight).text(text));
  return { node, height: lines.length * lineHeight };
}
