/* crossclaim serve: draws each page from the JSON API (/api/...).
   Everything that comes from the data is put in the page as text nodes (el() below), never
   as markup, so an article's title or sentence can hold any bytes and stays text. */
"use strict";

/* el("a", {href: u}, "text", child...): an element; strings become text nodes. */
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else e.setAttribute(k, String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.appendChild(typeof k === "string" || typeof k === "number" ? document.createTextNode(String(k)) : k);
  }
  return e;
}

function link(path, params, ...kids) {
  const q = new URLSearchParams(params || {}).toString();
  return el("a", {href: path + (q ? "?" + q : "")}, ...kids);
}

/* A source as a link when it is a web address; a path or anything else stays text. */
function sourceLink(src) {
  if (/^https?:\/\/[^\s]+$/i.test(src || "")) return el("a", {href: src, rel: "noreferrer noopener", class: "src"}, src);
  return el("span", {class: "src"}, src || "");
}

function fmtNum(v) {
  if (v === null || v === undefined) return "";
  return Number(v).toLocaleString("en-US", {maximumFractionDigits: 6});
}

function shortId(id) { return (id || "").slice(0, 12); }

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const url = "/api/" + path + (q.toString() ? "?" + q : "");
  const r = await fetch(url, {credentials: "same-origin"});
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.error) || (r.status + " " + r.statusText));
  return body;
}

const app = () => document.getElementById("app");

function show(...nodes) {
  const m = app();
  m.replaceChildren(...nodes.flat().filter(Boolean));
}

function statusBadge(status) { return el("span", {class: "badge " + status}, status); }

/* The sentence with the claim's number marked, as text nodes. */
function sentenceNodes(claim) {
  const s = claim.sentence && claim.sentence.text ? claim.sentence.text : (claim.text || "");
  const t = claim.text || "";
  const i = t ? s.indexOf(t) : -1;
  if (i < 0) return [s];
  return [s.slice(0, i), el("mark", {}, t), s.slice(i + t.length)];
}

/* What was said, for a <q> (which adds its own quotation marks): a direct quote's content
   keeps the marks and the comma of the sentence it came from ("\"No one ...,\""), which
   would show doubled. */
function saidText(content) {
  return (content.text || "").replace(/^\s*["\u201C\u2018']+/, "").replace(/[,.]?["\u201D\u2019']+\s*$/, "");
}

function valueText(c) {
  let v = fmtNum(c.value);
  if (c.low !== null && c.high === null && c.low !== undefined) v = "≥ " + fmtNum(c.low);
  else if (c.high !== null && c.low === null && c.high !== undefined) v = "≤ " + fmtNum(c.high);
  return (c.approx ? "~" : "") + v;
}

/* One fact (db_web_fact_json): its frame, status and each source's sentence side by side. */
function factCard(f, opts) {
  const x = f.xref;
  const head = el("div", {class: "head"},
    el("span", {class: "label"}, f.label || x.frame || x.key), " ", statusBadge(x.status),
    x.evolving ? [" ", el("span", {class: "badge evolving"}, "evolving")] : null,
    " ", el("span", {class: "muted"}, x.sources + " source" + (x.sources === 1 ? "" : "s")));
  const parts = [head];
  if (opts && opts.story) parts.push(el("div", {class: "muted"}, "story ",
    link("/story", {id: x.story}, f.story_title || shortId(x.story)),
    " (" + f.story_articles + " article" + (f.story_articles === 1 ? "" : "s") + ")"));
  parts.push(el("div", {class: "key"}, x.key));
  const claims = el("div", {class: "claims"});
  for (const c of x.claims) {
    const a = (f.articles || {})[c.article] || {};
    claims.appendChild(el("div", {class: "claim"},
      el("div", {class: "value"}, valueText(c)),
      el("blockquote", {class: "sentence"}, sentenceNodes(c)),
      el("div", {class: "who"}, el("strong", {}, c.outlet || "?"), c.published ? " · " + c.published : "",
        c.source && c.source !== c.outlet ? " · counted as " + c.source : ""),
      el("div", {class: "who"}, link("/article", {id: c.article}, a.title || shortId(c.article))),
      el("div", {class: "who"}, sourceLink(a.source))));
  }
  parts.push(claims);
  if (x.evolving) {
    const dated = x.claims.filter(c => c.published).slice().sort((p, q) => p.published < q.published ? -1 : p.published > q.published ? 1 : 0);
    parts.push(el("div", {class: "muted"}, "How the figure changed" + (x.latest !== null ? " (latest: " + fmtNum(x.latest) + ")" : "") + ":"),
      el("ol", {class: "history"}, dated.map(c => el("li", {}, c.published + ": " + valueText(c) + " (" + (c.outlet || "?") + ")"))));
  }
  return el("div", {class: "fact " + x.status}, parts);
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map(h => el("th", {class: h.num ? "num" : null}, h.t || h)))),
    el("tbody", {}, rows));
}

