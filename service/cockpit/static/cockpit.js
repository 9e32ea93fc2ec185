// The MKBA cockpit: reads a model's interface from the API, shows its knobs, and recalculates
// through the API on every change. No framework, no build step, no external assets.
// Everything model-specific (group labels, knobs, headline figures, chart bars, actors) comes
// from the roles the model's Interface sheet declares (`GET /v1/modellen/{id}`).
"use strict";

const API = "/v1";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const state = {
  lang: "nl", models: [], model: null, iface: null, values: {}, result: null, seq: 0,
  variants: [], comparison: null, compareSeq: 0, norms: [], timeline: null, timelineSeq: 0,
  budgetYears: 2,
};
const $ = (sel) => document.querySelector(sel);
// the wording in nl and en: service/cockpit/text.json, which the page embeds as data
const TEXT = JSON.parse($("#cockpit-text").textContent);
const t = (key) => TEXT[state.lang][key];
const label = (field) => (state.lang === "nl" ? field.labelNl : field.labelEn || field.labelNl);
// a group's label from its group row in the Interface sheet
const groupName = (g) => {
  const row = ((state.iface && state.iface.groepen) || []).find((x) => x.naam === g);
  return row ? label(row) : g;
};
const knobGroups = () => new Set(state.iface.groepen.filter((g) => g.knoppen).map((g) => g.naam));

function fmt(value, type) {
  if (value === null || value === undefined) return t("errorValue");
  if (typeof value === "boolean") return value ? t("yes") : (state.lang === "nl" ? "nee" : "no");
  if (typeof value !== "number") return String(value);
  const locale = state.lang === "nl" ? "nl-NL" : "en-GB";
  if (type === "euro") return "€ " + Math.round(value).toLocaleString(locale);
  if (type === "fraction") return (value * 100).toLocaleString(locale, { maximumFractionDigits: 1 }) + "%";
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(API + path, Object.assign({}, options, { headers }));
  return response;
}

async function json(path, options) {
  const response = await api(path, options);
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.detail || response.statusText), { problem: body });
  return body;
}

// ---------------------------------------------------------------- scenario in the URL fragment

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const values = {};
  for (const [key, raw] of params) {
    if (key === "model" || key === "lang" || key === "varianten") continue;
    values[key] = raw === "true" ? true : raw === "false" ? false : Number(raw);
  }
  let variants = [];
  try {
    variants = checkVariants(JSON.parse(params.get("varianten") || "[]"));
  } catch (_) {
    variants = [];
  }
  return { model: params.get("model"), lang: params.get("lang"), values, variants };
}

function writeFragment() {
  const params = new URLSearchParams({ model: state.model });
  if (state.lang !== "nl") params.set("lang", state.lang);
  for (const [key, value] of Object.entries(state.values)) params.set(key, String(value));
  if (state.variants.length) params.set("varianten", JSON.stringify(state.variants));
  history.replaceState(null, "", "#" + params.toString());
}

// ---------------------------------------------------------------- knobs

function inputElement(field) {
  const id = "in-" + field.naam;
  const wrap = document.createElement("div");
  wrap.className = "knob";
  const lab = document.createElement("label");
  lab.htmlFor = id;
  lab.textContent = label(field) + (field.type === "fraction" ? " (%)" : field.eenheid ? ` (${field.eenheid})` : "");
  const value = field.naam in state.values ? state.values[field.naam] : field.standaardwaarde;
  let input;
  if (field.type === "yesno") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = Boolean(value);
    wrap.classList.add("check");
  } else {
    input = document.createElement("input");
    input.type = "number";
    input.step = "any";
    const scale = field.type === "fraction" ? 100 : 1;
    if (field.minimum !== null) input.min = field.minimum * scale;
    if (field.maximum !== null) input.max = field.maximum * scale;
    input.value = +(value * scale).toPrecision(12);
  }
  input.id = id;
  input.name = field.naam;
  input.dataset.type = field.type;
  const err = document.createElement("span");
  err.className = "error";
  err.id = id + "-error";
  input.setAttribute("aria-describedby", err.id);
  input.addEventListener(field.type === "yesno" ? "change" : "input", () => onKnob(field, input));
  wrap.append(lab, input, err);
  return wrap;
}

function renderKnobs() {
  const form = $("#knobs");
  form.replaceChildren();
  const groups = new Map();
  for (const field of state.iface.invoer) {
    if (!groups.has(field.groep)) groups.set(field.groep, []);
    groups.get(field.groep).push(field);
  }
  // the knob groups open and first, the others folded after them; a model that marks no
  // group as knobs shows every group open
  const knobs = knobGroups();
  const folded = (g) => knobs.size > 0 && !knobs.has(g);
  const order = [...groups.keys()].sort((a, b) => folded(a) - folded(b));
  for (const group of order) {
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = groupName(group);
    fieldset.append(legend, ...groups.get(group).map(inputElement));
    if (folded(group)) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = groupName(group);
      details.append(summary, fieldset);
      form.append(details);
    } else {
      form.append(fieldset);
    }
  }
}

