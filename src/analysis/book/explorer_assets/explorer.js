/* The book's event explorer: filters, a map and a timeline drawn by the book's own copy of
   Vega-Lite (_static/vega-bundle.js), a card per event at explorer.html#EVENT-ID, and exports
   of the selection. Its data, window.MALI_EXPLORER, are written when the book is built by
   analysis.book.explorer (explorer-data.js). Nothing is loaded from the network. */
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root) return;
  const $ = (name) => document.getElementById("explorer-" + name);
  const data = window.MALI_EXPLORER;
  if (!data) {
    $("count").textContent = "The explorer's data did not load (_static/explorer/explorer-data.js).";
    console.error("explorer: window.MALI_EXPLORER is missing");
    return;
  }
  const meta = data.meta;
  const PAGE_SIZE = 50;
  const FILTERS = ["q", "from", "to", "region", "type", "actor", "band", "civilians", "sort"];

  // ---- helpers
  const fold = (text) => String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const split = (cell) => (cell ? String(cell).split(";").map((s) => s.trim()).filter(Boolean) : []);
  const number = (n) => Number(n).toLocaleString("en");
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  function actorName(id, short) {
    const known = data.actors[id];
    if (known) return known[short ? 1 : 0];
    return id.includes(":") ? id.split(":").slice(1).join(":") : id;
  }

  function actorLabel(id) {
    const name = actorName(id, false), short = actorName(id, true);
    return short && short !== name ? name + " (" + short + ")" : name;
  }

  // ---- the events, decoded once
  const events = data.events.rows.map((row) => {
    const e = {};
    data.events.columns.forEach((column, i) => { e[column] = row[i]; });
    e.actors = [e.actor1, e.actor2].concat(split(e.assoc_actors)).filter(Boolean);
    e.text = fold([e.location, e.admin2, e.admin1, e.notes].join(" "));
    e.time = Date.parse(e.date_start);
    return e;
  });
  const byId = new Map(events.map((e) => [e.event_id, e]));

  // ---- the filters' choices
  function fill(select, choices) {
    for (const [value, label] of choices) select.append(el("option", {value: value}, label));
  }
  const counts = new Map();
  for (const e of events) for (const a of new Set(e.actors)) counts.set(a, (counts.get(a) || 0) + 1);
  fill($("region"), data.regions.map((r) => [r, r]).concat([["none", "only a wider area (no region)"]]));
  fill($("type"), data.types.map((t) => [t, t]));
  fill($("band"), data.bands.map((b) => [b, b]));
  fill($("actor"), [...counts.keys()].sort((a, b) => actorName(a).localeCompare(actorName(b)))
    .map((a) => [a, actorLabel(a) + " (" + counts.get(a) + ")"]));
  for (const name of ["from", "to"]) {
    $(name).min = meta.first_day;
    $(name).max = meta.last_day;
  }
  $("total").textContent = number(events.length);
  $("version").textContent = meta.dataset_version;

  // ---- the state, read from and written to the address (?region=Mopti&type=...#EVENT-ID)
  function readAddress() {
    const query = new URLSearchParams(location.search);
    for (const name of FILTERS) if (query.has(name)) $(name).value = query.get(name);
    $("lineage").checked = query.get("lineage") !== "0";
  }

  function criteria() {
    const c = {};
    for (const name of FILTERS) c[name] = $(name).value;
    c.lineage = $("lineage").checked;
    c.words = fold(c.q).split(/\s+/).filter(Boolean);
    return c;
  }

  function queryOf(c) {
    const query = new URLSearchParams();
    for (const name of FILTERS) if (c[name] && !(name === "sort" && c[name] === "newest")) query.set(name, c[name]);
    if (c.actor && !c.lineage) query.set("lineage", "0");
    const text = query.toString();
    return text ? "?" + text : "";
  }

  function describe(c) {
    const parts = [];
    if (c.from || c.to) parts.push((c.from || meta.first_day) + " to " + (c.to || meta.last_day));
    if (c.region) parts.push(c.region === "none" ? "no region" : "region " + c.region);
    if (c.type) parts.push(c.type);
    if (c.actor) parts.push("actor " + actorName(c.actor, true) + (c.lineage && data.lineage[c.actor] ? " with its predecessors" : ""));
    if (c.band) parts.push("deaths: " + c.band);
    if (c.civilians) parts.push(c.civilians === "yes" ? "civilians targeted" : "civilians not targeted");
    if (c.q) parts.push("search “" + c.q + "”");
    return parts.length ? parts.join("; ") : "all events";
  }

  function pageAddress() {
    if (/^https?:/.test(meta.page)) return meta.page;
    return /^https?:$/.test(location.protocol) ? location.origin + location.pathname : meta.page;
  }

  // ---- filtering
  function matcher(c, withPeriod) {
    const wanted = c.actor ? new Set([c.actor].concat(c.lineage ? data.lineage[c.actor] || [] : [])) : null;
    return (e) =>
      (!withPeriod || ((!c.from || e.date_end >= c.from) && (!c.to || e.date_start <= c.to))) &&
      (!c.region || (c.region === "none" ? !e.admin1 : e.admin1 === c.region)) &&
      (!c.type || e.event_type === c.type) &&
      (!wanted || e.actors.some((a) => wanted.has(a))) &&
      (!c.band || e.deaths_band === c.band) &&
      (!c.civilians || e.civilian_targeting === (c.civilians === "yes")) &&
      c.words.every((w) => e.text.includes(w));
  }

  const ORDER = {
    newest: (a, b) => b.time - a.time || (a.event_id < b.event_id ? 1 : -1),
    oldest: (a, b) => a.time - b.time || (a.event_id < b.event_id ? -1 : 1),
    deadliest: (a, b) => (b.fatalities_best ?? -1) - (a.fatalities_best ?? -1) || b.time - a.time,
  };

  let selected = [], shown = PAGE_SIZE, mapView = null, timeView = null, othersKey = "";
  // Only a reader's hand on the timeline moves the period through the brush; the brush
  // redrawn from the date boxes must not write back into them.
  let brushByHand = false;

  function update(fromBrush) {
    if (!fromBrush) brushByHand = false;
    const c = criteria();
    selected = events.filter(matcher(c, true)).sort(ORDER[c.sort] || ORDER.newest);
    shown = PAGE_SIZE;
    const deaths = selected.reduce((sum, e) => sum + (e.fatalities_best || 0), 0);
    $("count").textContent = number(selected.length) + " of " + number(events.length) +
      " events, " + number(deaths) + " reported deaths (best estimates)";
    const predecessors = c.actor && c.lineage ? data.lineage[c.actor] || [] : [];
    $("lineage-note").textContent = predecessors.length ? "With its predecessors: " +
      predecessors.map((a) => actorName(a, true)).join(", ") + "." : "";
    renderList();
    const mapped = selected.filter((e) => e.admin1);
    $("map-note").textContent = number(mapped.length) + " of the " + number(selected.length) +
      " events mapped" + (mapped.length < selected.length ? "; " + number(selected.length - mapped.length) +
      " located only to a wider area than a region are not." : ".");
    if (mapView) mapView.data("points", points(mapped)).runAsync();
    const others = JSON.stringify(Object.assign({}, c, {from: "", to: "", sort: ""}));
    if (timeView && others !== othersKey) timeView.data("months", months(events.filter(matcher(c, false)))).runAsync();
    othersKey = others;
    if (!fromBrush) drawBrush(c);
    try {
      history.replaceState(null, "", location.pathname + queryOf(c) + location.hash);
    } catch (err) { /* some browsers refuse to rewrite a file:// address; the filters still work */ }
  }

  let timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(() => update(false), 150); }

  // ---- the list
  function summary(e) {
    const toll = e.fatalities_best === null ? "toll not reported" : number(e.fatalities_best) + " reported deaths";
    return e.date_start + " · " + e.location + (e.admin1 ? " (" + e.admin1 + ")" : "") + " · " +
      e.sub_event_type + " · " + toll;
  }

  function renderList() {
    const list = $("list");
    list.replaceChildren(...selected.slice(0, shown).map((e) =>
      el("li", {}, el("a", {href: "#" + e.event_id}, summary(e)))));
    $("more").hidden = selected.length <= shown;
    $("more").textContent = "Show " + Math.min(PAGE_SIZE, selected.length - shown) + " more";
  }

  // ---- the event card
  function row(term, ...value) { return [el("dt", {}, term), el("dd", {}, ...value)]; }

  function deathsText(e) {
    if (e.fatalities_best === null) return "not reported";
    let text = number(e.fatalities_best);
    if (e.fatalities_low !== null || e.fatalities_high !== null) {
      text += " (range " + (e.fatalities_low ?? e.fatalities_best) + " to " + (e.fatalities_high ?? e.fatalities_best) + ")";
    }
    const parts = [["side of " + actorName(e.actor1, true), e.deaths_side_a],
      ["side of " + (e.actor2 ? actorName(e.actor2, true) : "the other side"), e.deaths_side_b],
      ["civilians", e.deaths_civilians], ["not assigned by the sources", e.deaths_unknown]]
      .filter((p) => p[1]);
    if (parts.length === 1 && e.deaths_unknown === e.fatalities_best) text += ", not broken down by side in the sources";
    else if (parts.length) text += ": " + parts.map((p) => p[0] + " " + number(p[1])).join(", ");
    if (e.estimates_repaired) text += " (the source dataset's estimates were out of order and were repaired)";
    return text;
  }

  function sourceItem(key) {
    const source = data.sources[key];
    if (!source) return el("li", {}, key);
    const [title, publisher, date, url] = source;
    return el("li", {}, el("cite", {}, title || key), publisher ? " — " + publisher : "", date ? ", " + date : "",
      ". ", el("a", {href: "sources.html#src-" + key}, "entry " + key + " in the Sources"),
      url ? [" · ", el("a", {href: url, rel: "noopener external"}, "original")] : "");
  }

  function showCard(id) {
    const card = $("card"), e = byId.get(id);
    card.replaceChildren();
    if (!e) {
      card.append(el("p", {}, "No event " + id + " in the explorer's data (data version " + meta.dataset_version + ")."));
    } else {
      const address = pageAddress() + "#" + e.event_id;
      const dates = e.date_end && e.date_end !== e.date_start ? e.date_start + " to " + e.date_end : e.date_start;
      const place = [e.location, e.admin2 && e.admin2 !== e.location ? "cercle of " + e.admin2 : null,
        e.admin1 ? "region of " + e.admin1 : "no region (a wider area)"].filter(Boolean).join(", ");
      const associated = split(e.assoc_actors);
      card.append(
        el("h2", {id: "explorer-card-title"}, e.location + ", " + e.date_start),
        el("dl", {},
          row("Event", e.event_id),
          row("Date", dates + " (dated to the " + e.date_precision + ")"),
          row("Place", place + " — " + e.latitude + ", " + e.longitude + " (precision " + e.geo_precision + ": " + (data.geo_precision[e.geo_precision] || "") + ")"),
          row("What", e.event_type + " — " + e.sub_event_type + (e.civilian_targeting ? "; civilians targeted" : "")),
          row("Actors", actorLabel(e.actor1) + (e.actor2 ? " against " + actorLabel(e.actor2) : "")),
          associated.length ? row("With", associated.map(actorLabel).join("; ")) : [],
          row("Deaths", deathsText(e)),
          e.notes ? row("Notes", e.notes) : [],
          row("Sources", el("ul", {}, split(e.source_ids).map(sourceItem))),
          row("Origin", e.dataset + (e.source_event_id ? " (id " + e.source_event_id + ")" : "")),
          row("Cite", meta.cite_event.replaceAll("{id}", e.event_id).replace("{address}", address)),
          row("Link", el("a", {href: "#" + e.event_id}, address))),
      );
    }
    card.append(el("button", {type: "button", id: "explorer-close"}, "Close"));
    $("close").addEventListener("click", closeCard);
    card.hidden = false;
    card.focus({preventScroll: true});
    card.scrollIntoView({block: "start"});
  }

  function closeCard() {
    $("card").hidden = true;
    try {
      history.replaceState(null, "", location.pathname + location.search);
    } catch (err) { location.hash = ""; }
    $("count").focus();
  }

  function route() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id) showCard(id); else $("card").hidden = true;
  }

  // ---- exports
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], {type: type}));
    const link = el("a", {href: url, download: name, hidden: ""});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function selectionCitation() {
    const c = criteria();
    return meta.cite_selection.replace("{count}", number(selected.length))
      .replace("{filters}", describe(c)).replace("{address}", pageAddress() + queryOf(c));
  }

  function csvText() {
    const quote = (v) => {
      if (v === null || v === undefined) return "";
      const s = String(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const lines = [quote("# " + selectionCitation() + " · " + meta.licence + "."), meta.columns.join(",")];
    for (const e of selected) lines.push(meta.columns.map((c) => quote(e[c])).join(","));
    return lines.join("\n") + "\n";
  }

  function geojsonText() {
    const c = criteria();
    const features = selected.map((e) => {
      const properties = {};
      for (const column of meta.columns) if (column !== "latitude" && column !== "longitude") properties[column] = e[column];
      properties.explorer = pageAddress() + "#" + e.event_id;
      return {type: "Feature", id: e.event_id, geometry: {type: "Point", coordinates: [e.longitude, e.latitude]}, properties: properties};
    });
    return JSON.stringify({type: "FeatureCollection", metadata: {
      citation: selectionCitation(), dataset_version: meta.dataset_version, book_version: meta.book_version,
      filters: describe(c), events: selected.length, licence: meta.licence}, features: features}, null, 1);
  }

  const fileName = (ext) => "mali-events-" + meta.dataset_version + "-" + selected.length + "." + ext;

  // ---- the map and the timeline (Vega-Lite)
  const points = (list) => list.map((e) => ({id: e.event_id, lon: e.longitude, lat: e.latitude,
    deaths: e.fatalities_best || 0, type: e.event_type, date: e.date_start, place: e.location}));
  const months = (list) => list.map((e) => ({time: e.time, type: e.event_type}));

  function drawBrush(c) {
    if (!timeView) return;
    try {
      const x = timeView.scale("x");
      const range = c.from || c.to ? [x(Date.parse(c.from || meta.first_day)), x(Date.parse(c.to || meta.last_day))] : [];
      timeView.signal("brush_x", range);
    } catch (err) { /* the brush stays as drawn; the period inputs rule */ }
    timeView.runAsync();
  }

  function embed(name, spec, dataset, values) {
    const target = $(name);
    if (!window.vegaEmbed) {
      target.textContent = "The " + name + " could not be drawn: the Vega library did not load.";
      return Promise.resolve(null);
    }
    const copy = JSON.parse(JSON.stringify(spec));  // Vega, compiled from Vega-Lite at build time
    copy.data.find((d) => d.name === dataset).values = values;
    return window.vegaEmbed(target, copy, {mode: "vega", renderer: "canvas", actions: false})
      .then((result) => result.view)
      .catch((err) => { target.textContent = "The " + name + " could not be drawn: " + err; console.error(err); return null; });
  }

  // ---- wiring
  readAddress();
  for (const name of FILTERS) $(name).addEventListener(name === "q" ? "input" : "change", name === "q" ? later : () => update(false));
  $("lineage").addEventListener("change", () => update(false));
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); update(false); });
  $("reset").addEventListener("click", () => {
    for (const name of FILTERS) $(name).value = name === "sort" ? "newest" : "";
    $("lineage").checked = true;
    update(false);
  });
  $("more").addEventListener("click", () => {
    shown += PAGE_SIZE;
    renderList();
  });
  $("csv").addEventListener("click", () => download(fileName("csv"), "text/csv;charset=utf-8", csvText()));
  $("geojson").addEventListener("click", () => download(fileName("geojson"), "application/geo+json", geojsonText()));
  for (const kind of ["pointerdown", "wheel"]) $("timeline").addEventListener(kind, () => { brushByHand = true; }, {passive: true});
  $("card").addEventListener("keydown", (event) => { if (event.key === "Escape") closeCard(); });
  window.addEventListener("hashchange", route);
  update(false);
  route();
  window.MALI_EXPLORER_USABLE = performance.now();  // filters, list and cards work; charts next

  const c = criteria(), startKey = JSON.stringify(c);
  Promise.all([
    embed("map", data.specs.map, "points", points(selected.filter((e) => e.admin1))),
    embed("timeline", data.specs.timeline, "months", months(events.filter(matcher(c, false)))),
  ]).then(([map, timeline]) => {
    mapView = map;
    timeView = timeline;
    othersKey = JSON.stringify(Object.assign({}, c, {from: "", to: "", sort: ""}));
    if (map) {
      map.addEventListener("click", (event, item) => {
        if (item && item.datum && item.datum.id) location.hash = item.datum.id;
      });
    }
    if (timeline) {
      timeline.addSignalListener("brush", (name, value) => {
        if (!brushByHand) return;
        const range = Object.values(value || {})[0];
        $("from").value = range ? iso(range[0]) : "";
        $("to").value = range ? iso(range[1]) : "";
        update(true);
      });
      drawBrush(c);
    }
    if (JSON.stringify(criteria()) !== startKey) update(false);  // changed while drawing
    window.MALI_EXPLORER_VIEWS = {map: map, timeline: timeline};  // for scripts and tests
    root.dataset.ready = "true";
    window.MALI_EXPLORER_READY = performance.now();
  });
})();