function dates(s) {
  if (!s.first && !s.last) return "undated";
  return s.first === s.last ? s.first : (s.first || "?") + " – " + (s.last || "?");
}

/* ---- pages ---- */

async function pageStories(p) {
  const d = await api("stories", {q: p.get("q"), limit: 500});
  document.title = "Stories · crossclaim";
  const rows = d.stories.map(e => el("tr", {class: "story-row"},
    el("td", {}, link("/story", {id: e.story.id}, e.story.title || shortId(e.story.id))),
    el("td", {}, dates(e.story)),
    el("td", {class: "num"}, e.story.articles),
    el("td", {}, el("span", {class: "num"}, String(e.outlets.length)), " ", el("span", {class: "muted"}, e.outlets.join(", "))),
    el("td", {class: "num"}, e.conflicts ? link("/conflicts", {story: e.story.id}, String(e.conflicts)) : "0"),
    el("td", {class: "num"}, String(e.corroborated))));
  show(el("h1", {}, "Stories"),
    el("p", {class: "muted"}, d.total + " stor" + (d.total === 1 ? "y" : "ies") + ", newest first."),
    table(["Story", "Dates", {t: "Articles", num: 1}, "Outlets", {t: "Conflicts", num: 1}, {t: "Corroborated", num: 1}], rows));
}

async function pageStory(p) {
  const d = await api("story", {id: p.get("id")});
  const s = d.story;
  document.title = (s.title || "Story") + " · crossclaim";
  const titles = {};
  for (const a of d.articles) titles[a.id] = a;
  const conflicts = d.facts.filter(f => f.xref.status === "conflict");
  const agree = d.facts.filter(f => f.xref.status === "corroborated");
  const single = d.facts.filter(f => f.xref.status !== "conflict" && f.xref.status !== "corroborated");
  const said = d.attributions.map(t => el("tr", {},
    el("td", {}, t.speaker ? (t.speaker.entity ? link("/entity", {key: t.speaker.entity}, t.speaker.text) : t.speaker.text) : el("span", {class: "muted"}, "?")),
    el("td", {}, t.cue ? t.cue.text : ""),
    el("td", {}, t.content ? el("q", {class: "said"}, saidText(t.content)) : ""),
    el("td", {}, link("/article", {id: t.article}, (titles[t.article] || {}).outlet || shortId(t.article)))));
  show(el("h1", {}, s.title || shortId(s.id)),
    el("p", {class: "muted"}, dates(s) + " · " + s.articles + " article" + (s.articles === 1 ? "" : "s") + " · story " + s.id),
    el("div", {class: "chips"}, s.entities.map(k => link("/entity", {key: k}, k))),
    el("h2", {}, "Articles"),
    table(["Title", "Outlet", "Published", "Source", {t: "Claims", num: 1}], d.articles.map(a => el("tr", {},
      el("td", {}, link("/article", {id: a.id}, a.title || shortId(a.id))), el("td", {}, a.outlet),
      el("td", {}, a.published || ""), el("td", {}, sourceLink(a.source)),
      el("td", {class: "num"}, String(a.quantities + a.attributions))))),
    el("h2", {id: "conflicts"}, "Conflicts (" + conflicts.length + ")"),
    conflicts.length ? conflicts.map(f => factCard(f)) : el("p", {class: "muted"}, "No source contradicts another here."),
    el("h2", {id: "corroborations"}, "Corroborations (" + agree.length + ")"),
    agree.length ? agree.map(f => factCard(f)) : el("p", {class: "muted"}, "None."),
    el("h2", {id: "said"}, "Who said what (" + d.attributions.length + ")"),
    d.attributions.length ? table(["Speaker", "Cue", "What", "Article"], said) : el("p", {class: "muted"}, "None."),
    el("h2", {}, "Other figures (" + single.length + ")"),
    single.length ? single.map(f => factCard(f)) : el("p", {class: "muted"}, "None."));
}

