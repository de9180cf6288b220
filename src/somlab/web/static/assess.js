// The case form: collects the facts entered, assesses them through POST /api/assess as they change,
// shows each jurisdiction's verdict as a short memo and asks next for the facts still missing.
(function () {
  "use strict";
  const { el } = window.somlabDom;
  const form = document.getElementById("case-form");
  const statusLine = document.getElementById("status");
  const verdicts = document.getElementById("verdicts");
  const findingsBox = document.getElementById("findings");
  const nextBox = document.getElementById("next");
  const nextList = document.getElementById("next-list");
  const errors = document.getElementById("form-errors");
  const onlyNeeded = document.getElementById("only-needed");
  const MARK = { true: "✓", false: "✗", null: "?" };
  let controller = null;
  let timer = null;
  let needed = new Set();
  const meaning = {};
  form.querySelectorAll(".fact").forEach((el) => {
    const label = el.querySelector("legend, label");
    meaning[el.dataset.path] = label ? label.firstChild.textContent.trim() : el.dataset.path;
  });

  function facts() {
    const out = {};
    const set = (path, value) => {
      const [group, leaf] = path.includes(".") ? path.split(/\.(.*)/s) : [path, null];
      if (leaf === null) out[group] = value;
      else (out[group] = out[group] || {})[leaf] = value;
    };
    form.querySelectorAll(".fact").forEach((box) => {
      const path = box.dataset.path, kind = box.dataset.kind;
      if (kind === "bool") {
        const checked = box.querySelector("input:checked");
        if (checked && checked.value !== "") set(path, checked.value === "true");
      } else if (kind === "enumlist") {
        const ticked = [...box.querySelectorAll("input:checked")];
        if (ticked.length) set(path, ticked.filter((i) => !i.dataset.none).map((i) => i.value));
      } else {
        const input = box.querySelector("input, select, textarea");
        const value = input.value.trim();
        if (value === "") return;
        if (kind === "count") set(path, Number.isInteger(Number(value)) ? Number(value) : value);
        else if (kind === "amount") set(path, isNaN(Number(value)) ? value : Number(value));
        else if (kind === "country") set(path, value.toUpperCase());
        else set(path, value);
      }
    });
    return out;
  }

  function answered(box) {
    if (box.dataset.kind === "bool") return box.querySelector("input:checked").value !== "";
    if (box.dataset.kind === "enumlist") return !!box.querySelector("input:checked");
    return box.querySelector("input, select, textarea").value.trim() !== "";
  }

  // The case and the jurisdictions live in the address (?date=...&benefit.obtained=true&j=UN-SOM,IT),
  // so that a reload or a shared link restores them.
  const codeBoxes = [...form.querySelectorAll("input[name=jurisdiction]")];
  let codesChosen = false;

  function toAddress() {
    const params = new URLSearchParams();
    form.querySelectorAll(".fact").forEach((box) => {
      const path = box.dataset.path, kind = box.dataset.kind;
      if (kind === "bool") {
        const checked = box.querySelector("input:checked");
        if (checked && checked.value !== "") params.set(path, checked.value);
      } else if (kind === "enumlist") {
        const ticked = [...box.querySelectorAll("input:checked")];
        if (ticked.length) params.set(path, ticked.map((i) => (i.dataset.none ? "none" : i.value)).join(","));
      } else {
        const value = box.querySelector("input, select, textarea").value.trim();
        if (value !== "") params.set(path, value);
      }
    });
    if (codesChosen) params.set("j", codes().join(","));
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }

  function fromAddress() {
    const params = new URLSearchParams(location.search);
    form.querySelectorAll(".fact").forEach((box) => {
      const path = box.dataset.path, kind = box.dataset.kind;
      if (!params.has(path)) return;
      const value = params.get(path);
      if (kind === "bool") {
        const radio = box.querySelector(`input[value="${value === "true" ? "true" : value === "false" ? "false" : ""}"]`);
        if (radio) radio.checked = true;
      } else if (kind === "enumlist") {
        const wanted = new Set(value.split(","));
        box.querySelectorAll("input").forEach((i) => { i.checked = i.dataset.none ? wanted.has("none") : wanted.has(i.value); });
      } else {
        box.querySelector("input, select, textarea").value = value;
      }
    });
    if (params.has("j")) {
      const wanted = new Set(params.get("j").split(","));
      codeBoxes.forEach((b) => { b.checked = wanted.has(b.value); });
      codesChosen = true;
    }
  }

  function defaultCodes() {
    // The Protocols, the forum's law and, for an EU Member State, the EU layer; all when the forum's
    // law is not encoded and no forum is given.
    if (codesChosen) return;
    const forum = (form.querySelector('.fact[data-path="forum"] input').value || "").trim().toUpperCase();
    const wanted = new Set(form.dataset.protocols.split(","));
    if (forum) wanted.add(forum);
    if (form.dataset.euMembers.split(",").includes(forum)) wanted.add("EU");
    codeBoxes.forEach((b) => { b.checked = wanted.has(b.value); });
  }

  function codes() {
    const boxes = [...form.querySelectorAll("input[name=jurisdiction]")];
    const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
    document.getElementById("code-count").textContent =
      ticked.length === boxes.length ? `all ${boxes.length}` : `${ticked.length} of ${boxes.length}`;
    return ticked;
  }

  function applyVisibility() {
    form.querySelectorAll("fieldset.group[data-group]").forEach((group) => {
      let shown = 0;
      group.querySelectorAll(".fact").forEach((box) => {
        const show = !onlyNeeded.checked || needed.has(box.dataset.path) || answered(box);
        box.hidden = !show;
        box.classList.toggle("needed", needed.has(box.dataset.path) && !answered(box));
        if (show) shown += 1;
      });
      group.hidden = shown === 0;
    });
  }

  function showErrors(problems) {
    form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    errors.replaceChildren();
    errors.hidden = !problems.length;
    if (!problems.length) return;
    errors.append(el("p", {}, "Please correct:"));
    const list = el("ul");
    for (const p of problems) {
      const box = form.querySelector(`.fact[data-path="${CSS.escape(p.field || "")}"]`);
      const target = box && box.querySelector("input, select, textarea");
      if (target) target.setAttribute("aria-invalid", "true");
      const item = el("li", {}, `${p.field || "case"}: ${p.message}`);
      list.append(item);
    }
    errors.append(list);
  }

  function verdictWord(r) {
    if (r.offence === null) return ["undetermined", "verdict-unknown"];
    if (!r.offence) return ["not an offence", "verdict-clear"];
    if (r.aggravated) return ["offence, aggravated", "verdict-offence"];
    return [r.aggravated === null ? "offence (aggravation undetermined)" : "offence", "verdict-offence"];
  }

  function focusFact(path) {
    const box = form.querySelector(`.fact[data-path="${CSS.escape(path)}"]`);
    if (!box) return;
    box.hidden = false;
    box.closest("fieldset.group").hidden = false;
    const target = box.querySelector("input, select, textarea");
    box.scrollIntoView({ block: "center" });
    target.focus();
  }

  function ask(path) {
    const link = el("a", { href: `#f-${path.replaceAll(".", "-")}`, "data-fact": path }, meaning[path] || path);
    link.addEventListener("click", (event) => { event.preventDefault(); focusFact(path); });
    return link;
  }

  function steps(list) {
    const out = el("ul", { class: "trace" });
    for (const s of list) {
      out.append(el("li", { class: `step v-${s.value}` },
        el("span", { class: "mark", "aria-label": s.value === null ? "unknown" : s.value ? "met" : "not met" }, MARK[s.value]), " ",
        el("strong", {}, s.provision), ` [${s.kind}] `, el("q", {}, s.quote),
        el("span", { class: "meta" }, ` — ${s.test}`)));
    }
    return out;
  }

  function memo(r) {
    const [word, css] = verdictWord(r);
    const card = el("article", { class: "verdict", "data-jurisdiction": r.jurisdiction },
      el("h3", {}, `${r.jurisdiction}: `, el("span", { class: `verdict-word ${css}` }, word)));
    if (r.version) card.append(el("p", { class: "meta" }, `Law applied: ${r.version}` + (r.law_partial ? ` (encoded in part: ${r.law_partial})` : "")));
    if (r.provisions.length) card.append(el("p", {}, `Provisions: ${r.provisions.join(", ")}`));
    const decisive = r.trace.filter((s) => (r.offence === true && s.value === true && s.kind !== "exception") ||
      (r.offence === false && ((s.kind === "element" && s.value === false) || (s.kind === "exception" && s.value === true) || s.kind === "in_force")));
    if (decisive.length) card.append(el("p", {}, r.offence ? "Because:" : "Not an offence because:"), steps(decisive));
    card.append(el("details", {}, el("summary", {}, `Full reasoning (${r.trace.length} steps, quoted)`), steps(r.trace)));
    if (r.exemptions.length) card.append(el("p", {}, `Exempt under: ${r.exemptions.join(", ")}`));
    if (r.optional_exemptions.length) card.append(el("p", {}, `Optional exemption (applies only if the state chose it): ${r.optional_exemptions.join(", ")}`));
    if (r.aggravations.length) card.append(el("p", {}, `Aggravating circumstances: ${r.aggravations.join(", ")}`));
    if (r.penalty_max_years !== null) card.append(el("p", {}, `Maximum penalty stated: ${r.penalty_max_years} years`));
    if (r.missing_facts.length) {
      const list = el("ul", { class: "missing-facts" });
      for (const f of r.missing_facts) {
        list.append(el("li", {}, ask(f), " ", el("code", {}, f)));
      }
      card.append(el("p", {}, "To decide, establish:"), list);
    }
    return card;
  }

  function render(doc) {
    const a = doc.cases[0];
    const count = {};
    for (const r of a.results) for (const f of r.missing_facts) (count[f] = count[f] || []).push(r.jurisdiction);
    needed = new Set(Object.keys(count));
    nextList.replaceChildren();
    const order = Object.keys(count).sort((x, y) => count[y].length - count[x].length);
    for (const f of order) {
      nextList.append(el("li", {}, ask(f), el("span", { class: "meta" }, ` — needed by ${count[f].join(", ")}`)));
    }
    nextBox.hidden = order.length === 0;
    findingsBox.replaceChildren();
    if (a.findings.length) {
      const list = el("ul");
      for (const f of a.findings) list.append(el("li", {}, el("strong", {}, f.kind.replaceAll("_", " ")), ` [${f.jurisdiction}]: ${f.detail}` + (f.provisions.length ? ` (${f.provisions.join(", ")})` : "")));
      findingsBox.append(el("section", { class: "card findings" }, el("h3", {}, "Findings against the Protocols"), list));
    }
    verdicts.replaceChildren(...a.results.map(memo));
    if (a.not_assessed.length) verdicts.append(el("p", { class: "meta" }, "Not assessed (law not encoded on this date): " + a.not_assessed.map((x) => `${x.jurisdiction} (${x.reason})`).join("; ")));
    const undecided = a.results.filter((r) => r.offence === null).length;
    statusLine.textContent = `Assessed under ${a.results.length} laws on ${a.date}: ${undecided} undetermined` + (order.length ? `, ${order.length} fact${order.length === 1 ? "" : "s"} would decide them.` : ".");
    document.getElementById("status-bar").textContent = `Verdicts: ${a.results.length - undecided} decided, ${undecided} undetermined ↓`;
    applyVisibility();
  }

  async function assess() {
    const selected = codes();
    if (!selected.length) { statusLine.textContent = "Tick at least one jurisdiction."; return; }
    if (controller) controller.abort();
    controller = new AbortController();
    statusLine.textContent = "Assessing…";
    try {
      const response = await fetch(`/api/assess?jurisdiction=${encodeURIComponent(selected.join(","))}`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(facts()), signal: controller.signal });
      const body = await response.json();
      if (!response.ok) {
        showErrors(body.problems && body.problems.length ? body.problems : [{ field: null, message: body.detail }]);
        statusLine.textContent = "The facts need a correction before they can be assessed.";
        return;
      }
      showErrors([]);
      render(body);
      toAddress();
    } catch (err) {
      if (err.name !== "AbortError") statusLine.textContent = `Could not assess: ${err.message}`;
    }
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(assess, 200); }

  form.addEventListener("input", (event) => {
    const t = event.target;
    if (t.type === "checkbox" && t.closest(".fact")) {
      const box = t.closest(".fact");
      if (t.dataset.none && t.checked) box.querySelectorAll("input:not([data-none])").forEach((i) => { i.checked = false; });
      else if (t.checked) box.querySelector("input[data-none]").checked = false;
    }
    if (t === onlyNeeded) { applyVisibility(); return; }
    if (t.name === "jurisdiction") codesChosen = true;
    else if (t.closest('.fact[data-path="forum"]')) defaultCodes();
    schedule();
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); assess(); });
  form.addEventListener("reset", () => setTimeout(() => { codesChosen = false; defaultCodes(); assess(); }, 0));

  document.getElementById("download").addEventListener("click", async () => {
    const response = await fetch("/api/facts/yaml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(facts()) });
    if (!response.ok) { const body = await response.json(); showErrors(body.problems || []); return; }
    const name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name ? name[1] : "case.yaml" });
    document.body.append(link); link.click(); link.remove();
  });

  fromAddress();
  defaultCodes();
  assess();
})();
