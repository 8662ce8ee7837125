// The page: one view per #fragment (#/, #/artwork/ID, #/artist/ID, #/movements,
// #/movement/ID, #/predict, #/review, #/identity), each drawn from the JSON API. A later feature adds its
// view to VIEWS and its badges to cardBadges().
"use strict";

const view = document.getElementById("view");
const PAGE = 24;

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// A number from the API as text: anything else (a string where a number belongs) shows as
// nothing, so a value can never become markup.
function num(value) {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({ error: { code: "bad_response", message: `HTTP ${response.status}` } }));
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showError(error, where = view) {
  where.innerHTML = `<div class="error" data-testid="error">${escapeHtml(error.message)}</div>`;
}

const artworkHref = (id) => `#/artwork/${encodeURIComponent(id)}`;
const artistHref = (id) => `#/artist/${encodeURIComponent(id)}`;
const movementHref = (id) => `#/movement/${encodeURIComponent(id)}`;

// A card's prediction badges: the mean P(AI-generated) of its current detector predictions
// ("AI 0.93"), and the movement a movement model predicts ("≈ Baroque 0.71"), or "uncertain"
// when its top score is under the threshold the model chose on validation artists.
function predictionBadges(predictions) {
  const all = (predictions || []).filter((p) => p.task === "detector" && p.p_ai != null);
  // The default detector (the ensemble) speaks for all when it is there.
  const preferred = all.filter((p) => p.model === "detector");
  const detectors = preferred.length ? preferred : all;
  const badges = [];
  if (detectors.length) {
    const pAi = detectors.reduce((sum, p) => sum + p.p_ai, 0) / detectors.length;
    const source = preferred.length ? "the default detector" : `the mean of ${detectors.length} detector(s)`;
    badges.push(`<span class="badge ${pAi >= 0.5 ? "ai" : "human"}" data-testid="badge-ai" title="P(AI-generated), ${source}">AI ${pAi.toFixed(2)}</span>`);
  }
  for (const p of (predictions || []).filter((x) => x.task === "movement")) {
    const shown = p.uncertain ? "uncertain" : `≈ ${escapeHtml(p.label)} ${p.score.toFixed(2)}`;
    const why = p.uncertain ? `; its best guess, ${escapeHtml(p.label)} ${p.score.toFixed(2)}, is below its confidence threshold` : "";
    badges.push(`<span class="badge predicted" data-testid="badge-movement" title="movement predicted by ${escapeHtml(p.model)}${why}">${shown}</span>`);
  }
  return badges.join("");
}

function cardBadges(item) {
  const movements = (item.movements || []).map((m) => {
    const name = typeof m === "string" ? m : m.name;
    return `<span class="badge">${escapeHtml(name)}</span>`;
  }).join("");
  return movements + predictionBadges(item.predictions);
}

function card(item) {
  const artists = (item.artists || []).map((a) => (typeof a === "string" ? a : a.name)).filter(Boolean).join(", ");
  const thumb = item.thumbnail_url
    ? `<img loading="lazy" src="${escapeHtml(item.thumbnail_url)}" alt="${escapeHtml(item.title)}">`
    : `<span class="none">no image</span>`;
  const score = item.similarity !== undefined ? `<span class="score">similarity ${item.similarity.toFixed(3)}</span>` : "";
  const year = item.year ? ` · ${num(item.year)}` : "";
  return `<a class="card" data-testid="card" href="${artworkHref(item.id)}">
    <div class="thumb">${thumb}</div>
    <div class="body"><span class="title">${escapeHtml(item.title || item.id)}</span>
      <span class="meta">${escapeHtml(artists)}${year}</span>${score}
      <div class="badges">${cardBadges(item)}</div></div></a>`;
}

function grid(items, emptyText) {
  return items.length ? `<div class="grid">${items.map(card).join("")}</div>` : `<p class="empty">${emptyText}</p>`;
}