let timer = null;
function onKnob(field, input) {
  if (field.type === "yesno") {
    state.values[field.naam] = input.checked;
  } else {
    const scale = field.type === "fraction" ? 100 : 1;
    if (input.value === "" || Number.isNaN(Number(input.value))) return;
    state.values[field.naam] = Number(input.value) / scale;
  }
  if (state.values[field.naam] === field.standaardwaarde) delete state.values[field.naam];
  if (field.naam === state.iface.rollen.disconteringsvoet) renderNorms();
  writeFragment();
  clearTimeout(timer);
  timer = setTimeout(calculate, 120);
}

// ---------------------------------------------------------------- results

function showProblem(problem) {
  document.querySelectorAll("#knobs [aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  document.querySelectorAll("#knobs .error").forEach((el) => (el.textContent = ""));
  for (const p of (problem && problem.invalidParams) || []) {
    const name = p.name.replace(/^invoer\./, "");
    const input = document.getElementById("in-" + name);
    if (!input) continue;
    input.setAttribute("aria-invalid", "true");
    document.getElementById(input.id + "-error").textContent = p.reason;
  }
}

async function calculate() {
  const seq = ++state.seq;
  $("#status").textContent = t("calculating");
  try {
    const result = await json(`/modellen/${state.model}/berekeningen`, {
      method: "POST", body: JSON.stringify({ invoer: state.values }),
    });
    if (seq !== state.seq) return; // a newer calculation is on its way
    state.result = result;
    showProblem(null);
    renderResult();
    $("#status").textContent = t("ready");
    compareVariants();
    loadTimeline();
  } catch (error) {
    if (seq !== state.seq) return;
    showProblem(error.problem);
    $("#status").textContent = error.problem && error.problem.invalidParams ? t("invalid") : t("failed");
  }
}

function outputFields() {
  const byName = new Map(state.iface.uitvoer.map((f) => [f.naam, f]));
  return byName;
}

function valueOf(name) {
  for (const group of Object.values(state.result.uitvoer)) if (name in group) return group[name];
  return undefined;
}

function renderResult() {
  const fields = outputFields();
  const head = $("#kerncijfers");
  head.replaceChildren(...state.iface.rollen.kerncijfers.filter((n) => fields.has(n)).map((n) => {
    const div = document.createElement("div");
    div.className = "kerncijfer";
    div.dataset.output = n;
    div.innerHTML = "<span></span><strong></strong>";
    div.firstChild.textContent = label(fields.get(n));
    div.lastChild.textContent = fmt(valueOf(n), fields.get(n).type);
    return div;
  }));
  renderChart(fields);
  const tables = $("#tables");
  tables.replaceChildren();
  // a group of actor outputs only is shown as the ledger (one row per actor)
  const actorOutputs = new Set(
    state.iface.actoren.flatMap((a) => [a.kosten, a.baten, a.saldo]).filter((n) => n));
  for (const [group, outputs] of Object.entries(state.result.uitvoer)) {
    const names = Object.keys(outputs);
    const ledger = names.length > 0 && names.every((n) => actorOutputs.has(n));
    tables.append(ledger ? ledgerTable(group, outputs) : groupTable(group, outputs, fields));
  }
}

function groupTable(group, outputs, fields) {
  const table = document.createElement("table");
  const caption = table.createCaption();
  caption.textContent = groupName(group);
  const body = table.createTBody();
  for (const [name, value] of Object.entries(outputs)) {
    const row = body.insertRow();
    row.dataset.output = name;
    rowHeading(row, label(fields.get(name)));
    const td = row.insertCell();
    td.textContent = fmt(value, fields.get(name).type);
    td.dataset.value = value === null ? "" : String(value);
  }
  return table;
}

function ledgerTable(group, outputs) {
  const kinds = ["kosten", "baten", "saldo"];
  const table = document.createElement("table");
  table.className = "ledger";
  table.createCaption().textContent = groupName(group);
  headings(table, [t("actor"), t("kosten"), t("baten"), t("saldo")]);
  const body = table.createTBody();
  for (const actor of state.iface.actoren) {
    if (!kinds.some((kind) => actor[kind] in outputs)) continue;
    const row = body.insertRow();
    row.dataset.actor = actor.naam;
    rowHeading(row, label(actor));
    for (const kind of kinds) {
      const cell = row.insertCell();
      const name = actor[kind];
      const value = name ? outputs[name] : undefined;
      cell.textContent = value === undefined ? "" : fmt(value, "euro");
      if (name) cell.dataset.output = name;
    }
  }
  return table;
}

function svgEl(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

const BAR_COLOURS = { baten: "#9bbb59", kosten: "#c0504d", saldo: "#4f81bd" };

function chartBars() {
  // the declared bars: benefit bars, then cost bars, then the saldo
  const roles = state.iface.rollen;
  return [
    ...roles.batenStaven.map((n) => [n, "baten"]),
    ...roles.kostenStaven.map((n) => [n, "kosten"]),
    ...(roles.saldo ? [[roles.saldo, "saldo"]] : []),
  ];
}

function renderChart(fields) {
  const bars = chartBars().filter(([n]) => fields.has(n))
    .map(([n, kind]) => ({ name: n, kind, value: valueOf(n) / 1000 }));
  const box = $("#chart");
  box.replaceChildren();
  if (!bars.length) return;
  const w = 560, h = 280, left = 20, bottom = 50, top = 24;
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value || 0)));
  const svg = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": t("chartCaption") });
  const slot = (w - left) / bars.length;
  const y0 = h - bottom;
  svg.append(svgEl("line", { x1: left, x2: w, y1: y0, y2: y0, stroke: "#333" }));
  bars.forEach((bar, i) => {
    const height = ((Math.abs(bar.value) || 0) / max) * (y0 - top);
    const x = left + i * slot + slot * 0.15;
    const rect = svgEl("rect", {
      x, y: bar.value >= 0 ? y0 - height : y0, width: slot * 0.7, height,
      fill: BAR_COLOURS[bar.kind],
    });
    const title = svgEl("title", {});
    title.textContent = `${label(fields.get(bar.name))}: ${fmt(bar.value * 1000, "euro")}`;
    rect.append(title);
    const value = svgEl("text", { x: x + slot * 0.35, y: y0 - height - 4, "text-anchor": "middle", "font-size": 12 });
    value.textContent = Math.round(bar.value).toLocaleString(state.lang === "nl" ? "nl-NL" : "en-GB");
    const name = svgEl("text", { x: x + slot * 0.35, y: y0 + 14, "text-anchor": "middle", "font-size": 11 });
    // Two lines under each bar, so that neighbouring labels do not overlap.
    const words = label(fields.get(bar.name)).split(" ");
    const half = Math.ceil(words.length / 2);
    [words.slice(0, half).join(" "), words.slice(half).join(" ")].forEach((line, j) => {
      const span = svgEl("tspan", { x: x + slot * 0.35, dy: j ? 13 : 0 });
      span.textContent = line;
      name.append(span);
    });
    svg.append(rect, value, name);
  });
  box.append(svg);
}

