"""The HTML report's stylesheet and script, inlined into every page (no file is fetched).

The script holds no data: it reads the `data-finding` / `data-findings` attributes the writer put on
findings and evidence marks. The page's Content-Security-Policy allows exactly these two blocks by
hash, so even markup that slipped past escaping could neither run nor load anything.
"""

from __future__ import annotations

CSS = """
:root {
  --ink: #1d1d1f; --muted: #5b5f66; --line: #d8d8dc; --paper: #ffffff; --panel: #f6f6f4;
  --ev-line: #a07800; --hl: #ffd23f; --hl-line: #6b4e00;
  --ok: #1b6e31; --warn: #8a5300; --bad: #b3261e; --note: #1f5a94; --focus: #1a56db;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: var(--paper); font: 15px/1.5 var(--sans);
  height: 100vh; display: grid; grid-template-rows: auto 1fr;
}
.bar {
  display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline;
  padding: .7rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel);
}
.bar h1 { font: 600 1.3rem/1.3 var(--serif); margin: 0; flex: 1 1 32rem; }
.bar .status { color: var(--muted); font-size: .9rem; flex: 1 1 20rem; }
.bar .engine { margin: 0; font-size: .9rem; color: var(--note); flex: 1 1 100%; order: 1; }
.workspace { display: grid; grid-template-columns: minmax(26rem, 2fr) 3fr; min-height: 0; }
.findings { overflow: auto; padding: .5rem 1.25rem 3rem; border-right: 1px solid var(--line); }
.findings h2 {
  font: 600 1.05rem/1.3 var(--sans); margin: 1.6rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--line);
}
.findings h3 { font: 600 .95rem/1.35 var(--sans); margin: 1rem 0 .3rem; }
.prose { font: 1rem/1.6 var(--serif); max-width: 70ch; }
/* One article beside its summary: both columns keep a readable line length. */
.workspace.single { grid-template-columns: minmax(22rem, 1fr) minmax(19rem, 1fr); }
.single .findings > * { max-width: 75ch; }
.single .source-text { max-width: calc(75ch + 2.2rem); }
.sources {
  display: grid; grid-auto-flow: column; grid-auto-columns: minmax(19rem, 1fr);
  overflow-x: auto; min-height: 0;
}
.source { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid var(--line); }
.source > header {
  padding: .6rem 1rem .5rem; border-bottom: 1px solid var(--line); background: var(--panel);
}
.source > header h2 { font: 600 1rem/1.3 var(--sans); margin: 0; }
.source > header p { margin: .15rem 0 0; color: var(--muted); font-size: .85rem; }
.source-text {
  position: relative; overflow: auto; flex: 1; padding: .9rem 1.1rem 40vh; margin: 0;
  font: 1.02rem/1.65 var(--serif); white-space: pre-wrap; overflow-wrap: anywhere;
}
.source-text:focus-visible { outline: 3px solid var(--focus); outline-offset: -3px; }
.sid { font: .62rem/1 var(--sans); color: var(--muted); vertical-align: super; margin-right: .15em; }
mark.ev {
  background: none; color: inherit; cursor: pointer;
  text-decoration: underline dotted var(--ev-line); text-underline-offset: .2em;
}
mark.ev.hl {
  background: var(--hl); text-decoration: underline solid var(--hl-line) 3px;
  text-decoration-skip-ink: none;
}
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.table-wrap { overflow-x: auto; }
th, td {
  text-align: left; vertical-align: top; padding: .35rem .45rem; border-bottom: 1px solid var(--line);
}
thead th { font-weight: 600; background: var(--panel); position: sticky; top: 0; }
td.num { color: var(--muted); width: 2rem; }
td.st { white-space: nowrap; }
ul.candidates { padding-left: 1.1rem; }
ul.candidates li { margin: .45rem 0; }
.finding { border-left: 3px solid transparent; border-radius: 2px; }
li.finding, div.finding { padding: .3rem .5rem; margin: .25rem 0; list-style: none; }
ul.findings-list { padding: 0; margin: 0; }
.finding:hover { background: #f1f4fa; }
.finding.selected { background: #fff8dc; border-left-color: var(--hl-line); }
tr.finding.selected td { background: #fff8dc; }
tr.finding.selected td:first-child { box-shadow: inset 3px 0 0 var(--hl-line); }
.finding.ungrounded, .finding.unsupported { border-left-color: var(--bad); }
/* Verification: claim, verdict lines, failed checks, the sentences it was checked against. */
.verdict-line { font-size: 1.05rem; }
.claim-text { margin: 0 0 .15rem; font: 1rem/1.5 var(--serif); }
.claim-text .num { color: var(--muted); margin-right: .2rem; }
.tok { text-decoration: underline wavy var(--bad) 1.5px; text-underline-offset: .22em; font-weight: 600; }
ul.checks, ul.evidence { margin: .25rem 0 .2rem; padding-left: 1.1rem; font-size: .88rem; }
ul.checks li, ul.evidence li { margin: .15rem 0; }
ul.evidence li { font-family: var(--serif); list-style: square; }
.against { display: block; color: var(--muted); }
.evidence-head { margin: .3rem 0 0; font-size: .8rem; color: var(--muted); }
button.pick {
  all: unset; cursor: pointer; display: inline; font: inherit; color: inherit;
  border-radius: 2px;
}
button.pick:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.refs { color: var(--muted); font-size: .8rem; margin-left: .35rem; white-space: nowrap; }
.flag { display: block; font-size: .85rem; margin-top: .15rem; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); }
.note { color: var(--note); } .dim { color: var(--muted); }
blockquote { margin: .35rem 0 .35rem .25rem; padding: .1rem .75rem; border-left: 3px solid var(--line); }
blockquote p { margin: 0; font: .98rem/1.5 var(--serif); }
blockquote footer { color: var(--muted); font-size: .85rem; }
.diff { font: .95rem/1.55 var(--serif); margin: .3rem 0; }
del { background: #fde2e1; color: #7d1a14; text-decoration: line-through; }
ins { background: #dcf2e0; color: #12521f; text-decoration: underline; }
.vh {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
details.prov summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
dl.kv {
  display: grid; grid-template-columns: max-content 1fr; gap: .15rem .9rem; font-size: .85rem;
  margin: .4rem 0;
}
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; overflow-wrap: anywhere; }
code { font: .85em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.legend { color: var(--muted); font-size: .85rem; }
.grounding-line { font-size: .95rem; }
@media (max-width: 60rem) {
  body { display: block; height: auto; }
  .workspace { display: block; }
  .findings, .source-text { overflow: visible; padding-bottom: 1.5rem; }
  .findings { border-right: 0; }
  .sources { display: block; }
  .source { border-top: 2px solid var(--line); }
}
@media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto !important; } }
@media print {
  @page { margin: 1.6cm; }
  body { display: block; height: auto; font-size: 10.5pt; }
  .bar { background: none; border-bottom: 2px solid #000; }
  .bar .status { display: none; }
  .workspace, .sources { display: block; }
  .findings, .source-text { overflow: visible; height: auto; padding: 0; }
  .findings { border: 0; }
  .source { break-before: page; border: 0; }
  .source > header { background: none; padding: 0 0 .5rem; }
  .source-text { white-space: pre-wrap; }
  mark.ev, mark.ev.hl { background: none; text-decoration: underline solid #000 1px; }
  .finding.selected, tr.finding.selected td { background: none; }
  .tok { text-decoration-color: #000; }
  thead th { position: static; background: none; }
  tr, li.finding, blockquote { break-inside: avoid; }
  a { color: inherit; }
}
"""

