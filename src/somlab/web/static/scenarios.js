// Scenario runs: POST /api/simulations starts a background job; its progress is polled and the
// result drawn as tables (medians with 5-95% bands) and a chart of monthly bands with observed data.
(function () {
  "use strict";
  const { el } = window.somlabDom;
  const form = document.getElementById("sim-form");
  const statusLine = document.getElementById("sim-status");
  const bar = document.getElementById("sim-progress");
  const output = document.getElementById("sim-output");
  const errors = document.getElementById("sim-errors");

  const fmt = (v) => v === null || v === undefined ? "missing" :
    Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en") : Number(v.toPrecision(3)).toString();
  const band = (b) => `${fmt(b.median)} (${fmt(b.p05)}–${fmt(b.p95)})`;

  function table(caption, head, rows) {
    return el("div", { class: "scroll" }, el("table", { class: "data" }, el("caption", {}, caption),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row" }, r[0]), ...r.slice(1).map((c) => el("td", { class: "num" }, c)))))));
  }

  function layers(values, series) {
    const x = { field: "month", type: "temporal", title: null };
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      data: { values: values.filter((r) => r.series === series) }, width: "container", height: 200,
      title: `${series} per month`,
      layer: [
        { mark: { type: "area", opacity: 0.25 }, encoding: { x, y: { field: "simulated_p05", type: "quantitative", title: series }, y2: { field: "simulated_p95" } } },
        { mark: "line", encoding: { x, y: { field: "simulated", type: "quantitative" } } },
        { mark: { type: "line", strokeDash: [4, 3], color: "#222" }, encoding: { x, y: { field: "observed", type: "quantitative" } } },
      ],
    };
  }

  function chart(doc) {
    const values = doc.monthly;
    const fig = el("figure", { class: "figure" }, el("h3", {}, "Simulated (median line, 5–95% band shaded) and observed (dashed), per month"));
    for (const series of [...new Set(values.map((r) => r.series))]) {
      const node = el("div", { class: "chart", role: "img", "aria-label": `${series}: monthly simulated median with 5-95% band and observed series; figures in the table below` });
      fig.append(node);
      window.vegaEmbed(node, layers(values, series), { actions: false, renderer: "svg" }).catch((err) => { node.textContent = `The chart could not be drawn (${err.message}).`; });
    }
    fig.append(el("figcaption", {}, el("p", { class: "source" }, "Source: " + Object.entries(doc.validation).map(([k, v]) => `${k} observed: ${v.series}`).join("; ") + `. Simulated: somlab, ${doc.runs} runs, seed ${doc.seed}.`),
      el("details", {}, el("summary", {}, `Data table (${values.length} rows)`),
        table("Monthly series", ["month", "series", "observed", "simulated median", "5%", "95%"],
          values.map((r) => [r.month, r.series, fmt(r.observed), fmt(r.simulated), fmt(r.simulated_p05), fmt(r.simulated_p95)])))));
    return fig;
  }

  function render(job) {
    const doc = job.result;
    const parts = [
      el("p", {}, `${doc.scenario}: ${doc.runs} runs, seed ${doc.seed}` + (doc.settings.length ? `, settings ${doc.settings.join(" ")}` : ", no settings changed") + "."),
      el("p", { class: "meta" }, `Parameters: ${doc.parameters_status}`),
      el("p", { class: "meta" }, `Parameter uncertainty: ${doc.parameter_uncertainty.note}.`),
      el("ul", {}, ...Object.entries(doc.validation).map(([k, v]) => el("li", {}, `Fit to ${k} (ARD, 0 is perfect): ${fmt(v.ard)}` +
        (v.reference_ard && v.reference_ard.smoothed_3_months != null ? ` (a 3-month smoother of the observed series itself scores ${fmt(v.reference_ard.smoothed_3_months)})` : "") +
        ` — observed: ${v.series}`))),
      table("Outcomes over the focus routes: median and 5–95% band over runs. Source: somlab simulator.", ["outcome", "median", "5%", "95%"],
        Object.entries(doc.outcomes).map(([k, b]) => [k.replaceAll("_", " "), fmt(b.median), fmt(b.p05), fmt(b.p95)])),
      chart(doc),
    ];
    if (doc.comparison) {
      const c = doc.comparison;
      const label = (set) => set.length ? set.join(" ") : "the scenario as it is";
      parts.push(el("h3", {}, "Comparison: variant B against A"),
        table(`A: ${label(c.a)}; B: ${label(c.b)}. Median and 5–95% band over runs paired by seed (common random numbers). Source: somlab simulator.`,
          ["outcome", "A", "B", "B − A", "relative"],
          c.rows.map((r) => [r.outcome.replaceAll("_", " "), band({ median: r.a_median, p05: r.a_p05, p95: r.a_p95 }),
            band({ median: r.b_median, p05: r.b_p05, p95: r.b_p95 }),
            band({ median: r.difference_median, p05: r.difference_p05, p95: r.difference_p95 }),
            r.relative_median === null ? "missing" : `${(100 * r.relative_median).toFixed(1)}%`])));
    }
    if (doc.exposure) {
      const x = doc.exposure;
      parts.push(el("h3", {}, "Exposure: who each law would criminalise"),
        el("p", { class: "meta" }, `${x.unit}. ${x.counterfactual}; law applied: ${x.law_date}. Routes: ${x.routes.join(", ")}.`),
        table("Simulated facilitation actors by law and role: median (5–95% band). Source: somlab simulator and law engine.",
          ["law / role", "criminalised", "not criminalised", "undetermined", "not assessed", "facts that would decide"],
          x.rows.map((r) => [`${r.jurisdiction} · ${r.role.replaceAll("_", " ")}`, band(r.criminalised), band(r.not_criminalised), band(r.undetermined), band(r.not_assessed), r.undetermined_facts.join(", ") || "—"])));
    }
    output.replaceChildren(...parts);
  }

  async function poll(url) {
    const response = await fetch(url);
    const job = await response.json();
    if (!response.ok) { statusLine.textContent = job.detail; return; }
    bar.hidden = false;
    bar.value = job.progress;
    bar.textContent = `${Math.round(job.progress * 100)}%`;
    statusLine.textContent = `Simulation ${job.id}: ${job.status}, ${job.runs_done} of ${job.runs} runs done.`;
    if (job.status === "done") { bar.hidden = true; render(job); return; }
    if (job.status === "failed") { bar.hidden = true; statusLine.textContent = `Simulation failed: ${job.error}`; return; }
    setTimeout(() => poll(url), 400);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      scenario: data.get("scenario"), runs: Number(data.get("runs")), seed: Number(data.get("seed")),
      set: String(data.get("set")).split("\n").map((s) => s.trim()).filter(Boolean),
      exposure: String(data.get("exposure")).split(",").map((s) => s.trim()).filter(Boolean),
      compare: data.get("do_compare") ? String(data.get("compare")).split("\n").map((s) => s.trim()).filter(Boolean) : null,
    };
    errors.hidden = true;
    const response = await fetch("/api/simulations", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const job = await response.json();
    if (!response.ok) {
      errors.replaceChildren(el("p", {}, job.detail));
      errors.hidden = false;
      return;
    }
    output.replaceChildren();
    history.replaceState(null, "", `${location.pathname}?job=${encodeURIComponent(job.id)}`);
    poll(job.url);
  });

  // A run has an address (/scenarios?job=ID): opening it shows the run, while the server keeps it.
  const shared = new URLSearchParams(location.search).get("job");
  if (shared) poll(`/api/simulations/${encodeURIComponent(shared)}`);
})();
