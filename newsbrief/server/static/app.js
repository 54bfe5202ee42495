// newsbrief reader: plain JavaScript, no build step, no third-party code.
//
// Safety rule for this file: article text (and anything else from the
// server) reaches the page only through text nodes (`el()` children and
// `textContent`), never through an HTML parser (no inner/outer HTML, no
// document writes); links get an href only when it is http(s). The
// Content-Security-Policy forbids inline script anyway.
"use strict";

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);

  /** el("p", {class: "x", onclick: f}, "text", child) — the only way nodes are made. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function safeHref(url) {
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many || one + "s"}`;

  // --- status, errors, API calls

  function status(msg) {
    $("#status").textContent = msg || "";
  }

  function showError(detail, errors) {
    const box = $("#alert");
    box.replaceChildren(el("p", {}, detail));
    if (errors && errors.length) {
      box.append(el("ul", {}, errors.map((e) => el("li", {}, el("strong", {}, e.source), ": ", e.reason))));
    }
    box.hidden = false;
  }

  function clearError() {
    const box = $("#alert");
    box.hidden = true;
    box.replaceChildren();
  }

  class ApiError extends Error {
    constructor(status, detail, errors) {
      super(detail);
      this.status = status;
      this.errors = errors || [];
    }
  }

  async function api(path, options) {
    let resp;
    try {
      resp = await fetch(path, Object.assign({headers: {Accept: "application/json"}}, options));
    } catch (e) {
      throw new ApiError(0, "the server cannot be reached (is `newsbrief serve` still running?)");
    }
    let body = null;
    try {
      body = await resp.json();
    } catch (e) {
      body = null;
    }
    if (!resp.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${resp.status}`;
      throw new ApiError(resp.status, detail, body && body.errors);
    }
    return body;
  }

  // --- views and routing

  const views = ["new", "briefing", "stories", "search"];
  function show(name) {
    for (const v of views) $(`#view-${v}`).hidden = v !== name;
    for (const a of document.querySelectorAll("nav a[data-nav]")) {
      if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  let current = null; // the briefing on screen

  async function route() {
    clearError();
    status("");
    const storyFeed = $("link#story-feed"); // advertised only while a story is on screen
    if (storyFeed) storyFeed.remove();
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    const parts = path.split("/").filter(Boolean);
    if (parts.length === 0) {
      show("new");
      document.title = "newsbrief";
    } else if (parts[0] === "briefing") {
      if (!current) {
        const saved = sessionStorage.getItem("newsbrief.briefing");
        if (saved) current = JSON.parse(saved);
      }
      if (!current) {
        location.hash = "#/";
        return;
      }
      renderBriefing(current);
      show("briefing");
    } else if (parts[0] === "stories") {
      show("stories");
      await loadStories(params.get("order") === "recent" ? "recent" : "rank");
    } else if (parts[0] === "story" && parts[1]) {
      show("briefing");
      await loadStory(decodeURIComponent(parts[1]));
    } else if (parts[0] === "search") {
      show("search");
      $("#search-q").value = params.get("q") || "";
      await loadSearch(params.get("q") || "");
    } else {
      location.hash = "#/";
    }
  }

  // --- the form

  let articleCount = 0;
  function addArticleBox(focus) {
    articleCount += 1;
    const n = articleCount;
    const box = el("div", {class: "article-box"},
      el("div", {class: "article-head"},
        el("label", {for: `text-${n}`}, `Article ${n}`),
        el("button", {type: "button", class: "link remove", "aria-label": `Remove article ${n}`,
          onclick: () => { box.remove(); }}, "Remove")),
      el("textarea", {id: `text-${n}`, name: "text", rows: 6, class: "article-text",
        placeholder: "Paste the article text (or the page's HTML)"}),
      el("div", {class: "article-meta"},
        el("label", {for: `outlet-${n}`}, "Outlet"),
        el("input", {id: `outlet-${n}`, name: "outlet", type: "text", maxlength: 200, placeholder: "optional",
          class: "article-outlet"})));
    $("#article-boxes").append(box);
    if (focus) $("textarea", box).focus();
  }

  function formOptions() {
    const words = parseInt($("#words").value, 10);
    return {
      method: $("#method").value || undefined,
      words: Number.isFinite(words) && words > 0 ? words : undefined,
      analysis: $("#analysis").checked,
    };
  }

  async function submitBrief(ev) {
    ev.preventDefault();
    clearError();
    const texts = [...document.querySelectorAll(".article-box")].map((box) => ({
      text: $("textarea", box).value,
      outlet: $("input", box).value.trim() || undefined,
    })).filter((a) => a.text.trim());
    const urls = $("#urls").value.split("\n").map((u) => u.trim()).filter(Boolean);
    const files = [...$("#files").files];
    if (!texts.length && !urls.length && !files.length) {
      showError("Paste, upload or link at least one article (two or more make a cross-source briefing).");
      $("#text-1") ? $("#text-1").focus() : null;
      return;
    }
    const opts = formOptions();
    const keep = $("#store").checked;
    let request, storeRequest = null;
    if (files.length) {
      if (keep) {
        const form = new FormData();
        for (const f of files) form.append("files", f, f.name);
        for (const t of texts) form.append("text", t.text);
        for (const u of urls) form.append("url", u);
        storeRequest = {method: "POST", body: form};
      }
      const form = new FormData();
      for (const f of files) form.append("files", f, f.name);
      for (const t of texts) form.append("text", t.text);
      for (const u of urls) form.append("url", u);
      if (opts.method) form.append("method", opts.method);
      if (opts.words) form.append("words", String(opts.words));
      form.append("analysis", opts.analysis ? "true" : "false");
      request = {method: "POST", body: form};
    } else {
      const articles = texts.concat(urls.map((u) => ({url: u})));
      const json = {"Content-Type": "application/json", Accept: "application/json"};
      request = {method: "POST", headers: json, body: JSON.stringify(Object.assign({articles}, opts))};
      if (keep) storeRequest = {method: "POST", headers: json, body: JSON.stringify({articles})};
    }
    const button = $("#brief-button");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    status("Briefing… (the first briefing after start-up also loads the models)");
    try {
      const briefing = await api(files.length ? "/api/briefings/upload" : "/api/briefings", request);
      current = briefing;
      try {
        sessionStorage.setItem("newsbrief.briefing", JSON.stringify(briefing));
      } catch (e) { /* too big for session storage: only a reload loses it */ }
      status("");
      if (location.hash === "#/briefing") route(); else location.hash = "#/briefing";
      if (storeRequest) {
        try {
          const r = await api(files.length ? "/api/articles/upload" : "/api/articles", storeRequest);
          const ids = [...new Set(r.articles.map((a) => a.story_id).filter((x) => x !== null))];
          status(`Store: ${r.added} added, ${r.existing} already there` +
            (ids.length ? `; ${plural(ids.length, "story", "stories")} (${ids.join(", ")})` : "") + ".");
        } catch (e) {
          showError(`The briefing is ready, but the articles were not stored: ${e.message}`, e.errors);
        }
      }
    } catch (e) {
      status("");
      showError(e.message, e.errors);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  // --- the briefing

  let lastMarker = null; // the citation marker the reader came from

  /** How a source is named on buttons: its outlet, else its site, else a short title. */
  function sourceName(src) {
    if (src.outlet) return src.outlet;
    const href = src.url ? safeHref(src.url) : null;
    if (href) return new URL(href).host.replace(/^www\./, "");
    if (src.title) return src.title.length > 40 ? `${src.title.slice(0, 38).trimEnd()}…` : src.title;
    return src.id;
  }

  /** A summary sentence as [run, added] pieces: citations[0].text with its edits applied (see
   * newsbrief.model.pieces). Edit offsets count code points, as Python does, so the sentence is
   * cut as an array of code points, not UTF-16 units. A sentence without edits, or whose edits
   * do not match its cited sentence, is its `text`, unmarked. */
  function pieces(s) {
    const edits = Array.isArray(s.edits) ? [...s.edits].sort((a, b) => a.start - b.start) : [];
    const cited = s.citations && s.citations[0] ? s.citations[0].text : null;
    if (!edits.length || typeof cited !== "string") return [[s.text, false]];
    const cps = Array.from(cited);
    const out = [];
    let pos = 0;
    for (const e of edits) {
      if (e.start < pos || e.end > cps.length || cps.slice(e.start, e.end).join("") !== e.removed) {
        return [[s.text, false]];
      }
      if (e.start > pos) out.push([cps.slice(pos, e.start).join(""), false]);
      if (e.inserted) out.push([e.inserted, e.inserted.startsWith("[")]);
      pos = e.end;
    }
    if (pos < cps.length) out.push([cps.slice(pos).join(""), false]);
    return out;
  }

  /** The displayed sentence, built from text nodes: each run added for context in a span.added. */
  function sentenceText(s) {
    return el("span", {class: "sentence-text"}, pieces(s).map(([run, added]) =>
      added ? el("span", {class: "added", title: "added for context"}, run) : run));
  }

  function renderBriefing(b) {
    const view = $("#view-briefing");
    const byId = new Map(b.sources.map((s, i) => [s.id, {src: s, index: i}]));
    const name = (id) => (byId.has(id) ? sourceName(byId.get(id).src) : id);
    const colour = (id) => `src-${byId.has(id) ? byId.get(id).index % 8 : 0}`;

    /** A button that shows a cited sentence (and the sentences supporting it). */
    function jump(c, label, extra) {
      const button = el("button", {type: "button", class: `jump ${colour(c.source)}`,
        title: `${name(c.source)}, sentence ${c.sentence + 1}`,
        "aria-label": `Show in ${name(c.source)}, sentence ${c.sentence + 1}`,
        onclick: () => reveal(c, (extra && extra.support) || [], button)}, label || name(c.source));
      return button;
    }

    const title = b.sources.find((s) => s.title) ? b.sources.find((s) => s.title).title : b.id || "Briefing";
    document.title = `${title} · newsbrief`;
    const h1 = el("h1", {tabindex: -1, id: "briefing-title"}, title);
    const meta = el("p", {class: "meta"},
      plural(b.sources.length, "source"), " · ", plural(b.words, "word"), " · method ", b.method,
      b.id ? ` · story ${b.id}` : "");

    // Summary: each sentence with its numbered citation markers.
    let n = 0;
    const summary = el("section", {class: "summary", "aria-labelledby": "h-summary"},
      el("h2", {id: "h-summary"}, "Summary"),
      el("p", {class: "hint"}, "Each number cites the sentence the summary sentence comes from; the outlets after “also in” say the same; “disputed by” names outlets that give another value."),
      b.summary.some((s) => pieces(s).some(([, added]) => added)) ?
        el("p", {class: "hint legend"}, "Words in ", el("span", {class: "added-sample"}, "[brackets]"),
          " were added for context: they are not in the cited sentence.") : null,
      b.fusion ? el("p", {class: "hint legend"}, "Sentences marked ", el("span", {class: "generated-mark"}, "†"),
        ` were written by ${b.fusion.model} from the sentences they cite (click a number to read them) and checked: `,
        "every number, date, name, quantity and quotation in them is in those sentences; the wording is not checked.",
        b.fusion.refused ? ` ${plural(b.fusion.refused, "rewrite")} refused (unsupported, or not a fair rewrite): the cited sentences stand.` : "")
        : null,
      el("ol", {class: "summary-list"}, b.summary.map((s) => el("li", {class: s.generated ?
          "summary-sentence generated" : "summary-sentence", title: s.reason ? `As in the source: ${s.reason}` : null},
        sentenceText(s), s.generated ? el("span", {class: "generated-mark", title: "Written by a language model " +
          "from the cited sentences, checked against them"}, "†") : null, " ",
        s.citations.map((c) => {
          n += 1;
          const marker = el("button", {type: "button", class: `cite ${colour(c.source)}`, id: `cite-${n}`,
            dataset: {n: String(n), source: c.source, sentence: String(c.sentence)},
            "aria-label": `Citation ${n}: ${name(c.source)}, sentence ${c.sentence + 1}`,
            onclick: () => reveal(c, s.support, marker)}, `[${n}]`);
          return marker;
        }),
        s.support.length ? el("span", {class: "support"}, " also in ",
          s.support.map((x, i) => [i ? ", " : "", jump(x, name(x.source))])) : null,
        (s.disputed || []).length ? el("span", {class: "disputed-by", title: "These outlets give another value for this"},
          " disputed by ", s.disputed.map((x, i) => [i ? ", " : "", jump(x, name(x.source))])) : null))));

    const sections = [summary];
    if (b.errors && b.errors.length) {
      sections.push(el("section", {class: "skipped", "aria-labelledby": "h-skipped"},
        el("h2", {id: "h-skipped"}, "Skipped sources"),
        el("ul", {}, b.errors.map((e) => el("li", {}, el("strong", {}, e.source), ": ", e.reason)))));
    }
    // Analysis sections: each shown when the briefing has it.
    if (Array.isArray(b.facts)) sections.push(factsSection(b.facts, b.sources, name, jump));
    if (Array.isArray(b.agreements)) sections.push(agreementsSection(b.agreements, b.sources.length, name, jump));
    if (Array.isArray(b.contradictions)) sections.push(contradictionsSection(b.contradictions, name, jump, colour));
    if (Array.isArray(b.quotes)) sections.push(quotesSection(b.quotes, name, jump));
    if (Array.isArray(b.entities)) sections.push(peopleSection(b.entities, b.relations || [], name, jump));
    if (Array.isArray(b.timeline)) sections.push(timelineSection(b.timeline, jump));

    const sources = el("aside", {class: "sources", "aria-labelledby": "h-sources", id: "sources"},
      el("h2", {id: "h-sources"}, "Sources"),
      b.sources.map((s, i) => sourceCard(s, i)));

    const download = el("button", {type: "button", class: "secondary", onclick: () => {
      const blob = new Blob([JSON.stringify(b, null, 1)], {type: "application/json"});
      const a = el("a", {href: URL.createObjectURL(blob), download: `${(b.id || "briefing").replace(/[^\w.-]+/g, "-")}.json`});
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }}, "Download JSON");

    view.replaceChildren(
      el("header", {class: "briefing-head"}, h1, meta, el("div", {class: "actions"}, download,
        el("a", {href: "#/", class: "button secondary"}, "New briefing"))),
      el("div", {class: "briefing-layout"},
        el("div", {class: "col-main"}, sections),
        sources));
    window.scrollTo(0, 0); // the form was scrolled to its button: start the briefing at its top
    h1.focus({preventScroll: true});
  }

  function sourceCard(s, i) {
    const body = el("div", {class: "source-text", tabindex: 0, "aria-label": `Text of ${sourceName(s)}`});
    let pos = 0;
    s.sentences.forEach(([start, end], j) => {
      if (start > pos) body.append(document.createTextNode(s.text.slice(pos, start)));
      body.append(el("span", {class: "sent", id: sentenceId(s.id, j), tabindex: -1,
        dataset: {source: s.id, sentence: String(j)}}, s.text.slice(start, end)));
      pos = end;
    });
    if (pos < s.text.length) body.append(document.createTextNode(s.text.slice(pos)));
    const href = s.url ? safeHref(s.url) : null;
    const back = el("button", {type: "button", class: "link back", hidden: true,
      onclick: () => { if (lastMarker) { lastMarker.focus(); lastMarker.scrollIntoView({block: "center"}); } }},
    "Back to the citation");
    return el("article", {class: `source src-${i % 8}`, id: `source-${i}`, dataset: {source: s.id},
      "aria-labelledby": `source-h-${i}`},
      el("header", {},
        el("h3", {id: `source-h-${i}`}, el("span", {class: `dot src-${i % 8}`, "aria-hidden": "true"}), sourceName(s)),
        s.title && s.title !== sourceName(s) ? el("p", {class: "source-title"}, s.title) : null,
        el("p", {class: "source-meta"},
          s.published ? `${s.published} · ` : "",
          href ? el("a", {href, rel: "noopener noreferrer nofollow", target: "_blank"}, new URL(href).host) :
            (s.path ? s.path : s.id),
          ` · ${plural(s.sentences.length, "sentence")}`,
          s.dropped && s.dropped.length ? ` · ${s.dropped.length} boilerplate line(s) removed` : ""),
        back),
      body);
  }

  function sentenceId(source, j) {
    return `s-${source.replace(/[^\w-]/g, "_")}-${j}`;
  }

  function findSentence(c) {
    return [...document.querySelectorAll("#view-briefing .sent")].find(
      (x) => x.dataset.source === c.source && x.dataset.sentence === String(c.sentence)) || null;
  }

  /** Scroll a source card (not the page) so that `node` sits a third of the way down. */
  function scrollWithin(node) {
    const box = node.closest(".source-text");
    if (!box) return;
    const delta = node.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += delta - box.clientHeight / 3;
  }

  function reveal(c, support, from) {
    for (const x of document.querySelectorAll("#view-briefing .hl, #view-briefing .hl-support")) {
      x.classList.remove("hl", "hl-support");
      x.removeAttribute("aria-current");
    }
    for (const x of document.querySelectorAll("#view-briefing .cite.active")) x.classList.remove("active");
    const target = findSentence(c);
    if (!target) {
      status(`The cited sentence (${c.source}, ${c.sentence + 1}) is not in this briefing.`);
      return;
    }
    lastMarker = from || null;
    if (from) from.classList.add("active");
    for (const s of support || []) {
      const node = findSentence(s);
      if (node && node !== target) {
        node.classList.add("hl-support");
        scrollWithin(node);
      }
    }
    target.classList.add("hl");
    target.setAttribute("aria-current", "true");
    for (const b of document.querySelectorAll("#view-briefing .source .back")) b.hidden = true;
    const card = target.closest(".source");
    if (card && from) $(".back", card).hidden = false;
    scrollWithin(target);
    target.scrollIntoView({block: "nearest", behavior: "instant"});
    target.focus({preventScroll: true});
    const also = (support || []).length ? `; ${plural(support.length, "other source")} say the same` : "";
    status(`Showing sentence ${c.sentence + 1} of ${sourceLabel(c.source)}${also}.`);
  }

  function sourceLabel(id) {
    const card = [...document.querySelectorAll("#view-briefing .source")].find((x) => x.dataset.source === id);
    return card ? $("h3", card).textContent : id;
  }

  function section(id, title, intro, ...body) {
    return el("section", {class: `analysis ${id}`, "aria-labelledby": `h-${id}`},
      el("h2", {id: `h-${id}`}, title), intro ? el("p", {class: "hint"}, intro) : null, body);
  }

  function none(what) {
    return el("p", {class: "empty"}, `No ${what} found.`);
  }

  function agreementsSection(items, total, name, jump) {
    const count = (a) => a.independent || a.sources.length;
    const sorted = [...items].sort((a, b) => count(b) - count(a) || b.score - a.score);
    return section("agreements", "What the sources agree on",
      "Statements that two or more independent outlets make. Copies of one article, and one outlet's articles, count once.",
      sorted.length ? el("ul", {class: "cards"}, sorted.map((a) => el("li", {class: "card"},
        el("span", {class: "badge", title: "Independent sources that make this statement"},
          `${count(a)} of ${total} sources`),
        el("p", {}, a.text),
        el("p", {class: "evidence"}, "Evidence: ", a.citations.map((c, i) => [i ? " " : "", jump(c)])),
        (a.copies || []).length ? el("p", {class: "note"}, "Repeated by ", a.copies.map(name).join(", "),
          " (not counted: a copy)") : null))) :
        none("agreements"));
  }

  const CELL = {reports: ["✓", "reports it"], contradicts: ["✗", "gives another value"],
    copy: ["copy", "repeats a cited article"], absent: ["—", "no matching sentence found"]};

  function factsSection(facts, sources, name, jump) {
    const head = el("tr", {}, el("th", {scope: "col"}, "Fact"),
      sources.map((s) => el("th", {scope: "col"}, name(s.id))));
    const rows = facts.map((f) => {
      const cells = new Map(f.cells.map((c) => [c.source, c]));
      return el("tr", {class: f.disputed ? "disputed" : null},
        el("th", {scope: "row"}, f.disputed ? el("strong", {}, "Disputed: ") : null, f.text),
        sources.map((s) => {
          const c = cells.get(s.id);
          if (!c) return el("td", {});
          const [mark, says] = CELL[c.status] || [c.status, c.status];
          return el("td", {class: `cell ${c.status}`, title: `${name(s.id)}: ${says}`},
            el("span", {"aria-label": says}, mark),
            c.value && f.disputed ? el("span", {class: "value"}, ` ${c.value}`) : null,
            c.citation ? [" ", jump(c.citation, `s${c.citation.sentence + 1}`)] : null);
        }));
    });
    return section("facts", "Fact table",
      "The main facts against every source: ✓ reports it, ✗ gives another value, copy repeats a cited article, — no matching sentence found (which is weaker than \"does not say\").",
      facts.length ? el("div", {class: "table-wrap"}, el("table", {class: "facts"}, el("thead", {}, head),
        el("tbody", {}, rows))) : none("facts shared by two or more sources"));
  }

  function contradictionsSection(items, name, jump, colour) {
    return section("contradictions", "Where the sources differ", "The conflicting sentences, side by side.",
      items.length ? items.map((c) => el("div", {class: "card contradiction"},
        el("h3", {}, c.subject, el("span", {class: "kind"}, ` (${c.kind})`)),
        c.note ? el("p", {class: "note"}, c.note) : null,
        el("div", {class: "side-by-side"}, c.citations.map((x, i) => el("div", {class: `side ${colour(x.source)}`},
          el("p", {class: "side-source"}, name(x.source)),
          c.values[i] !== undefined ? el("p", {class: "value"}, c.values[i]) : null,
          el("blockquote", {}, x.text),
          jump(x, "Show in the article")))))) : none("contradictions"));
  }

  function quotesSection(quotes, name, jump) {
    const groups = new Map();
    for (const q of quotes) {
      const key = q.speaker || "Speaker not named";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(q);
    }
    const ordered = [...groups.entries()].sort((a, b) =>
      (a[0] === "Speaker not named") - (b[0] === "Speaker not named") || b[1].length - a[1].length);
    return section("quotes", "Quotes", "Direct quotes grouped by speaker, with every outlet that carried them.",
      quotes.length ? ordered.map(([speaker, qs]) => el("div", {class: "quote-group"},
        el("h3", {}, speaker, el("span", {class: "count"}, ` · ${plural(qs.length, "quote")}`)),
        el("ul", {}, qs.map((q) => el("li", {class: "quote"},
          el("q", {}, q.text),
          q.via ? el("span", {class: "via"}, ` (via ${q.via})`) : null,
          el("span", {class: "evidence"}, " ", q.citations.map((c, i) => [i ? " " : "", jump(c)]))))))) :
        none("quotes"));
  }

  function peopleSection(entities, relations, name, jump) {
    const total = (e) => Object.values(e.mentions_per_source || {}).reduce((x, y) => x + y, 0);
    const people = entities.filter((e) => e.type === "PERSON").sort((a, b) => total(b) - total(a));
    const orgs = entities.filter((e) => e.type === "ORG").sort((a, b) => total(b) - total(a));
    const row = (e) => el("li", {class: "entity"},
      el("strong", {}, e.name),
      e.roles && e.roles.length ? el("span", {class: "roles"}, ` — ${e.roles.slice(0, 3).join("; ")}`) : null,
      el("span", {class: "mentions"}, ` · ${plural(total(e), "mention")} in ${plural(Object.keys(e.mentions_per_source || {}).length, "source")}`),
      e.mentions && e.mentions.length ? [" ", jump(e.mentions[0], "first mention")] : null);
    const list = (items, label) => {
      if (!items.length) return null;
      const top = items.slice(0, 10), rest = items.slice(10);
      return el("div", {class: "entity-list"}, el("h3", {}, label),
        el("ul", {}, top.map(row)),
        rest.length ? el("details", {}, el("summary", {}, `${rest.length} more`), el("ul", {}, rest.map(row))) : null);
    };
    return section("people", "People and organisations", null,
      entities.length ? [list(people, "People"), list(orgs, "Organisations"), relationGraph(relations, jump)] :
        none("people or organisations"));
  }

  function relationGraph(relations, jump) {
    if (!relations.length) return el("p", {class: "empty"}, "No relations between people found.");
    const nodes = new Map();
    for (const r of relations) {
      nodes.set(r.source, r.source_name);
      nodes.set(r.target, r.target_name);
    }
    const ids = [...nodes.keys()];
    const W = 720, H = 460;
    const at = layout(ids, relations, W, H);
    const cx = W / 2;
    const g = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "graph", role: "img",
      "aria-label": `Relation graph of ${ids.length} people and organisations; the list below says the same`});
    for (const r of relations) {
      const [x1, y1] = at.get(r.source), [x2, y2] = at.get(r.target);
      g.append(svg("line", {x1, y1, x2, y2, class: "edge"}, svg("title", {}, `${r.source_name} ${r.kind.replace(/_/g, " ")} ${r.target_name}`)));
      g.append(svg("text", {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, class: "edge-label", "text-anchor": "middle"},
        r.kind.replace(/_/g, " ")));
    }
    for (const id of ids) {
      const [x, y] = at.get(id);
      g.append(svg("circle", {cx: x, cy: y, r: 7, class: "node"}));
      const anchor = x < cx - 40 ? "end" : x > cx + 40 ? "start" : "middle";
      const dx = anchor === "end" ? -10 : anchor === "start" ? 10 : 0;
      g.append(svg("text", {x: x + dx, y: anchor === "middle" ? y - 11 : y + 4, class: "node-label",
        "text-anchor": anchor}, nodes.get(id)));
    }
    return el("div", {class: "relations"}, el("h3", {}, "Who is connected to whom"), g,
      el("ul", {class: "relation-list"}, relations.map((r) => el("li", {},
        el("strong", {}, r.source_name), ` ${r.kind.replace(/_/g, " ")} `, el("strong", {}, r.target_name), " ",
        r.citations.map((c, i) => [i ? " " : "", jump(c)])))));
  }

  /** A small force-directed layout (deterministic: starts on a circle). */
  function layout(ids, relations, W, H) {
    const n = ids.length, index = new Map(ids.map((id, i) => [id, i]));
    const pos = ids.map((_, i) => {
      const a = (2 * Math.PI * i) / n;
      return [W / 2 + (W / 3) * Math.cos(a), H / 2 + (H / 3) * Math.sin(a)];
    });
    const edges = relations.map((r) => [index.get(r.source), index.get(r.target)]);
    const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.5;
    for (let step = 0; step < 300; step++) {
      const disp = pos.map(() => [0, 0]);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = pos[i][0] - pos[j][0], dy = pos[i][1] - pos[j][1];
          const d = Math.max(Math.hypot(dx, dy), 1), f = (k * k) / d;
          disp[i][0] += (dx / d) * f; disp[i][1] += (dy / d) * f;
          disp[j][0] -= (dx / d) * f; disp[j][1] -= (dy / d) * f;
        }
      }
      for (const [a, b] of edges) {
        const dx = pos[a][0] - pos[b][0], dy = pos[a][1] - pos[b][1];
        const d = Math.max(Math.hypot(dx, dy), 1), f = (d * d) / (2 * k);
        disp[a][0] -= (dx / d) * f; disp[a][1] -= (dy / d) * f;
        disp[b][0] += (dx / d) * f; disp[b][1] += (dy / d) * f;
      }
      pos.forEach((p, i) => { // gravity keeps separate groups on the canvas
        disp[i][0] += W / 2 - p[0];
        disp[i][1] += (H / 2 - p[1]) * 1.6;
      });
      const t = 30 * (1 - step / 300) + 1;
      pos.forEach((p, i) => {
        const d = Math.max(Math.hypot(disp[i][0], disp[i][1]), 1e-9);
        p[0] = Math.min(W - 160, Math.max(160, p[0] + (disp[i][0] / d) * Math.min(d, t)));
        p[1] = Math.min(H - 25, Math.max(25, p[1] + (disp[i][1] / d) * Math.min(d, t)));
      });
    }
    return new Map(ids.map((id, i) => [id, pos[i]]));
  }

  function timelineSection(events, jump) {
    return section("timeline", "Timeline", "Dated events, earliest first.",
      events.length ? el("ol", {class: "timeline-list"}, events.map((t) => el("li", {},
        el("time", {datetime: /^\d{4}(-\d\d){0,2}$/.test(t.date) ? t.date : null}, t.date.replace("/", "–")),
        t.relative ? el("span", {class: "relative"}, ` (${t.relative})`) : null,
        el("p", {}, t.text),
        el("span", {class: "evidence"}, t.citations.map((c, i) => [i ? " " : "", jump(c)]))))) : none("dated events"));
  }

  // --- stories and search (the store)

  /** The story list: ranked (independent outlets and freshness, the default) or newest first. */
  async function loadStories(order) {
    const view = $("#view-stories");
    const ranked = order === "rank";
    const orders = el("p", {class: "orders"}, "Order: ",
      el("a", {href: "#/stories", "aria-current": ranked ? "page" : null}, "top stories"), " · ",
      el("a", {href: "#/stories?order=recent", "aria-current": ranked ? null : "page"}, "newest first"), " · ",
      el("a", {href: "/feeds/stories.atom", type: "application/atom+xml"}, "follow in a feed reader"));
    view.replaceChildren(el("h1", {tabindex: -1}, "Stories"), el("p", {class: "status"}, "Loading…"));
    try {
      const stories = await api(`/api/stories?order=${ranked ? "rank" : "recent"}`);
      const list = Array.isArray(stories) ? stories : stories.stories || [];
      view.replaceChildren(el("h1", {tabindex: -1}, "Stories"), orders,
        el("p", {class: "hint"}, `${plural(list.length, "story", "stories")} in the store, ` + (ranked ?
          "most independent outlets and freshest first (each doubling of outlets counts as much as a day)." :
          "newest first.")),
        list.length ? el("ul", {class: "story-list"}, list.map(storyItem)) :
          el("p", {class: "empty"}, "The store is empty. Add articles with `newsbrief ingest` or POST /api/articles."));
    } catch (e) {
      view.replaceChildren(el("h1", {tabindex: -1}, "Stories"));
      showError(e.message, e.errors);
    }
  }

  function storyItem(s) {
    return el("li", {class: "card story"},
      el("a", {href: `#/story/${encodeURIComponent(s.id)}`}, s.title || `Story ${s.id}`),
      el("p", {class: "meta"}, plural(s.size, "article"),
        typeof s.independent_outlets === "number" ?
          ` · ${plural(s.independent_outlets, "independent outlet")}` : "",
        s.outlets && s.outlets.length ? ` · ${s.outlets.join(", ")}` : "",
        s.last_seen ? ` · last seen ${s.last_seen}` : ""));
  }

  async function loadStory(id) {
    const view = $("#view-briefing");
    view.replaceChildren(el("p", {class: "status"}, "Briefing the story…"));
    try {
      const b = await api(`/api/stories/${encodeURIComponent(id)}/briefing`);
      current = b;
      renderBriefing(b);
      followLink(id);
      whatsNew(id);
    } catch (e) {
      view.replaceChildren(el("h1", {tabindex: -1}, `Story ${id}`));
      showError(e.message, e.errors);
    }
  }

  /** "Follow in a feed reader": the story's Atom feed, linked under its title and advertised in the head. */
  function followLink(id) {
    const href = `/feeds/story/${encodeURIComponent(id)}.atom`;
    const title = $("#briefing-title");
    if (title) {
      title.after(el("p", {class: "follow"}, el("a", {href, type: "application/atom+xml", id: "follow-story"},
        "Follow this story in a feed reader"), " (an Atom feed: an entry each time it gains articles)"));
    }
    let link = $("link#story-feed");
    if (!link) {
      link = el("link", {rel: "alternate", type: "application/atom+xml", id: "story-feed"});
      document.head.append(link);
    }
    link.setAttribute("href", href);
    link.setAttribute("title", `newsbrief: story ${id}`);
  }

  /** "What's new since version N": a picker of the story's earlier versions, and what the story gained
   * since the one picked (GET /api/stories/ID/changes): changed values and new facts, each citing its
   * sentence (shown in its source card when the briefing has it, else quoted in place). */
  async function whatsNew(id) {
    const main = $("#view-briefing .col-main");
    let versions;
    try {
      versions = await api(`/api/stories/${encodeURIComponent(id)}/versions`);
    } catch (e) {
      return; // an older server, or a store that cannot be read: the briefing stands without it
    }
    if (!main || !Array.isArray(versions) || versions.length < 2) return;
    const when = (v) => (v.created || "").slice(0, 16).replace("T", " ");
    const picker = el("select", {id: "since-version", "aria-label": "Show what is new since this version"},
      versions.slice(0, -1).reverse().map((v) => el("option", {value: String(v.version)},
        `version ${v.version} (${when(v)} UTC, ${plural(v.articles.length, "article")})`)));
    const body = el("div", {class: "changes-body", "aria-live": "polite"});
    const box = el("section", {class: "analysis whats-new", "aria-labelledby": "h-whats-new"},
      el("h2", {id: "h-whats-new"}, "What's new"),
      el("p", {class: "hint"}, el("label", {for: "since-version"}, "Since "), picker,
        " — new outlets, changed values and new facts (sentences no earlier article supports), each cited."),
      body);
    main.prepend(box);
    const load = async () => {
      body.replaceChildren(el("p", {class: "status"}, "Comparing…"));
      try {
        const c = await api(`/api/stories/${encodeURIComponent(id)}/changes?since=${encodeURIComponent(picker.value)}`);
        body.replaceChildren(...changesView(c));
      } catch (e) {
        body.replaceChildren(el("p", {class: "error"}, e.message));
      }
    };
    picker.addEventListener("change", load);
    await load();
  }

  /** A cited sentence one click away: highlighted in its source card, or quoted here when the
   * briefing no longer holds its article (an earlier text an update replaced). */
  function changeCite(c, outlet, label) {
    const quote = el("blockquote", {class: "cited-inline", hidden: true}, c.text, " — ", outlet || c.source);
    const button = el("button", {type: "button", class: "jump", title: `${outlet || c.source}, sentence ${c.sentence + 1}`,
      onclick: () => {
        if (findSentence(c)) reveal(c, [], button);
        else quote.hidden = !quote.hidden;
      }}, label || outlet || c.source);
    return [button, quote];
  }

  function changesView(c) {
    const out = [];
    const since = c.since.version ? `version ${c.since.version}` : "the story began";
    if (!c.new_articles.length) return [el("p", {class: "empty"}, `Nothing has changed since ${since}.`)];
    out.push(el("p", {class: "meta"}, `Since ${since}: ${plural(c.new_articles.length, "new article")}`,
      c.new_outlets.length ? ` · new outlets: ${c.new_outlets.join(", ")}` : " · no new outlet"));
    if (c.changed_values.length) {
      out.push(el("h3", {}, "Changed values"), el("ul", {class: "changed-values"}, c.changed_values.map((v) =>
        el("li", {}, el("strong", {}, v.subject), ": ", el("del", {}, v.old), " → ", el("ins", {}, v.new), " ",
          changeCite(v.before, v.old_outlet, "before"), " ", changeCite(v.after, v.new_outlet, "now")))));
    }
    out.push(el("h3", {}, "New facts"));
    out.push(c.new_facts.length ? el("ol", {class: "new-facts"}, c.new_facts.map((f) =>
      el("li", {}, f.text, " ", changeCite(f.citation, f.outlet),
        f.support.length ? el("span", {class: "support"}, " also in ",
          f.support.map((x, i) => [i ? ", " : "", changeCite(x, null)])) : null))) :
      el("p", {class: "empty"}, "No new fact: the new articles say what the story said before."));
    if (c.more_facts) out.push(el("p", {class: "hint"}, `… and ${plural(c.more_facts, "more new sentence")}, less central.`));
    return out;
  }

  async function loadSearch(q) {
    const view = $("#view-search");
    const head = el("h1", {tabindex: -1}, q ? `Search: ${q}` : "Search");
    if (!q.trim()) {
      view.replaceChildren(head, el("p", {class: "hint"}, "Type words to find in stories and articles."));
      return;
    }
    view.replaceChildren(head, el("p", {class: "status"}, "Searching…"));
    try {
      const hits = await api(`/api/search?q=${encodeURIComponent(q)}`);
      const list = Array.isArray(hits) ? hits : hits.hits || [];
      view.replaceChildren(head, el("p", {class: "hint"}, plural(list.length, "result")),
        el("ul", {class: "hits"}, list.map((h) => el("li", {class: "card hit"},
          h.story_id !== null && h.story_id !== undefined ?
            el("a", {href: `#/story/${encodeURIComponent(h.story_id)}`}, h.title || `Story ${h.story_id}`) :
            el("strong", {}, h.title || h.source || `Article ${h.id}`),
          el("span", {class: "kind"}, ` · ${h.kind}`),
          h.snippet ? el("p", {class: "snippet"}, marked(h.snippet)) : null,
          h.source ? el("p", {class: "meta"}, h.source) : null))));
    } catch (e) {
      view.replaceChildren(head);
      showError(e.message, e.errors);
    }
  }

  /** The store's snippet marks matches as [word]: show them as <mark>, as text nodes. */
  function marked(snippet) {
    return snippet.split(/\[([^\]]*)\]/).map((part, i) => (i % 2 ? el("mark", {}, part) : part));
  }

  // --- start

  async function start() {
    for (let i = 0; i < 3; i++) addArticleBox(false);
    $("#add-article").addEventListener("click", () => addArticleBox(true));
    $("#brief-form").addEventListener("submit", submitBrief);
    $("#search-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = `#/search?q=${encodeURIComponent($("#search-q").value.trim())}`;
    });
    $("#skip").addEventListener("click", (ev) => {
      ev.preventDefault();
      $("#main").focus();
    });
    window.addEventListener("hashchange", route);
    try {
      const cfg = await api("/api/config");
      $("#method").replaceChildren(...cfg.methods.map((m) =>
        el("option", {value: m, selected: m === cfg.default_method}, m === cfg.default_method ? `${m} (default)` : m)));
      $("#words").max = String(cfg.limits.max_summary_words);
      $("#url-fieldset").hidden = !cfg.fetch;
      const mb = (n) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
      $("#limits").textContent = `Up to ${cfg.limits.max_articles} articles of ${mb(cfg.limits.max_article_bytes)} each.`;
    } catch (e) {
      showError(e.message);
    }
    await route();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