function links(items, href) {
  if (!items || !items.length) return `<span class="empty">none recorded</span>`;
  return `<span class="linklist">${items.map((x) => `<a href="${href(x.id)}">${escapeHtml(x.name || x.id)}</a>`).join("")}</span>`;
}

// ---- browse and search -------------------------------------------------------------------
let movementOptions = null;
let registry = null;

async function models() {
  if (!registry) registry = (await api("/api/models")).items.filter((m) => m.current);
  return registry;
}

async function predictedSelect(selected) {
  const movements = [...new Set((await models()).filter((m) => m.task === "movement").flatMap((m) => m.classes || []))].sort();
  const options = [["", "any prediction"], ["ai", "predicted AI-generated"], ["human", "predicted made by a person"],
    ...movements.map((name) => [name, `predicted ${name.replace(/_/g, " ")}`])];
  return `<select name="predicted" aria-label="predicted" data-testid="predicted">${options
    .map(([value, text]) => `<option value="${escapeHtml(value)}"${value === selected ? " selected" : ""}>${escapeHtml(text)}</option>`).join("")}</select>`;
}

async function movementSelect(selected) {
  if (!movementOptions) movementOptions = (await api("/api/movements")).items.filter((m) => m.artwork_count > 0);
  return `<select name="movement" aria-label="movement"><option value="">any movement</option>${movementOptions
    .map((m) => `<option value="${escapeHtml(m.id)}"${m.id === selected ? " selected" : ""}>${escapeHtml(m.name)} (${num(m.artwork_count)})</option>`).join("")}</select>`;
}

async function browseView(query) {
  const state = {
    q: query.get("q") || "", movement: query.get("movement") || "",
    year_from: query.get("year_from") || "", year_to: query.get("year_to") || "",
    has_image: query.get("has_image") ?? "true", artist: query.get("artist") || "",
    predicted: query.get("predicted") || "",
  };
  view.innerHTML = `<h1>Browse the collection</h1>
    <form class="search" data-testid="search-form">
      <input type="hidden" name="artist" value="${escapeHtml(state.artist)}">
      <input type="search" name="q" placeholder="Search titles and artists — e.g. water lilies, Monet, Hokusai" value="${escapeHtml(state.q)}" aria-label="search">
      <button type="submit">Search</button>
      <div class="filters" style="grid-column: 1 / -1">
        ${await movementSelect(state.movement)}
        ${await predictedSelect(state.predicted)}
        <label>from <input type="number" name="year_from" value="${escapeHtml(state.year_from)}" placeholder="year"></label>
        <label>to <input type="number" name="year_to" value="${escapeHtml(state.year_to)}" placeholder="year"></label>
        <label><input type="checkbox" name="has_image" ${state.has_image === "true" ? "checked" : ""}> with an image</label>
      </div>
    </form>
    <div class="summary" id="summary"></div><div id="results"></div>
    <p style="text-align:center"><button class="secondary" id="more" hidden>Show more</button></p>`;
  const form = view.querySelector("form");
  const submit = () => {
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const key of ["q", "movement", "artist", "year_from", "year_to", "predicted"]) if (data.get(key)) next.set(key, data.get(key));
    next.set("has_image", data.get("has_image") ? "true" : "false");
    location.hash = `#/?${next}`;
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  form.querySelectorAll("select, input[type=checkbox]").forEach((el) => el.addEventListener("change", submit));

  const params = new URLSearchParams({ limit: PAGE });
  for (const [key, value] of Object.entries(state)) if (value && !(key === "has_image" && value === "false")) params.set(key, value);
  const results = view.querySelector("#results");
  const more = view.querySelector("#more");
  let shown = [];
  const load = async (offset) => {
    params.set("offset", offset);
    try {
      const page = await api(`/api/artworks?${params}`);
      shown = shown.concat(page.items);
      results.innerHTML = grid(shown, "Nothing matches. Try fewer words or another movement.");
      view.querySelector("#summary").textContent = `${shown.length}${page.next_offset !== null ? "+" : ""} artworks${state.q ? ` for “${state.q}”` : ""}`;
      more.hidden = page.next_offset === null;
      more.onclick = () => load(page.next_offset);
    } catch (error) { showError(error, results); }
  };
  await load(0);
}