// ---------------------------------------------------------------- over the years, per actor

// Models that declare yearly series (`rollen.tijdreeksen`) get the cumulative discounted
// saldo per actor over the years, the payback year and the budget after N years.
async function loadTimeline() {
  const section = $("#tijdreeksen");
  section.hidden = !state.iface.rollen.tijdreeksen;
  if (section.hidden) return;
  const seq = ++state.timelineSeq;
  const years = state.iface.rollen.tijdreeksen.length;
  $("#budget-years").max = String(years);
  state.budgetYears = Math.min(Math.max(1, state.budgetYears), years);
  try {
    const result = await json(`/modellen/${state.model}/tijdreeksen`, {
      method: "POST", body: JSON.stringify({ invoer: state.values, jaren: state.budgetYears }),
    });
    if (seq !== state.timelineSeq) return;
    state.timeline = result;
    renderTimeline();
  } catch (error) {
    if (seq === state.timelineSeq) $("#timeline").replaceChildren();
  }
}

const LINE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

function renderTimeline() {
  const r = state.timeline;
  const box = $("#timeline");
  if (!r) return box.replaceChildren();
  const rows = [{ key: "totaal", name: t("total"), flow: r.totaal, colour: "#222", width: 3 },
    ...r.actoren.map((a, i) => ({
      key: a.actor, name: state.lang === "nl" ? a.labelNl : a.labelEn || a.labelNl, flow: a,
      colour: LINE_COLOURS[i % LINE_COLOURS.length], width: 1.5,
    }))];
  const years = r.jaren;
  const w = 560, h = 260, left = 56, right = 10, top = 10, bottom = 30;
  const all = rows.flatMap((row) => row.flow.cumulatiefSaldo.contant.map((v) => v / 1000));
  const lo = Math.min(0, ...all), hi = Math.max(0, ...all);
  const span = hi - lo || 1;
  const x = (k) => left + (k / Math.max(1, years.length - 1)) * (w - left - right);
  const y = (v) => top + ((hi - v) / span) * (h - top - bottom);
  const svg = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": t("cumulative"), id: "timeline-chart" });
  svg.append(svgEl("line", { x1: left, x2: w - right, y1: y(0), y2: y(0), stroke: "#333" }));
  const locale = state.lang === "nl" ? "nl-NL" : "en-GB";
  for (const v of new Set([lo, 0, hi])) {
    const tick = svgEl("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 11 });
    tick.textContent = Math.round(v).toLocaleString(locale);
    svg.append(tick);
  }
  years.forEach((year, k) => {
    if (k % Math.ceil(years.length / 10) && k !== years.length - 1) return;
    const tick = svgEl("text", { x: x(k), y: h - 10, "text-anchor": "middle", "font-size": 11 });
    tick.textContent = String(year);
    svg.append(tick);
  });
  for (const row of rows) {
    const points = row.flow.cumulatiefSaldo.contant.map((v, k) => `${x(k)},${y(v / 1000)}`).join(" ");
    const line = svgEl("polyline", {
      points, fill: "none", stroke: row.colour, "stroke-width": row.width, "data-actor": row.key,
    });
    const title = svgEl("title", {});
    title.textContent = row.name;
    line.append(title);
    svg.append(line);
  }
  const table = document.createElement("table");
  table.className = "timeline";
  headings(table, ["", t("payback"), t("budgetAfter").replace("{n}", r.begrotingJaren), t("ncw")]);
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.dataset.actor = row.key;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = row.colour;
    rowHeading(tr).append(swatch, document.createTextNode(" " + row.name));
    const payback = tr.insertCell();
    payback.className = "payback";
    payback.dataset.year = row.flow.terugverdienJaar ?? "";
    payback.textContent = row.flow.terugverdienJaar ?? t("notPaidBack");
    const budget = tr.insertCell();
    budget.className = "budget";
    budget.dataset.value = String(row.flow.begroting.saldo);
    budget.textContent = fmt(row.flow.begroting.saldo, "euro");
    tr.insertCell().textContent = fmt(row.flow.saldo.ncw, "euro");
  }
  const caption = document.createElement("p");
  caption.className = "note";
  caption.textContent = t("cumulative");
  box.replaceChildren(svg, caption, table);
}