async function pageConflicts(p) {
  const fields = [["story", "Story id"], ["outlet", "Outlet"], ["since", "Since (YYYY-MM-DD)"],
                  ["until", "Until"], ["min_sources", "Min. sources"]];
  const form = el("form", {class: "filters", method: "get", action: "/conflicts"},
    fields.map(([n, label]) => el("label", {}, label, el("input", {name: n, value: p.get(n) || "", size: n === "story" ? 14 : 10}))),
    el("label", {}, "Status", el("select", {name: "status"}, ["conflict", "corroborated", "single", "all"].map(s =>
      el("option", {value: s, selected: (p.get("status") || "conflict") === s ? "selected" : null}, s)))),
    el("button", {type: "submit"}, "Filter"));
  const args = {status: p.get("status") || "conflict", limit: 200};
  for (const [n] of fields) if (p.get(n)) args[n] = p.get(n);
  const d = await api("conflicts", args);
  document.title = "Conflicts · crossclaim";
  const name = args.status === "conflict" ? "Conflicts" : args.status === "corroborated" ? "Corroborations" : "Facts";
  show(el("h1", {}, name), form,
    el("p", {class: "muted"}, d.total + " match" + (d.total === 1 ? "" : "es") + (d.total > d.facts.length ? ", the first " + d.facts.length + " shown" : "") + "."),
    d.facts.map(f => factCard(f, {story: true})));
}

async function pageEntity(p) {
  const d = await api("entity", {key: p.get("key")});
  const e = d.entity;
  document.title = e.name + " · crossclaim";
  show(el("h1", {}, e.name),
    el("p", {class: "muted"}, e.kind + " · " + e.articles + " article" + (e.articles === 1 ? "" : "s") + " · key ", el("code", {}, e.key)),
    el("h2", {}, "Also written as"),
    e.aliases.length ? el("div", {class: "chips"}, e.aliases.map(a => el("span", {}, a))) : el("p", {class: "muted"}, "No other form."),
    el("h2", {}, "Stories (" + d.stories.length + ")"),
    table(["Story", "Dates", {t: "Articles", num: 1}, {t: "Naming it", num: 1}], d.stories.map(s => el("tr", {},
      el("td", {}, link("/story", {id: s.story.id}, s.story.title || shortId(s.story.id))), el("td", {}, dates(s.story)),
      el("td", {class: "num"}, String(s.story.articles)), el("td", {class: "num"}, String(s.mentions))))),
    el("h2", {}, "What it said (" + d.statements.length + ")"),
    d.statements.length ? table(["Cue", "What", "Article"], d.statements.map(s => el("tr", {},
      el("td", {}, s.attribution.cue ? s.attribution.cue.text : ""),
      el("td", {}, s.attribution.content ? el("q", {class: "said"}, saidText(s.attribution.content)) : ""),
      el("td", {}, link("/article", {id: s.attribution.article}, s.title || shortId(s.attribution.article)), " ", el("span", {class: "muted"}, s.outlet))))) :
      el("p", {class: "muted"}, "No statement attributed to it."),
    el("h2", {}, "Articles naming it (" + d.articles.length + ")"),
    table(["Title", "Outlet", "Published"], d.articles.map(a => el("tr", {},
      el("td", {}, link("/article", {id: a.id}, a.title || shortId(a.id))), el("td", {}, a.outlet), el("td", {}, a.published || "")))));
}