// ---- one artwork ---------------------------------------------------------------------------
const when = (ms) => (ms ? new Date(ms).toLocaleString() : "");
const saying = (p) => (p.task === "detector" ? (p.label === "ai" ? "AI-generated" : "made by a person") : p.label.replace(/_/g, " "));

function predictionsTable(predictions) {
  if (!predictions.length) return `<p class="empty">No model has scored this image yet (graphkit predict).</p>`;
  return `<table class="predictions" data-testid="predictions"><tr><th>model</th><th>says</th><th>score</th><th>margin</th><th>when</th></tr>
    ${predictions.map((p) => `<tr><td>${escapeHtml(p.model)} v${num(p.version)}</td><td>${escapeHtml(saying(p))}</td>
      <td>${p.score.toFixed(3)}</td><td>${p.margin.toFixed(3)}</td><td>${escapeHtml(when(p.created_at))}</td></tr>`).join("")}</table>`;
}

function reviewsList(reviews) {
  if (!reviews.length) return `<p class="empty">No one has reviewed it yet.</p>`;
  return `<ul class="reviews" data-testid="reviews">${reviews.map((r) => `<li><strong>${escapeHtml(r.label)}</strong>
    by ${escapeHtml(r.by || "someone")}, ${escapeHtml(when(r.created_at))}${r.note ? ` — “${escapeHtml(r.note)}”` : ""}</li>`).join("")}</ul>`;
}

async function artworkView(id) {
  const artwork = await api(`/api/artworks/${encodeURIComponent(id)}`);
  const image = artwork.image_url
    ? `<img src="${escapeHtml(artwork.image_url)}" alt="${escapeHtml(artwork.title)}" data-testid="artwork-image">`
    : `<p class="empty">No image of this work.</p>`;
  const years = artwork.date_text || artwork.year || "";
  view.innerHTML = `<div class="detail">
      <div class="image">${image}</div>
      <div><h1 data-testid="artwork-title">${escapeHtml(artwork.title || artwork.id)}</h1>
        <dl class="facts">
          <dt>by</dt><dd>${links(artwork.artists, artistHref)}</dd>
          ${years ? `<dt>date</dt><dd>${escapeHtml(years)}</dd>` : ""}
          ${artwork.medium ? `<dt>medium</dt><dd>${escapeHtml(artwork.medium)}</dd>` : ""}
          <dt>movements</dt><dd>${links(artwork.movements, movementHref)}</dd>
          <dt>sources</dt><dd>${escapeHtml((artwork.sources || []).join(", "))}</dd>
        </dl>
        <h2>What the models say</h2>${predictionsTable(artwork.predictions)}
        ${artwork.reviews.length ? `<h2>Reviews</h2>${reviewsList(artwork.reviews)}` : ""}
        <h2>The artist in the graph</h2><div id="neighbourhood"><p class="spinner">drawing…</p></div>
      </div></div>
    <h2>Similar artworks</h2><div id="similar" data-testid="similar"><p class="spinner">looking…</p></div>
    ${artwork.recommends.length ? `<h2>Recommended with it</h2>${grid(artwork.recommends, "")}` : ""}`;
  const first = artwork.artists[0];
  const neighbourhood = view.querySelector("#neighbourhood");
  if (first) {
    api(`/api/artists/${encodeURIComponent(first.id)}`)
      .then((artist) => { neighbourhood.replaceChildren(drawNeighbourhood(artist)); })
      .catch((error) => showError(error, neighbourhood));
  } else {
    neighbourhood.innerHTML = `<p class="empty">No artist recorded.</p>`;
  }
  const similar = view.querySelector("#similar");
  try {
    const found = await api(`/api/artworks/${encodeURIComponent(id)}/similar?k=12`);
    similar.innerHTML = found.embedded
      ? grid(found.items, "No neighbours found.")
      : `<p class="empty">This artwork has no image embedding yet (graphkit embed).</p>`;
  } catch (error) { showError(error, similar); }
}

