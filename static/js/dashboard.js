// The course dashboard's charts: bar charts drawn with d3 from the numbers the server put in
// #dashboard-data. Each chart has a table of the same numbers beside it (screen readers read
// the table; the chart is aria-hidden), so nothing here is the only way to see a figure.

const data = JSON.parse(document.getElementById("dashboard-data")?.textContent ?? "{}");
const lang = document.body.dataset.lang === "zh" ? "zh" : "en";

/** A labelled bar chart: `rows` of {label, value}, values as `format` says. */
function bars(d3, element, rows, { max = null, format = (v) => String(v) } = {}) {
  if (!d3 || !element) return;
  const width = 640;
  const barHeight = 22;
  const labelWidth = 220;
  const height = Math.max(1, rows.length) * (barHeight + 6) + 10;
  const top = max ?? (Math.max(0, ...rows.map((r) => r.value)) || 1);
  const x = (value) => (value / top) * (width - labelWidth - 60);
  const svg = d3.select(element).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`).attr("class", "bar-chart");
  const row = svg.selectAll("g").data(rows).join("g")
    .attr("transform", (_, i) => `translate(0, ${5 + i * (barHeight + 6)})`);
  row.append("text").attr("x", labelWidth - 8).attr("y", barHeight / 2).attr("dy", "0.35em")
    .attr("text-anchor", "end").text((r) => r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label);
  row.append("rect").attr("x", labelWidth).attr("height", barHeight)
    .attr("width", (r) => Math.max(1, x(r.value))).attr("class", "bar");
  row.append("text").attr("x", (r) => labelWidth + x(r.value) + 6).attr("y", barHeight / 2)
    .attr("dy", "0.35em").text((r) => format(r.value));
}

const charts = {
  rules: () => (data.rules ?? []).slice(0, 10).map((r) => ({
    label: r.modelRule || (r.message?.[lang] ?? r.message?.en ?? ""), value: r.students })),
  passRate: () => (data.passRate ?? []).map((d) => ({ label: d.day, value: d.rate })),
  scores: () => (data.scores ?? []).map((b) => ({ label: b.band, value: b.students })),
  attempts: () => (data.attempts ?? []).map((b) => ({ label: b.attempts, value: b.students })),
};

// d3 (its CDN or local modules, d3-fallback.js); without it the tables still say everything.
const d3 = await (window.d3Ready ?? Promise.resolve(window.d3)).catch(() => undefined);
for (const element of document.querySelectorAll(".chart[data-chart]")) {
  const name = element.dataset.chart;
  const rows = charts[name]?.() ?? [];
  if (name === "passRate") bars(d3, element, rows, { max: 100, format: (v) => `${v} %` });
  else bars(d3, element, rows);
}

// Picking another exercise shows it at once (the Show button does the same without scripts).
document.getElementById("dashboard-exercise")?.addEventListener("change", (event) => {
  event.target.form?.requestSubmit();
});