JS = """
(function () {
  "use strict";
  var live = document.getElementById("selection-status");
  var idle = live ? live.textContent : "";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function clear() {
    each("mark.hl", function (m) { m.classList.remove("hl"); });
    each(".finding.selected", function (f) { f.classList.remove("selected"); });
    each("button.pick[aria-pressed=true]", function (b) { b.setAttribute("aria-pressed", "false"); });
  }

  function select(id) {
    clear();
    var finding = document.querySelector('[data-finding="' + id + '"]');
    if (!finding) { if (live) { live.textContent = idle; } return; }
    finding.classList.add("selected");
    var button = finding.querySelector("button.pick");
    if (button) { button.setAttribute("aria-pressed", "true"); }
    var parts = [];
    each(".source", function (column) {
      var text = column.querySelector(".source-text");
      var marks = column.querySelectorAll('mark[data-findings~="' + id + '"]');
      var spans = column.querySelectorAll('mark[data-first~="' + id + '"]').length;
      Array.prototype.forEach.call(marks, function (m) { m.classList.add("hl"); });
      parts.push(column.getAttribute("data-outlet") + ": " + (spans ?
        spans + (spans === 1 ? " passage" : " passages") : "no evidence"));
      if (marks.length && text) {
        var top = marks[0].offsetTop - 48;
        text.scrollTo({ top: Math.max(top, 0), behavior: reduce ? "auto" : "smooth" });
      }
    });
    if (live) {
      var label = finding.getAttribute("data-label") || "finding";
      live.textContent = "Selected " + label + ". Highlighted evidence: " + parts.join("; ") + ".";
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var mark = target.closest("mark.ev");
    if (mark) {
      var first = (mark.getAttribute("data-findings") || "").split(" ")[0];
      var finding = first && document.querySelector('[data-finding="' + first + '"]');
      if (finding) {
        select(first);
        finding.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
      }
      return;
    }
    var link = target.closest('a[href^="#"]');
    if (link) {
      // an in-page link to a finding (the verification's list of unsupported claims) also selects it
      var to = document.getElementById(link.getAttribute("href").slice(1));
      var owner = to && to.closest("[data-finding]");
      if (owner) { select(owner.getAttribute("data-finding")); }
      return;
    }
    var holder = target.closest("[data-finding]");
    if (holder) { select(holder.getAttribute("data-finding")); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clear(); if (live) { live.textContent = idle; } }
  });
})();
"""