// ---- one artist ----------------------------------------------------------------------------
async function artistView(id) {
  const artist = await api(`/api/artists/${encodeURIComponent(id)}`);
  const life = [artist.birth_year, artist.death_year].map((y) => num(y) || "?").join("–");
  view.innerHTML = `<h1 data-testid="artist-name">${escapeHtml(artist.name)}</h1>
    <p class="summary">${escapeHtml(life)} · ${num(artist.work_count)} work${artist.work_count === 1 ? "" : "s"} in the graph${artist.pagerank ? ` · PageRank ${artist.pagerank.toFixed(4)}` : ""}</p>
    <div class="detail"><div id="neighbourhood"></div>
      <dl class="facts">
        <dt>movements</dt><dd>${links(artist.movements, movementHref)}</dd>
        <dt>teachers</dt><dd>${links(artist.teachers, artistHref)}</dd>
        <dt>students</dt><dd>${links(artist.students, artistHref)}</dd>
        <dt>born in</dt><dd>${escapeHtml(artist.born_in.map((p) => p.name).join(", ") || "—")}</dd>
        <dt>died in</dt><dd>${escapeHtml(artist.died_in.map((p) => p.name).join(", ") || "—")}</dd>
        <dt>academies</dt><dd>${escapeHtml(artist.academies.map((p) => p.name).join(", ") || "—")}</dd>
        <dt>sources</dt><dd>${escapeHtml((artist.sources || []).join(", "))}</dd>
      </dl></div>
    <h2>Works</h2>${grid(artist.works, "No works recorded.")}
    ${artist.work_count > artist.works.length ? `<p><a href="#/?artist=${encodeURIComponent(artist.id)}">all ${num(artist.work_count)} works</a></p>` : ""}
    ${artist.generated.length ? `<h2>Generated “in the style of” ${escapeHtml(artist.name)}</h2>
      <div class="grid">${artist.generated.map((g) => `<div class="card"><div class="thumb"><img loading="lazy" src="${escapeHtml(g.thumbnail_url)}" alt="generated tile ${num(g.tile)}"></div><div class="body"><span class="badge ai">AI-generated</span></div></div>`).join("")}</div>` : ""}`;
  view.querySelector("#neighbourhood").replaceChildren(drawNeighbourhood(artist));
}

// ---- movements -----------------------------------------------------------------------------
async function movementsView() {
  const { items } = await api("/api/movements");
  const sorted = items.filter((m) => m.artwork_count || m.artist_count).sort((a, b) => (b.artwork_count + b.artist_count) - (a.artwork_count + a.artist_count));
  view.innerHTML = `<h1>Movements</h1><div class="grid">${sorted.map((m) => `<a class="card" href="${movementHref(m.id)}">
      <div class="body"><span class="title">${escapeHtml(m.name)}</span>
      <span class="meta">${num(m.artist_count)} artists · ${num(m.artwork_count)} artworks${m.era ? ` · ${escapeHtml(m.era)}` : ""}</span></div></a>`).join("")}</div>`;
}

async function movementView(id) {
  const movement = await api(`/api/movements/${encodeURIComponent(id)}`);
  const works = await api(`/api/artworks?movement=${encodeURIComponent(id)}&has_image=true&limit=${PAGE}`);
  view.innerHTML = `<h1 data-testid="movement-name">${escapeHtml(movement.name)}</h1>
    <p class="summary">${num(movement.artist_count)} member artists${movement.era ? ` · ${escapeHtml(movement.era)}` : ""}</p>
    ${movement.description ? `<p style="max-width:60em">${escapeHtml(movement.description)}</p>` : ""}
    <dl class="facts"><dt>leading artists</dt><dd>${links(movement.artists.slice(0, 12), artistHref)}</dd>
      <dt>shares artists with</dt><dd>${links(movement.related, movementHref)}</dd></dl>
    <h2>Works in this style</h2>${grid(works.items, "No images of works in this style.")}
    ${works.next_offset !== null ? `<p><a href="#/?movement=${encodeURIComponent(id)}">more</a></p>` : ""}`;
}

