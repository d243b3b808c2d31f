// The search page: plain JavaScript over the sample's JSON API (/api/search, /api/ask, /api/status).
"use strict";

const $ = (id) => document.getElementById(id);

// Posts JSON; resolves to the parsed answer, or throws the problem detail of an error answer.
async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept": "application/json, application/problem+json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw { status: response.status, ...answer };
  }
  return answer;
}

// A number field's value, or null when empty (the server applies its default).
function numberOrNull(input) {
  return input.value.trim() === "" ? null : Number(input.value);
}

// The part-of-speech select and the filter box, combined into one Spring AI filter expression.
function filterExpression() {
  const pos = $("pos").value ? `pos == '${$("pos").value}'` : null;
  const filter = $("filter").value.trim() || null;
  return pos && filter ? `${pos} && (${filter})` : pos || filter;
}

function showProblem(problem) {
  const message = $("message");
  message.textContent = problem.detail || problem.title || `The server answered ${problem.status || "with an error"}`;
  message.hidden = false;
  // Point at the input the server named (filter errors also come from the part-of-speech select).
  const field = problem.field && $(problem.field);
  if (field) field.classList.add("invalid");
}

function clearMessages() {
  $("message").hidden = true;
  document.querySelectorAll(".invalid").forEach((input) => input.classList.remove("invalid"));
}

function chip(text) {
  const span = document.createElement("span");
  span.className = "chip";
  span.textContent = text;
  return span;
}

function renderHit(hit) {
  const item = document.createElement("li");
  item.className = "result";
  item.dataset.id = hit.id;
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = hit.text;
  const score = document.createElement("span");
  score.className = "score";
  score.textContent = hit.score.toFixed(3);
  score.title = "cosine similarity to the query";
  item.append(text, score, chip(`id ${hit.id}`));
  for (const [key, value] of Object.entries(hit.metadata)) item.append(chip(`${key}: ${value}`));
  return item;
}

async function search(event) {
  event.preventDefault();
  clearMessages();
  const results = $("results");
  try {
    const answer = await postJson("/api/search", {
      query: $("query").value,
      topK: numberOrNull($("topK")),
      threshold: numberOrNull($("threshold")),
      filter: filterExpression(),
    });
    results.replaceChildren(...answer.results.map(renderHit));
    $("summary").textContent = answer.results.length === 0
      ? "No document matches: loosen the filter or lower the minimum score."
      : `${answer.results.length} results in ${answer.tookMs.toFixed(1)} ms`;
    $("summary").hidden = false;
  } catch (problem) {
    results.replaceChildren();
    $("summary").hidden = true;
    showProblem(problem);
  }
}

async function ask(event) {
  event.preventDefault();
  clearMessages();
  try {
    const answer = await postJson("/api/ask", { question: $("question").value, filter: filterExpression() });
    $("answer").textContent = answer.answer;
    $("answer").hidden = false;
    $("results").replaceChildren(...answer.documents.map(renderHit));
    $("summary").textContent = `The chat model was given these ${answer.documents.length} documents:`;
    $("summary").hidden = false;
  } catch (problem) {
    showProblem(problem);
  }
}

async function refreshStatus() {
  try {
    const status = await (await fetch("/api/status")).json();
    $("status-documents").textContent = status.documents.toLocaleString("en");
    $("status-index").textContent = `${status.dimensions} dimensions, ${status.metric.toLowerCase()}`;
    $("status-storage").textContent = status.storage
      ? `stored in ${status.storage} (${(status.storeBytes / 1048576).toFixed(1)} MB)` : "in memory";
    const corpus = status.corpus;
    $("status-corpus").textContent = corpus.done ? "ready"
      : `ingesting ${corpus.embedded} of ${corpus.toEmbed}`;
    $("ask").hidden = !status.ask;
    $("ask-off").hidden = status.ask;
    setTimeout(refreshStatus, corpus.done ? 10000 : 1000);
  } catch (error) {
    $("status-documents").textContent = "?";
    setTimeout(refreshStatus, 5000);
  }
  // Actuator answers 503 with a body when the application is down.
  const health = await fetch("/actuator/health").then((r) => r.json()).catch(() => ({ status: "UNREACHABLE" }));
  $("status-health").textContent = health.status;
  $("status-health").className = `health ${health.status === "UP" ? "up" : "down"}`;
}

$("search-form").addEventListener("submit", search);
$("ask-form").addEventListener("submit", ask);
refreshStatus();