async function pageArticle(p) {
  const d = await api("article", {id: p.get("id")});
  const a = d.article;
  document.title = (a.title || "Article") + " · crossclaim";
  let body;
  if (d.segments) {
    body = el("div", {class: "text"}, d.segments.map(s => s.mark ? el("mark", {class: s.mark, title: s.mark}, s.text) : s.text));
  } else {
    body = el("p", {class: "muted"}, "The store keeps no text of this article (" + a.text_bytes + " bytes were read); its claims:");
  }
  const qs = d.quantities.map((q, i) => el("tr", {},
    el("td", {class: "num"}, (q.approx ? "~" : "") + fmtNum(q.value)), el("td", {}, el("mark", {}, q.text || "")),
    el("td", {}, [q.predicate, q.subject].filter(Boolean).join(" · ")),
    el("td", {}, d.facts[i] ? link("/conflicts", {story: a.story || "", status: "all"}, d.facts[i].split("/").slice(1).join("/")) : el("span", {class: "key"}, q.key))));
  show(el("h1", {}, a.title || shortId(a.id)),
    el("p", {class: "muted"}, (a.outlet || "?") + (a.published ? " · " + a.published : "") + " · ", sourceLink(a.source)),
    a.story ? el("p", {}, "Story: ", link("/story", {id: a.story}, shortId(a.story))) : null,
    el("div", {class: "chips"}, d.entities.map(e => link("/entity", {key: e.key}, e.name))),
    el("h2", {}, "Text"), body,
    el("h2", {}, "Figures (" + d.quantities.length + ")"),
    table([{t: "Value", num: 1}, "As written", "What", "Fact"], qs),
    el("h2", {}, "Who said what (" + d.attributions.length + ")"),
    table(["Speaker", "Cue", "What"], d.attributions.map(t => el("tr", {},
      el("td", {}, t.speaker ? (t.speaker.entity ? link("/entity", {key: t.speaker.entity}, t.speaker.text) : t.speaker.text) : "?"),
      el("td", {}, t.cue ? t.cue.text : ""), el("td", {}, t.content ? el("q", {class: "said"}, saidText(t.content)) : "")))));
}

async function pageSearch(p) {
  const q = p.get("q") || "";
  document.getElementById("q").value = q;
  const d = await api("search", {q: q});
  document.title = "Search · crossclaim";
  show(el("h1", {}, "Search: ", el("q", {}, q)),
    el("h2", {}, "Entities (" + d.entities.length + ")"),
    d.entities.length ? table(["Name", "Kind", "Also written as", {t: "Articles", num: 1}], d.entities.map(e => el("tr", {},
      el("td", {}, link("/entity", {key: e.key}, e.name)), el("td", {}, e.kind),
      el("td", {class: "muted"}, e.aliases.slice(0, 6).join(", ")), el("td", {class: "num"}, String(e.articles))))) :
      el("p", {class: "muted"}, "No entity by that name."),
    el("h2", {}, "Stories (" + d.stories.length + ")"),
    d.stories.length ? table(["Story", "Dates", {t: "Articles", num: 1}], d.stories.map(e => el("tr", {},
      el("td", {}, link("/story", {id: e.story.id}, e.story.title || shortId(e.story.id))), el("td", {}, dates(e.story)),
      el("td", {class: "num"}, String(e.story.articles))))) :
      el("p", {class: "muted"}, "No story title has it."));
}

const pages = {"/": pageStories, "/story": pageStory, "/conflicts": pageConflicts,
               "/entity": pageEntity, "/article": pageArticle, "/search": pageSearch};

async function main() {
  const p = new URLSearchParams(location.search);
  const page = pages[location.pathname] || pageStories;
  try {
    await page(p);
  } catch (e) {
    show(el("h1", {}, "Not shown"), el("p", {class: "error"}, String(e.message || e)),
      el("p", {}, link("/", {}, "The stories")));
  }
  document.body.setAttribute("data-ready", "1");
  try {
    const st = await api("stats");
    document.getElementById("stats").replaceChildren(document.createTextNode(
      st.articles + " articles · " + st.claims + " figures · " + st.attributions + " attributions · " +
      st.entities + " entities · " + st.conflicts + " conflicts · " + st.corroborated + " corroborated · seq " + st.seq));
  } catch (e) { /* the footer is a nicety */ }
}

document.addEventListener("DOMContentLoaded", main);
