"""Small HTML building blocks of the static report: pages, cells, tables.

Every page carries its own style sheet and script inline (:data:`CSS`,
:data:`SCRIPT`), so a page opened from disk makes no request at all. The
script is this project's own (no library): a click on a column header of a
``table.sortable`` sorts its rows by that column (numbers numerically, by a
cell's ``data-v`` when it has one; again to reverse), and an
``input.filter`` hides the rows of its table (or of every board, for the
global filter) that do not contain the typed text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from glscore.figures.style import LEVEL_COLORS

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
padding:0 1rem 3rem;color:#1b1b1b}
header{border-bottom:1px solid #ddd;margin-bottom:1rem}
nav a{margin-right:1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #eee}h3{margin-bottom:.2rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}
th,td{padding:.2rem .5rem;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f4f4f4;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td.t,th.t{text-align:left}
td.lv{font-weight:600}
.explain td:nth-child(-n+2),.explain th:nth-child(-n+2){text-align:left}
.meta{color:#555;margin:.1rem 0}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.3rem;border-radius:3px}
.cov{display:inline-block;height:.6rem;background:#0072B2;vertical-align:middle;margin-left:.3rem}
input.filter{margin:.2rem 0;padding:.2rem .4rem;min-width:16rem}
details{margin:.3rem 0}summary{cursor:pointer}
code{background:#f4f4f4;padding:0 .2rem}
"""

SCRIPT = """
(function () {
  "use strict";
  function key(cell) {
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    var n = parseFloat(v);
    return v.trim() !== "" && !isNaN(n) && isFinite(v) ? n : v.trim().toLowerCase();
  }
  function compare(x, y) {
    if (typeof x === typeof y) { return x < y ? -1 : (x > y ? 1 : 0); }
    if (x === "") { return 1; }
    if (y === "") { return -1; }
    return typeof x === "number" ? -1 : 1;
  }
  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = compare(key(a.cells[index]), key(b.cells[index]));
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function filter(tables, text) {
    var q = text.trim().toLowerCase();
    tables.forEach(function (t) {
      Array.prototype.forEach.call(t.tBodies[0].rows, function (r) {
        r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.tHead.querySelectorAll("th").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(table, th); } });
    });
  });
  document.querySelectorAll("input.filter").forEach(function (input) {
    var target = input.getAttribute("data-table");
    var tables = target ? [document.getElementById(target)]
                        : Array.prototype.slice.call(document.querySelectorAll("table.board"));
    input.addEventListener("input", function () { filter(tables, input.value); });
  });
}());
"""


def esc(value: object) -> str:
    """HTML-escaped text (quotes too)."""
    return html.escape(str(value), quote=True)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#RRGGBB``):
    white where the relative luminance ``0.2126 R + 0.7152 G + 0.0722 B`` (sRGB
    linearised) is below 0.179, the point of equal contrast."""
    channels = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if luminance < 0.179 else "#000000"


def level_cell(level: int) -> str:
    """A ``Level-k`` cell in the level's house colour (:data:`LEVEL_COLORS`)."""
    name = f"Level-{int(level)}"
    colour = LEVEL_COLORS[name]
    return (f'<td class="lv" data-v="{int(level)}" style="background:{colour};'
            f'color:{text_colour(colour)}">{name}</td>')


def number_cell(value: float | int | None, decimals: int = 2) -> str:
    """A right-aligned number (two decimals for floats); empty where missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '<td data-v=""></td>'
    if isinstance(value, int):
        return f'<td data-v="{value}">{value}</td>'
    return f'<td data-v="{value!r}">{value:.{decimals}f}</td>'


def coverage_cell(supported: int, tasks: int) -> str:
    """``supported/tasks (p%)`` with a bar; sorted by the fraction."""
    frac = supported / tasks if tasks else 0.0
    width = round(frac * 4, 2)
    return (f'<td data-v="{frac!r}">{supported}/{tasks} ({frac:.0%})'
            f'<span class="cov" style="width:{width}rem"></span></td>')


def text_cell(content: str) -> str:
    """A left-aligned cell holding ``content`` (already HTML)."""
    return f'<td class="t">{content}</td>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, table_id: str | None = None,
          sortable: bool = True, board: bool = False, text_columns: Sequence[int] = ()) -> str:
    """A ``<table>`` from header labels and rows of ready ``<td>`` strings."""
    classes = " ".join(c for c, on in (("sortable", sortable), ("board", board)) if on)
    ident = f' id="{esc(table_id)}"' if table_id else ""
    left = ' class="t"'
    head = "".join(f"<th{left if i in text_columns else ''}>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    return (f'<table class="{classes}"{ident}><thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table>")


def legend() -> str:
    """The level colours, as a line of swatches."""
    spans = "".join(f'<span style="background:{c};color:{text_colour(c)}">{esc(n)}</span>'
                    for n, c in LEVEL_COLORS.items())
    return f'<p class="legend">Levels: {spans}</p>'


def page(title: str, body: str, root: str = "") -> str:
    """A whole HTML page; ``root`` is the relative path to the report's top."""
    nav = (f'<nav><a href="{root}index.html">Leaderboards</a>'
           f'<a href="{root}index.html#models">Models</a>'
           f'<a href="{root}index.html#notebooks">Notebooks</a></nav>')
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"<header>{nav}<h1>{esc(title)}</h1></header>\n{body}\n"
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