function onBudgetYears() {
  const n = Number($("#budget-years").value);
  if (!Number.isInteger(n) || n < 1) return;
  state.budgetYears = n;
  loadTimeline();
}

// ---------------------------------------------------------------- tornado, downloads, share

async function runTornado() {
  $("#status").textContent = t("calculating");
  const box = $("#tornado");
  try {
    const result = await json(`/modellen/${state.model}/gevoeligheidsanalyses`, {
      method: "POST", body: JSON.stringify({ invoer: state.values }),
    });
    const table = document.createElement("table");
    table.className = "tornado";
    headings(table, [t("input"), t("low"), t("high"), t("swing")]);
    const body = table.createTBody();
    // One row per knob: the saldo (`gesorteerdOp`) at its low and high value, and the swing.
    const rows = result.resultaten;
    const out = result.gesorteerdOp;
    const maxSwing = Math.max(1, ...rows.map((r) => Math.abs(r.bereik ?? 0)));
    for (const r of rows) {
      const row = body.insertRow();
      rowHeading(row, r.label || r.invoerNaam);
      row.insertCell().textContent = fmt(r.effecten[out].laag, "euro");
      row.insertCell().textContent = fmt(r.effecten[out].hoog, "euro");
      const cell = row.insertCell();
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = `${(100 * Math.abs(r.bereik ?? 0)) / maxSwing}%`;
      cell.append(bar, document.createTextNode(" " + fmt(r.bereik, "euro")));
    }
    box.replaceChildren(table);
    $("#status").textContent = t("ready");
  } catch (error) {
    $("#status").textContent = t("failed");
  }
}

// The optimism-bias correction of the current scenario (`POST .../optimisme-correcties`):
// the saldo and each actor's saldo uncorrected and corrected side by side, then per
// corrected input its grade and factor, and the deflators' steps.
async function runOptimism() {
  $("#status").textContent = t("calculating");
  const box = $("#optimism");
  try {
    const r = await json(`/modellen/${state.model}/optimisme-correcties`, {
      method: "POST", body: JSON.stringify({ invoer: state.values }),
    });
    const table = document.createElement("table");
    table.className = "optimism";
    headings(table, ["", t("uncorrected"), t("corrected"), t("difference")]);
    const body = table.createTBody();
    const pairRow = (key, name, pair) => {
      const row = body.insertRow();
      row.dataset.row = key;
      rowHeading(row, name);
      for (const [cls, value] of [["uncorrected", pair.ongecorrigeerd], ["corrected", pair.gecorrigeerd],
        ["difference", pair.verschil]]) {
        const cell = row.insertCell();
        cell.className = cls;
        cell.dataset.value = String(value);
        cell.textContent = fmt(value, "euro");
      }
    };
    if (r.saldo) pairRow("saldo", t("saldo"), r.saldo);
    for (const a of r.verdeling || []) pairRow(a.actor, `${a.labelNl}: ${t("saldo")}`, a.saldo);
    const list = document.createElement("ul");
    list.className = "corrections";
    for (const c of r.correcties) {
      list.append(element("li", `${c.invoerNaam}: ${t("grade")} ${c.bewijsniveau}, ${t("factor")} ${c.factor.toFixed(4)}`));
    }
    for (const d of r.deflatoren) {
      list.append(element("li", `${d.invoerNaam}: ${d.deflator} ${d.percentage}, ${t("factor")} ${d.factor.toFixed(4)}`));
    }
    const notes = r.meldingen.map((m) => element("p", m, { class: "note" }));
    box.replaceChildren(table, list, ...notes);
    $("#status").textContent = t("ready");
  } catch (error) {
    $("#status").textContent = t("failed");
  }
}