// ---- is it AI? -----------------------------------------------------------------------------
function bar(label, value, kind = "") {
  const percent = Math.round(value * 1000) / 10;
  return `<div class="bar ${kind}"><span>${escapeHtml(label)}</span><span class="track"><span class="fill" style="width:${percent}%; display:block"></span></span><span class="value">${percent}%</span></div>`;
}

function predictView() {
  view.innerHTML = `<h1>Is it AI-generated? Which movement?</h1>
    <label class="drop" id="drop" data-testid="drop"><input type="file" id="file" accept="image/*" hidden data-testid="file">
      <strong>Drop an image here</strong> or click to choose one<br><small>JPEG, PNG, WebP… scored by every trained detector and the movement classifier</small></label>
    <p class="filters"><label><input type="checkbox" id="explain" checked> show the heat map (Grad-CAM)</label></p>
    <div id="prediction"></div>`;
  const drop = view.querySelector("#drop");
  const input = view.querySelector("#file");
  const send = async (file) => {
    const out = view.querySelector("#prediction");
    if (!file) return;
    out.innerHTML = `<p class="spinner">scoring ${escapeHtml(file.name)}…</p>`;
    const form = new FormData();
    form.append("image", file);
    const explain = view.querySelector("#explain").checked;
    try {
      const result = await api(`/api/predict${explain ? "?explain=true" : ""}`, { method: "POST", body: form });
      const preview = result.explanation ? result.explanation.overlay : URL.createObjectURL(file);
      const verdict = result.p_ai >= 0.5 ? "Probably AI-generated" : "Probably made by a person";
      out.innerHTML = `<div class="result" data-testid="prediction">
        <div><img src="${preview}" alt="the uploaded image${result.explanation ? " with its heat map" : ""}" data-testid="prediction-image">
          ${result.explanation ? `<p class="summary">Heat map: where the model looked for “${escapeHtml(result.explanation.movement)}”.</p>` : ""}</div>
        <div><p class="verdict" data-testid="verdict">${verdict}</p>
          <h3>AI-generated probability</h3>${result.detectors.map((d) => bar(d.detector, d.p_ai, "ai")).join("")}
          <h3>Movement, top ${result.movements.length}</h3>${result.movement_uncertain ? '<p class="summary" data-testid="movement-uncertain">uncertain: no movement is likely enough to name</p>' : ""}${result.movements.map((m) => bar(m.movement, m.probability)).join("")}
          <p class="summary">${escapeHtml(result.file)} · ${result.width}×${result.height} px</p></div></div>`;
    } catch (error) { showError(error, out); }
  };
  input.addEventListener("change", () => send(input.files[0]));
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); send(event.dataTransfer.files[0]); });
}

// ---- the review queue (curators, signed in with the API token) ----------------------------
const TOKEN_KEY = "graphkit-token";
const REVIEWER_KEY = "graphkit-reviewer";
const QUEUE = 20;

function signInForm() {
  return `<form class="signin" data-testid="signin">
      <input type="password" name="token" placeholder="API token (GRAPHKIT_API_TOKEN)" aria-label="token" required autocomplete="off">
      <input type="text" name="by" placeholder="your name (optional)" aria-label="your name">
      <button type="submit">Sign in</button></form>
    <p class="summary">Reviews are writes: the server asks for its token. It is kept in this tab only (sessionStorage).</p>`;
}

