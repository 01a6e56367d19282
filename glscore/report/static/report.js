/* glscore report: sorting and filtering, this project's own (no library; offline).
 *
 * Sorting: a click (or Enter) on a column header of a table.sortable sorts its
 * rows by that column: numbers numerically, by a cell's data-v when it has
 * one; again to reverse.
 *
 * Filtering: a row of a table.board is shown when it passes every filter:
 *   - the text of the page's global box (an input.filter without data-table)
 *     and of its own table's box (input.filter[data-table=<table id>]);
 *   - the facets of a form.facets, matched against the row's data-* attributes
 *     (written from data/models.csv by the build): every checked modality in
 *     data-mod, the size bin data-size, the group data-group, the base language
 *     model data-base, and "only your models" data-origin="input".
 * A row without data-group (a task, a board summary) is filtered by text only.
 * The form's output says how many model rows are shown.
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
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.tHead.querySelectorAll("th").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(table, th); } });
    });
  });

  var form = document.querySelector("form.facets");
  var globalBox = document.querySelector("input.filter:not([data-table])");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.board"));

  function facets() {
    if (!form) { return null; }
    var mods = Array.prototype.map.call(
      form.querySelectorAll("input[name=mod]:checked"), function (i) { return i.value; });
    var only = form.querySelector("input[name=origin]");
    return {
      mods: mods,
      size: form.elements.size ? form.elements.size.value : "",
      group: form.elements.group ? form.elements.group.value : "",
      base: form.elements.base ? form.elements.base.value : "",
      input: !!(only && only.checked)
    };
  }
  function passesFacets(row, f) {
    if (!f || !row.hasAttribute("data-group")) { return true; }
    var mods = (row.getAttribute("data-mod") || "").split(" ");
    for (var k = 0; k < f.mods.length; k++) {
      if (mods.indexOf(f.mods[k]) < 0) { return false; }
    }
    if (f.size && row.getAttribute("data-size") !== f.size) { return false; }
    if (f.group && row.getAttribute("data-group") !== f.group) { return false; }
    if (f.base && row.getAttribute("data-base") !== f.base) { return false; }
    if (f.input && row.getAttribute("data-origin") !== "input") { return false; }
    return true;
  }
  function contains(row, text) {
    return text === "" || row.textContent.toLowerCase().indexOf(text) >= 0;
  }
  function apply() {
    var f = facets();
    var all = globalBox ? globalBox.value.trim().toLowerCase() : "";
    var shown = 0, total = 0;
    tables.forEach(function (table) {
      var own = document.querySelector("input.filter[data-table='" + table.id + "']");
      var text = own ? own.value.trim().toLowerCase() : "";
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var ok = passesFacets(r, f) && contains(r, all) && contains(r, text);
        r.hidden = !ok;
        if (r.hasAttribute("data-group")) { total += 1; shown += ok ? 1 : 0; }
      });
    });
    var out = form ? form.querySelector("output.shown") : null;
    if (out) { out.textContent = shown + " of " + total + " model rows shown"; }
  }
  document.querySelectorAll("input.filter").forEach(function (input) {
    input.addEventListener("input", apply);
  });
  if (form) {
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }
}());
