// The artist's neighbourhood in the graph, drawn as SVG: the artist in the middle, teachers,
// students, movements, places and academies on a ring around it, grouped by kind so that the picture
// reads the same way for every artist. No library: the layout is a circle.
"use strict";

const NEIGHBOUR_KINDS = [
  { key: "teachers", label: "teacher", colour: "var(--teacher)", href: (n) => `#/artist/${encodeURIComponent(n.id)}` },
  { key: "students", label: "student", colour: "var(--student)", href: (n) => `#/artist/${encodeURIComponent(n.id)}` },
  { key: "movements", label: "movement", colour: "var(--movement)", href: (n) => `#/movement/${encodeURIComponent(n.id)}` },
  { key: "born_in", label: "born in", colour: "var(--place)", href: null },
  { key: "died_in", label: "died in", colour: "var(--place)", href: null },
  { key: "academies", label: "academy", colour: "var(--academy)", href: null },
];
const MAX_PER_KIND = 6;
const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== null) element.textContent = text;
  return element;
}

function shorten(text, length = 24) {
  return text && text.length > length ? text.slice(0, length - 1) + "…" : text || "?";
}

function neighbours(artist) {
  const found = [];
  for (const kind of NEIGHBOUR_KINDS) {
    for (const node of (artist[kind.key] || []).slice(0, MAX_PER_KIND)) {
      found.push({ ...node, kind });
    }
  }
  return found;
}

// Returns a <figure> holding the drawing and its legend.
function drawNeighbourhood(artist) {
  const width = 500, height = 360, cx = width / 2, cy = height / 2;
  const around = neighbours(artist);
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${artist.name} in the graph` });
  // An ellipse narrower than the picture: the labels run outwards beside their nodes.
  const rx = 95, ry = height / 2 - 50;
  const placed = around.map((node, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(around.length, 1);
    return { ...node, x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle), angle };
  });
  for (const node of placed) {
    svg.appendChild(svgElement("line", { class: "edge", x1: cx, y1: cy, x2: node.x, y2: node.y }));
  }
  for (const node of placed) {
    const group = svgElement("g", { class: "node" });
    group.appendChild(svgElement("circle", { cx: node.x, cy: node.y, r: 9, fill: node.kind.colour }));
    const right = Math.cos(node.angle) >= -0.01;
    group.appendChild(svgElement("text", {
      x: node.x + (right ? 13 : -13), y: node.y + 4, "text-anchor": right ? "start" : "end",
    }, shorten(node.name, 20)));
    group.appendChild(svgElement("title", {}, `${node.kind.label}: ${node.name}`));
    if (node.kind.href) {
      const link = svgElement("a", { href: node.kind.href(node) });
      link.appendChild(group);
      svg.appendChild(link);
    } else {
      svg.appendChild(group);
    }
  }
  const centre = svgElement("g", { class: "node center" });
  centre.appendChild(svgElement("circle", { cx, cy, r: 16, fill: "var(--artist)" }));
  centre.appendChild(svgElement("text", { x: cx, y: cy + 34, "text-anchor": "middle" }, shorten(artist.name, 32)));
  svg.appendChild(centre);

  const figure = document.createElement("figure");
  figure.className = "neighbourhood";
  figure.style.margin = "0";
  figure.dataset.testid = "neighbourhood";
  figure.appendChild(svg);
  const legend = document.createElement("figcaption");
  legend.className = "legend";
  const shown = new Set(placed.map((n) => n.kind.label));
  legend.innerHTML = [["artist", "var(--artist)"], ...NEIGHBOUR_KINDS.map((k) => [k.label, k.colour])]
    .filter(([label]) => label === "artist" || shown.has(label))
    .map(([label, colour]) => `<span><i style="background:${colour}"></i>${label}</span>`)
    .join("");
  if (!placed.length) legend.innerHTML += "<span>no teachers, students, movements or places recorded</span>";
  figure.appendChild(legend);
  return figure;
}