function decideControls(item, classes) {
  const label = (c) => (item.task === "detector" ? (c === "ai" ? "AI-generated" : "made by a person") : c.replace(/_/g, " "));
  const choices = classes.length <= 3
    ? classes.map((c) => `<button type="button" data-testid="decide" data-label="${escapeHtml(c)}">${escapeHtml(label(c))}</button>`).join("")
    : `<select name="label" aria-label="movement">${classes.map((c) => `<option value="${escapeHtml(c)}"${c === item.label ? " selected" : ""}>${escapeHtml(label(c))}</option>`).join("")}</select>
       <button type="button" data-testid="decide">Record</button>`;
  return `<div class="decide">${choices}<input type="text" name="note" placeholder="note (optional)" aria-label="note" maxlength="2000"></div>`;
}

function queueItem(item, classes) {
  const image = item.thumbnail_url ? `<img src="${escapeHtml(item.thumbnail_url)}" alt="${escapeHtml(item.title)}" loading="lazy">` : `<span class="none">no image</span>`;
  const title = escapeHtml(item.title || item.node_id);
  const known = item.known_movements ? `<p class="summary">The record says: ${escapeHtml(item.known_movements.join(", "))}${item.artist ? ` (${escapeHtml(item.artist.name || item.artist.id)})` : ""}</p>` : "";
  return `<div class="queue-item" data-testid="queue-item" data-node="${escapeHtml(item.node_id)}" data-task="${escapeHtml(item.task)}">
      ${item.kind === "Artwork" ? `<a href="${artworkHref(item.node_id)}">${image}</a>` : image}
      <div><h3 data-testid="queue-title">${item.kind === "Artwork" ? `<a href="${artworkHref(item.node_id)}">${title}</a>` : title}</h3>
        <p class="summary">${escapeHtml(item.kind === "GeneratedImage" ? "a generated image" : "an artwork")} · ${escapeHtml(item.node_id)}</p>
        <p><strong>${escapeHtml(item.model)} v${item.version}</strong> says <strong>${escapeHtml(saying(item))}</strong>
          (score ${item.score.toFixed(3)}, margin ${item.margin.toFixed(3)})</p>
        ${known}
        <div class="badges">${(item.predictions || []).map((p) => `<span class="badge ${p.task === "detector" ? (p.label === "ai" ? "ai" : "human") : "predicted"}">${escapeHtml(p.model)}: ${escapeHtml(saying(p))} ${p.score.toFixed(2)}</span>`).join("")}</div>
        ${decideControls(item, classes)}</div></div>`;
}

// A curator's pages: the sign-in form until there is a token; then TITLE and who is signed in.
// True when signed in (the caller draws the rest below).
function curatorPage(title) {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    view.innerHTML = `<h1>${title}</h1>${signInForm()}`;
    view.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      sessionStorage.setItem(TOKEN_KEY, data.get("token").trim());
      sessionStorage.setItem(REVIEWER_KEY, data.get("by").trim());
      route();
    });
    return false;
  }
  const reviewer = sessionStorage.getItem(REVIEWER_KEY) || "";
  view.innerHTML = `<h1>${title}</h1>
    <p class="signin" data-testid="signed-in">Signed in${reviewer ? ` as ${escapeHtml(reviewer)}` : ""}. <button type="button" class="secondary" id="signout">Sign out</button></p>`;
  view.querySelector("#signout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); route(); });
  return true;
}