async function download(path, accept, filename, extra) {
  const response = await api(path, {
    method: "POST", body: JSON.stringify({ invoer: state.values, ...extra }), headers: { Accept: accept },
  });
  if (!response.ok) {
    $("#status").textContent = t("failed");
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function share() {
  writeFragment();
  try {
    await navigator.clipboard.writeText(location.href);
  } catch (_) {
    /* the address bar holds the link all the same */
  }
  $("#status").textContent = t("copied");
}

// ---------------------------------------------------------------- discount-rate norms

// The Dutch norms (GET /v1/normen); a model that declares its discount-rate input
// (role discountRate) can be calculated at one: the knob takes the norm's rate.
function renderNorms() {
  const select = $("#norm");
  const rateInput = state.iface && state.iface.rollen.disconteringsvoet;
  select.hidden = !rateInput;
  select.labels.forEach((l) => (l.hidden = !rateInput));
  const field = rateInput && state.iface.invoer.find((f) => f.naam === rateInput);
  const current = !field ? null : rateInput in state.values ? state.values[rateInput] : field.standaardwaarde;
  select.replaceChildren(new Option(t("noNorm"), ""));
  for (const n of state.norms) {
    const option = new Option(state.lang === "nl" ? n.labelNl : n.labelEn, n.id);
    option.title = n.bronnen.map((b) => `${b.titel} (${b.datum})`).join("; ");
    select.append(option);
  }
  const match = state.norms.find((n) => n.disconteringsvoet === current);
  select.value = match ? match.id : "";
}

function onNorm() {
  const rateInput = state.iface.rollen.disconteringsvoet;
  const norm = state.norms.find((n) => n.id === $("#norm").value);
  if (!rateInput || !norm) return;
  state.values[rateInput] = norm.disconteringsvoet;
  renderKnobs();
  writeFragment();
  calculate();
}

// ---------------------------------------------------------------- uncertainty

const UNCERTAINTY_DRAWS = 5000;
const UNCERTAINTY_SEED = 1;

function knobDistributions() {
  // PERT from -20% to +20% around the current value of every bounded numeric knob
  const knobs = knobGroups();
  const out = [];
  for (const f of state.iface.invoer) {
    if (f.type === "yesno" || f.minimum === null || f.maximum === null) continue;
    if (knobs.size && !knobs.has(f.groep)) continue;
    const v = f.naam in state.values ? state.values[f.naam] : f.standaardwaarde;
    const lo = Math.max(f.minimum, v - 0.2 * Math.abs(v));
    const hi = Math.min(f.maximum, v + 0.2 * Math.abs(v));
    if (hi > lo) out.push({ invoerNaam: f.naam, type: "pert", min: lo, modus: v, max: hi });
  }
  return out;
}

function uncertaintyRequest() {
  return {
    invoer: state.values, kansverdelingen: knobDistributions(),
    trekkingen: UNCERTAINTY_DRAWS, seed: UNCERTAINTY_SEED,
  };
}

async function runUncertainty() {
  $("#status").textContent = t("calculating");
  const box = $("#uncertainty");
  try {
    const result = await json(`/modellen/${state.model}/onzekerheidsanalyses`, {
      method: "POST", body: JSON.stringify(uncertaintyRequest()),
    });
    box.replaceChildren();
    const kern = result.kern;
    if (!kern) return;
    const pct = (p) => (p * 100).toLocaleString(state.lang === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 1 }) + "%";
    const chance = document.createElement("p");
    chance.className = "kans";
    chance.dataset.kans = String(kern.kansSaldoPositief);
    chance.textContent = `${t("chance")}: ${pct(kern.kansSaldoPositief)}`;
    const band = document.createElement("p");
    band.className = "band";
    band.textContent = `${t("band")}: ${fmt(kern.band.p5, "euro")} – ${fmt(kern.band.p95, "euro")}`;
    box.append(chance, band, histogram(result.uitvoer[result.saldoUitvoer]));
    if (kern.actoren) {
      const table = document.createElement("table");
      table.className = "kansen";
      headings(table, [t("actor"), t("chance")]);
      const body = table.createTBody();
      for (const a of kern.actoren) {
        const row = body.insertRow();
        row.dataset.actor = a.actor;
        rowHeading(row, state.lang === "nl" ? a.labelNl : a.labelEn || a.labelNl);
        row.insertCell().textContent = a.kansSaldoPositief === null ? "" : pct(a.kansSaldoPositief);
      }
      box.append(table);
    }
    $("#status").textContent = t("ready");
  } catch (error) {
    $("#status").textContent = t("failed");
  }
}

function histogram(stats) {
  const { klassegrenzen: edges, aantallen: counts } = stats.histogram;
  const w = 560, h = 220, left = 10, right = 10, top = 10, bottom = 40;
  const lo = edges[0], hi = edges[edges.length - 1];
  const span = hi - lo || 1;
  const x = (v) => left + ((v - lo) / span) * (w - left - right);
  const max = Math.max(1, ...counts);
  const svg = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": t("histogram"), id: "histogram" });
  const y0 = h - bottom;
  counts.forEach((c, i) => {
    const height = (c / max) * (y0 - top);
    svg.append(svgEl("rect", {
      x: x(edges[i]), y: y0 - height, width: Math.max(0.5, x(edges[i + 1]) - x(edges[i]) - 0.5), height,
      fill: edges[i + 1] <= 0 ? BAR_COLOURS.kosten : BAR_COLOURS.saldo, "data-count": c,
    }));
  });
  svg.append(svgEl("line", { x1: left, x2: w - right, y1: y0, y2: y0, stroke: "#333" }));
  // the zero line, where zero lies within the draws (else at the edge it lies beyond)
  const zero = Math.min(Math.max(0, lo), hi);
  svg.append(svgEl("line", {
    x1: x(zero), x2: x(zero), y1: top, y2: y0 + 6, stroke: "#b00020", "stroke-width": 2,
    "stroke-dasharray": "5 3", id: "zero-line",
  }));
  const zeroText = svgEl("text", { x: x(zero), y: y0 + 20, "text-anchor": "middle", "font-size": 12 });
  zeroText.textContent = lo > 0 ? "← 0" : hi < 0 ? "0 →" : "0"; // zero beyond the draws
  const loText = svgEl("text", { x: left, y: h - 4, "font-size": 11 });
  loText.textContent = fmt(lo, "euro");
  const hiText = svgEl("text", { x: w - right, y: h - 4, "font-size": 11, "text-anchor": "end" });
  hiText.textContent = fmt(hi, "euro");
  svg.append(zeroText, loText, hiText);
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  caption.textContent = t("histogram");
  figure.append(svg, caption);
  return figure;
}

// ---------------------------------------------------------------- compare mode

// A variant name as the API takes it; with the current scenario at most the API's 10 columns.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const MAX_KEPT = 9;

function checkVariants(list) {
  if (!Array.isArray(list) || list.length > MAX_KEPT) throw new Error(t("badVariants"));
  const names = new Set();
  return list.map((v) => {
    if (!v || typeof v.naam !== "string" || !NAME.test(v.naam) || names.has(v.naam)) {
      throw new Error(t("badVariants"));
    }
    names.add(v.naam);
    const invoer = v.invoer && typeof v.invoer === "object" && !Array.isArray(v.invoer) ? v.invoer : {};
    return { naam: v.naam, invoer: Object.assign({}, invoer) };
  });
}

function currentName() {
  let name = t("current");
  for (let i = 2; state.variants.some((v) => v.naam === name); i++) name = `${t("current")}-${i}`;
  return name;
}

function keepVariant() {
  const input = $("#variant-name");
  const name = input.value.trim() || `variant-${state.variants.length + 1}`;
  if (!NAME.test(name) || state.variants.some((v) => v.naam === name) || state.variants.length >= MAX_KEPT) {
    input.setAttribute("aria-invalid", "true");
    return;
  }
  input.removeAttribute("aria-invalid");
  input.value = "";
  state.variants.push({ naam: name, invoer: Object.assign({}, state.values) });
  writeFragment();
  compareVariants();
}

function removeVariant(name) {
  state.variants = state.variants.filter((v) => v.naam !== name);
  writeFragment();
  compareVariants();
}

async function compareVariants() {
  const seq = ++state.compareSeq;
  if (!state.variants.length) {
    state.comparison = null;
    renderComparison();
    return;
  }
  // the kept variants (the first is the reference) and the scenario the knobs show now
  const body = { varianten: [...state.variants, { naam: currentName(), invoer: state.values }] };
  try {
    const result = await json(`/modellen/${state.model}/vergelijkingen`, {
      method: "POST", body: JSON.stringify(body),
    });
    if (seq !== state.compareSeq) return;
    state.comparison = result;
    renderComparison();
  } catch (error) {
    if (seq !== state.compareSeq) return;
    $("#status").textContent = t("failed");
  }
}

function flatten(grouped) {
  return Object.assign({}, ...Object.values(grouped));
}

function compareCell(row, value, diff, type) {
  const td = row.insertCell();
  td.textContent = fmt(value, type);
  td.dataset.value = value === null || value === undefined ? "" : String(value);
  if (typeof diff === "number" && diff !== 0) {
    td.classList.add("verschil");
    td.dataset.diff = String(diff);
    const small = document.createElement("small");
    small.className = diff > 0 ? "up" : "down";
    small.textContent = (diff > 0 ? "+" : "−") + fmt(Math.abs(diff), type).replace(/^€ /, "€ ");
    td.append(small);
  }
  return td;
}

function renderComparison() {
  const box = $("#comparison");
  box.replaceChildren();
  const result = state.comparison;
  if (!result || !state.iface) return;
  const fields = outputFields();
  const variants = result.varianten;
  const table = document.createElement("table");
  table.className = "comparison";
  const headRow = table.createTHead().insertRow();
  headRow.append(document.createElement("th"));
  for (const v of variants) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.variant = v.naam;
    th.textContent = v.naam + (v.referentie ? ` (${t("reference")})` : "");
    if (state.variants.some((k) => k.naam === v.naam)) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = "×";
      remove.title = `${t("remove")} ${v.naam}`;
      remove.setAttribute("aria-label", remove.title);
      remove.addEventListener("click", () => removeVariant(v.naam));
      th.append(remove);
    }
    headRow.append(th);
  }
  const body = table.createTBody();
  const addRow = (key, text) => {
    const row = body.insertRow();
    row.dataset.row = key;
    rowHeading(row, text);
    return row;
  };
  if (result.rangorde) {
    const row = addRow("rang", t("rank"));
    for (const v of variants) row.insertCell().textContent = String(v.rang);
  }
  const values = variants.map((v) => flatten(v.uitvoer));
  const diffs = variants.map((v) => flatten(v.verschillen));
  for (const name of state.iface.rollen.kerncijfers.filter((n) => fields.has(n))) {
    const row = addRow(name, label(fields.get(name)));
    row.dataset.output = name;
    variants.forEach((_, i) => compareCell(row, values[i][name], diffs[i][name], fields.get(name).type));
  }
  for (const [i, actor] of state.iface.actoren.entries()) {
    if (!variants[0].verdeling) break;
    const row = addRow("actor-" + actor.naam, `${label(actor)}: ${t("saldo")}`);
    row.dataset.actor = actor.naam;
    variants.forEach((v) => {
      const a = v.verdeling[i];
      compareCell(row, a.saldo, a.verschillen.saldo, "euro");
    });
  }
  const inputs = new Map(state.iface.invoer.map((f) => [f.naam, f]));
  const row = addRow("invoer", t("changedInputs"));
  for (const v of variants) {
    const td = row.insertCell();
    td.className = "inputs";
    td.textContent = Object.entries(v.afwijkendeInvoer)
      .map(([n, x]) => `${label(inputs.get(n))}: ${fmt(x, inputs.get(n).type)}`).join("; ");
  }
  box.append(table);
}

