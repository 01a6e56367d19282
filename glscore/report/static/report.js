/* glscore report: sorting and filtering, this project's own (no library).
 *
 * A click (or Enter) on a column header of a table.sortable sorts its rows by
 * that column: numbers numerically, by a cell's data-v when it has one; again
 * to reverse. An input.filter hides the rows of its table (data-table), or of
 * every table.board when it names none, that do not contain the typed text.
 */
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