const authorised = () => ({ "Content-Type": "application/json", Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` });

async function reviewView(query) {
  const list = query.get("list") === "disagreements" ? "disagreements" : "uncertain";
  if (!curatorPage("Review queue")) return;
  const reviewer = sessionStorage.getItem(REVIEWER_KEY) || "";
  view.insertAdjacentHTML("beforeend", `
    <p class="filters"><a href="#/review"${list === "uncertain" ? ' class="badge"' : ""}>most uncertain</a>
      <a href="#/review?list=disagreements"${list === "disagreements" ? ' class="badge"' : ""}>movement against the record</a></p>
    <div id="notice"></div><div class="queue" id="queue" data-testid="queue"><p class="spinner">loading…</p></div>`);
  const url = list === "disagreements"
    ? `/api/predictions?disagreement=true&unreviewed=true&limit=${QUEUE}`
    : `/api/reviews/queue?limit=${QUEUE}`;
  const [{ items }, known] = await Promise.all([api(url), models()]);
  const classes = Object.fromEntries(known.map((m) => [m.name, m.classes || []]));
  const queue = view.querySelector("#queue");
  const notice = view.querySelector("#notice");
  const showQueue = () => {
    if (!queue.querySelector("[data-testid=queue-item]")) queue.innerHTML = `<p class="empty" data-testid="queue-empty">Nothing left to review here.</p>`;
  };
  queue.innerHTML = items.map((item) => queueItem(item, classes[item.model] || [])).join("");
  showQueue();
  queue.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-testid=decide]");
    if (!button) return;
    const element = button.closest("[data-testid=queue-item]");
    const label = button.dataset.label || element.querySelector("select[name=label]").value;
    const note = element.querySelector("input[name=note]").value.trim();
    element.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const recorded = await api("/api/reviews", {
        method: "POST",
        headers: authorised(),
        body: JSON.stringify({ node_id: element.dataset.node, label, ...(note ? { note } : {}), ...(reviewer ? { by: reviewer } : {}) }),
      });
      // Reviewed: every queued prediction of that image and task leaves the queue.
      queue.querySelectorAll("[data-testid=queue-item]").forEach((other) => {
        if (other.dataset.node === element.dataset.node && other.dataset.task === element.dataset.task) other.remove();
      });
      const verdicts = recorded.verdicts.map((v) => `${v.verdict} ${v.model}`).join(", ");
      notice.innerHTML = `<div class="notice" data-testid="notice">Recorded “${escapeHtml(label)}” for ${escapeHtml(element.querySelector("[data-testid=queue-title]").innerText)}: ${escapeHtml(verdicts)}.</div>`;
      showQueue();
    } catch (error) {
      if (error.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      showError(error, notice);
      element.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  });
}

// ---- identity review: are two Artist nodes one person? ------------------------------------
const PAIRS = 20;

function years(birth, death) {
  if (!birth && !death) return "years unknown";
  return `${birth ? num(birth) : "?"}–${death ? num(death) : "?"}`;
}

function personSide(item, side) {
  const get = (key) => item[`${side}_${key}`];
  const shown = (get("shown") || []).map((w) => `<a href="${artworkHref(w.id)}" title="${escapeHtml(w.title || w.id)}">
      <img loading="lazy" src="${escapeHtml(w.thumbnail_url)}" alt="${escapeHtml(w.title || w.id)}"></a>`).join("");
  const born = (get("born_in") || []).length ? `born in ${escapeHtml(get("born_in").join(", "))}` : "no birth place recorded";
  return `<div class="person" data-testid="person">
      <h3><a href="${artistHref(item[side])}">${escapeHtml(get("name") || item[side])}</a></h3>
      <p class="meta">${escapeHtml(years(get("birth"), get("death")))} · ${born}</p>
      <p class="meta">${num(get("works"))} work${get("works") === 1 ? "" : "s"} · from ${escapeHtml((get("sources") || []).join(", ") || "no source")}</p>
      <p class="summary">${escapeHtml(item[side])}</p>
      <div class="thumbs" data-testid="person-works">${shown || `<span class="none">no work with an image</span>`}</div></div>`;
}

function pairItem(item) {
  const evidence = (item.evidence || []).map((e) => `<span class="badge">${escapeHtml(e)}</span>`).join("");
  return `<div class="pair" data-testid="pair" data-one="${escapeHtml(item.one)}" data-other="${escapeHtml(item.other)}">
      <div class="sides">${personSide(item, "one")}${personSide(item, "other")}</div>
      <p class="summary">score ${item.score.toFixed(2)} <span class="badges">${evidence}</span></p>
      <div class="decide"><button type="button" data-testid="same" data-verdict="same">Same person</button>
        <button type="button" class="secondary" data-testid="different" data-verdict="different">Different people</button>
        <input type="text" name="note" placeholder="note (optional)" aria-label="note" maxlength="2000"></div></div>`;
}

async function identityView() {
  if (!curatorPage("Same person?")) return;
  const reviewer = sessionStorage.getItem(REVIEWER_KEY) || "";
  view.insertAdjacentHTML("beforeend", `
    <p class="summary">Pairs of artist records that may be one person, best score first. “Same person” merges the
      second into the first (every work and link moves; both records are kept); “different people” keeps them apart.
      A decision is stored in the graph and outlives every later load and sync.</p>
    <div id="notice"></div><div class="queue" id="pairs" data-testid="pairs"><p class="spinner">loading…</p></div>`);
  const { items } = await api(`/api/identity/queue?limit=${PAIRS}`);
  const pairs = view.querySelector("#pairs");
  const notice = view.querySelector("#notice");
  const showEmpty = () => {
    if (!pairs.querySelector("[data-testid=pair]")) pairs.innerHTML = `<p class="empty" data-testid="pairs-empty">No pair left to decide.</p>`;
  };
  pairs.innerHTML = items.map(pairItem).join("");
  showEmpty();
  pairs.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-verdict]");
    if (!button) return;
    const element = button.closest("[data-testid=pair]");
    const { one, other } = element.dataset;
    const note = element.querySelector("input[name=note]").value.trim();
    const names = [...element.querySelectorAll("[data-testid=person] h3")].map((h) => h.innerText);
    element.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      await api("/api/identity/decisions", {
        method: "POST",
        headers: authorised(),
        body: JSON.stringify({ one, other, verdict: button.dataset.verdict, ...(note ? { note } : {}), ...(reviewer ? { by: reviewer } : {}) }),
      });
      element.remove();
      // A merge removes the second node: its other pairs no longer exist.
      if (button.dataset.verdict === "same") {
        pairs.querySelectorAll("[data-testid=pair]").forEach((p) => {
          if ([p.dataset.one, p.dataset.other].includes(other)) p.remove();
        });
      }
      const said = button.dataset.verdict === "same" ? `Merged ${names[1]} into ${names[0]}` : `Kept ${names[0]} and ${names[1]} apart`;
      notice.innerHTML = `<div class="notice" data-testid="notice">${escapeHtml(said)}.</div>`;
      showEmpty();
    } catch (error) {
      if (error.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      showError(error, notice);
      element.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  });
}

// ---- routing -------------------------------------------------------------------------------
const VIEWS = [
  [/^#\/artwork\/(.+)$/, (m) => artworkView(decodeURIComponent(m[1])), "browse"],
  [/^#\/artist\/(.+)$/, (m) => artistView(decodeURIComponent(m[1])), "browse"],
  [/^#\/movements$/, () => movementsView(), "movements"],
  [/^#\/movement\/(.+)$/, (m) => movementView(decodeURIComponent(m[1])), "movements"],
  [/^#\/predict$/, () => predictView(), "predict"],
  [/^#\/review(?:\?(.*))?$/, (m) => reviewView(new URLSearchParams(m[1] || "")), "review"],
  [/^#\/identity$/, () => identityView(), "identity"],
  [/^#\/?(?:\?(.*))?$/, (m) => browseView(new URLSearchParams(m[1] || "")), "browse"],
];

async function route() {
  const hash = location.hash || "#/";
  for (const [pattern, show, nav] of VIEWS) {
    const match = hash.match(pattern);
    if (!match) continue;
    document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === nav));
    view.innerHTML = `<p class="spinner">loading…</p>`;
    try { await show(match); } catch (error) { showError(error); }
    window.scrollTo(0, 0);
    return;
  }
  view.innerHTML = `<div class="error">No such page.</div>`;
}

async function health() {
  const badge = document.getElementById("health");
  try {
    const body = await fetch("/api/health").then((r) => r.json());
    badge.className = `health ${body.graph.reachable ? "ok" : "down"}`;
    badge.textContent = body.graph.reachable ? "graph online" : "graph offline";
  } catch { badge.className = "health down"; badge.textContent = "offline"; }
}

window.addEventListener("hashchange", route);
route();
health();