function saveVariants() {
  // the file is the request body of POST .../vergelijkingen, with the model it belongs to
  const data = JSON.stringify({ modelId: state.model, varianten: state.variants }, null, 2);
  const url = URL.createObjectURL(new Blob([data], { type: "application/json" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `${state.model}-varianten.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function loadVariants(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    const data = JSON.parse(await file.text());
    const variants = checkVariants(data.varianten);
    if (data.modelId && data.modelId !== state.model) {
      $("#model").value = data.modelId;
      await selectModel(data.modelId, {}, variants);
      return;
    }
    state.variants = variants;
    writeFragment();
    compareVariants();
  } catch (error) {
    $("#status").textContent = t("badVariants");
  }
}

// ---------------------------------------------------------------- versions

function element(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// a table's head row: a column heading per text
function headings(table, texts) {
  const row = table.createTHead().insertRow();
  for (const text of texts) row.append(element("th", text, { scope: "col" }));
  return row;
}

// a row heading appended to `row`; returned for content beyond its text
function rowHeading(row, text) {
  const th = element("th", text, { scope: "row" });
  row.append(th);
  return th;
}

// The served versions of the model (`versies` of its interface), each with its change note
// (`GET .../versies/{versie}/wijzigingen`), fetched when the reader opens it.
function renderVersions() {
  const list = $("#version-list");
  const versions = (state.iface && state.iface.versies) || [];
  list.replaceChildren();
  for (const v of [...versions].reverse()) {
    const details = element("details", null, { "data-version": v.versie });
    const summary = element("summary");
    summary.append(element("strong", `${t("version")} ${v.versie}`));
    const facts = [`${t("date")}: ${v.datum || t("noDate")}`, `${t("workbook")}: ${v.werkboekSha256.slice(0, 12)}…`];
    if (v.huidig) facts.unshift(t("currentVersion"));
    facts.push(v.vorigeVersie ? `${v.aantalWijzigingen} ${t("changes")}` : t("firstVersion"));
    summary.append(` (${facts.join("; ")})`);
    details.append(summary);
    if (v.vorigeVersie) {
      details.addEventListener("toggle", () => {
        if (details.open && !details.dataset.loaded) loadChanges(details, v);
      });
    }
    list.append(details);
  }
}

async function loadChanges(details, version) {
  details.dataset.loaded = "1";
  const path = `/modellen/${state.model}/versies/${encodeURIComponent(version.versie)}/wijzigingen`;
  const note = await json(path);
  const table = element("table", null, { class: "changes" });
  table.append(element("caption", `${t("changesSince")} ${note.vorigeVersie}`));
  headings(table, [t("cell"), t("before"), t("after")]);
  const body = element("tbody");
  for (const change of note.wijzigingen) {
    const row = element("tr", null, { "data-cell": change.cel });
    row.append(element("td", change.cel), element("td", change.oud ?? "—"), element("td", change.nieuw ?? "—"));
    body.append(row);
  }
  table.append(body);
  details.append(table);
}

// ---------------------------------------------------------------- start

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = t(el.dataset.i18n)));
  $("#lang").textContent = t("lang");
  $("#lang").setAttribute("aria-pressed", String(state.lang === "en"));
  if (state.iface) {
    showTitle();
    renderVersions();
    renderKnobs();
    renderNorms();
    if (state.result) renderResult();
    if (state.comparison) renderComparison();
    if (state.timeline) renderTimeline();
  }
}

function showTitle() {
  $("#title").textContent = state.lang === "nl" ? state.iface.titel : state.iface.titelEn;
  $("#download-svg").hidden = chartBars().length === 0; // a model without bars has no chart
}

async function selectModel(id, values, variants) {
  state.model = id;
  state.values = values || {};
  state.variants = variants || [];
  state.comparison = null;
  state.timeline = null;
  renderComparison();
  $("#uncertainty").replaceChildren();
  $("#optimism").replaceChildren();
  state.iface = await json(`/modellen/${id}`);
  showTitle();
  renderVersions();
  renderKnobs();
  renderNorms();
  writeFragment();
  await calculate();
}

async function start() {
  const fragment = readFragment();
  if (fragment.lang === "en") state.lang = "en";
  applyLanguage();
  state.models = (await json("/modellen")).modellen;
  state.norms = (await json("/normen")).normen;
  $("#norm").addEventListener("change", onNorm);
  const select = $("#model");
  for (const m of state.models) select.append(new Option(m.titel, m.id));
  // the model in the link, else the one that declares cockpitDefault, else the first
  const fallback = state.models.find((m) => m.cockpitStandaard) || state.models[0];
  const initial = state.models.some((m) => m.id === fragment.model) ? fragment.model : fallback.id;
  select.value = initial;
  select.addEventListener("change", () => selectModel(select.value, {}));
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "nl" ? "en" : "nl";
    writeFragment();
    applyLanguage();
  });
  $("#reset").addEventListener("click", () => selectModel(state.model, {}, state.variants));
  $("#share").addEventListener("click", share);
  $("#run-tornado").addEventListener("click", runTornado);
  $("#run-uncertainty").addEventListener("click", runUncertainty);
  $("#run-optimism").addEventListener("click", runOptimism);
  $("#budget-years").addEventListener("change", onBudgetYears);
  $("#download-xlsx").addEventListener("click", () =>
    download(`/modellen/${state.model}/berekeningen`, XLSX, `${state.model}.xlsx`));
  $("#download-svg").addEventListener("click", () =>
    download(`/modellen/${state.model}/grafieken/kosten-baten`, "image/svg+xml", `${state.model}-kosten-baten.svg`));
  // the council report of the current scenario, in the cockpit's language
  $("#download-report").addEventListener("click", () =>
    download(`/modellen/${state.model}/rapporten`, "application/pdf", `${state.model}-rapport.pdf`,
      { taal: state.lang }));
  $("#keep-variant").addEventListener("click", keepVariant);
  $("#save-variants").addEventListener("click", saveVariants);
  $("#load-variants").addEventListener("change", loadVariants);
  $("#clear-variants").addEventListener("click", () => {
    state.variants = [];
    writeFragment();
    compareVariants();
  });
  await selectModel(initial, fragment.values, fragment.model === initial ? fragment.variants : []);
}

start().catch(() => ($("#status").textContent = t("failed")));
