// The page: one view per #fragment (#/, #/artwork/ID, #/artist/ID, #/movements,
// #/movement/ID, #/predict), each drawn from the JSON API. A later feature adds its view to
// VIEWS (a review queue, say) and its badges to cardBadges().
"use strict";

const view = document.getElementById("view");
const PAGE = 24;

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
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

function cardBadges(item) {
  return (item.movements || []).map((m) => {
    const name = typeof m === "string" ? m : m.name;
    return `<span class="badge">${escapeHtml(name)}</span>`;
  }).join("");
}

function card(item) {
  const artists = (item.artists || []).map((a) => (typeof a === "string" ? a : a.name)).filter(Boolean).join(", ");
  const thumb = item.thumbnail_url
    ? `<img loading="lazy" src="${escapeHtml(item.thumbnail_url)}" alt="${escapeHtml(item.title)}">`
    : `<span class="none">no image</span>`;
  const score = item.similarity !== undefined ? `<span class="score">similarity ${item.similarity.toFixed(3)}</span>` : "";
  const year = item.year ? ` · ${item.year}` : "";
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

async function movementSelect(selected) {
  if (!movementOptions) movementOptions = (await api("/api/movements")).items.filter((m) => m.artwork_count > 0);
  return `<select name="movement" aria-label="movement"><option value="">any movement</option>${movementOptions
    .map((m) => `<option value="${escapeHtml(m.id)}"${m.id === selected ? " selected" : ""}>${escapeHtml(m.name)} (${m.artwork_count})</option>`).join("")}</select>`;
}

async function browseView(query) {
  const state = {
    q: query.get("q") || "", movement: query.get("movement") || "",
    year_from: query.get("year_from") || "", year_to: query.get("year_to") || "",
    has_image: query.get("has_image") ?? "true", artist: query.get("artist") || "",
  };
  view.innerHTML = `<h1>Browse the collection</h1>
    <form class="search" data-testid="search-form">
      <input type="hidden" name="artist" value="${escapeHtml(state.artist)}">
      <input type="search" name="q" placeholder="Search titles and artists — e.g. water lilies, Monet, Hokusai" value="${escapeHtml(state.q)}" aria-label="search">
      <button type="submit">Search</button>
      <div class="filters" style="grid-column: 1 / -1">
        ${await movementSelect(state.movement)}
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
    for (const key of ["q", "movement", "artist", "year_from", "year_to"]) if (data.get(key)) next.set(key, data.get(key));
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
  const life = [artist.birth_year, artist.death_year].map((y) => y ?? "?").join("–");
  view.innerHTML = `<h1 data-testid="artist-name">${escapeHtml(artist.name)}</h1>
    <p class="summary">${life} · ${artist.work_count} work${artist.work_count === 1 ? "" : "s"} in the graph${artist.pagerank ? ` · PageRank ${artist.pagerank.toFixed(4)}` : ""}</p>
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
    ${artist.work_count > artist.works.length ? `<p><a href="#/?artist=${encodeURIComponent(artist.id)}">all ${artist.work_count} works</a></p>` : ""}
    ${artist.generated.length ? `<h2>Generated “in the style of” ${escapeHtml(artist.name)}</h2>
      <div class="grid">${artist.generated.map((g) => `<div class="card"><div class="thumb"><img loading="lazy" src="${escapeHtml(g.thumbnail_url)}" alt="generated tile ${g.tile}"></div><div class="body"><span class="badge ai">AI-generated</span></div></div>`).join("")}</div>` : ""}`;
  view.querySelector("#neighbourhood").replaceChildren(drawNeighbourhood(artist));
}

// ---- movements -----------------------------------------------------------------------------
async function movementsView() {
  const { items } = await api("/api/movements");
  const sorted = items.filter((m) => m.artwork_count || m.artist_count).sort((a, b) => (b.artwork_count + b.artist_count) - (a.artwork_count + a.artist_count));
  view.innerHTML = `<h1>Movements</h1><div class="grid">${sorted.map((m) => `<a class="card" href="${movementHref(m.id)}">
      <div class="body"><span class="title">${escapeHtml(m.name)}</span>
      <span class="meta">${m.artist_count} artists · ${m.artwork_count} artworks${m.era ? ` · ${escapeHtml(m.era)}` : ""}</span></div></a>`).join("")}</div>`;
}

async function movementView(id) {
  const movement = await api(`/api/movements/${encodeURIComponent(id)}`);
  const works = await api(`/api/artworks?movement=${encodeURIComponent(id)}&has_image=true&limit=${PAGE}`);
  view.innerHTML = `<h1 data-testid="movement-name">${escapeHtml(movement.name)}</h1>
    <p class="summary">${movement.artist_count} member artists${movement.era ? ` · ${escapeHtml(movement.era)}` : ""}</p>
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
          <h3>Movement, top ${result.movements.length}</h3>${result.movements.map((m) => bar(m.movement, m.probability)).join("")}
          <p class="summary">${escapeHtml(result.file)} · ${result.width}×${result.height} px</p></div></div>`;
    } catch (error) { showError(error, out); }
  };
  input.addEventListener("change", () => send(input.files[0]));
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); send(event.dataTransfer.files[0]); });
}

// ---- routing -------------------------------------------------------------------------------
const VIEWS = [
  [/^#\/artwork\/(.+)$/, (m) => artworkView(decodeURIComponent(m[1])), "browse"],
  [/^#\/artist\/(.+)$/, (m) => artistView(decodeURIComponent(m[1])), "browse"],
  [/^#\/movements$/, () => movementsView(), "movements"],
  [/^#\/movement\/(.+)$/, (m) => movementView(decodeURIComponent(m[1])), "movements"],
  [/^#\/predict$/, () => predictView(), "predict"],
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
