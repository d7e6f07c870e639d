// Small behaviours that htmx attributes cannot express without eval (CSP forbids hx-on).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // After a swap, move focus to an element the fragment marks with data-focus-after-swap,
  // so keyboard and screen-reader users land on the new content.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.removeAttribute("data-focus-after-swap");
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
  });
  // Auto-submit controls marked data-autosubmit (used with a visible submit button as fallback).
  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-autosubmit]");
    if (el && el.form) {
      if (window.htmx && el.form.hasAttribute("hx-post")) {
        window.htmx.trigger(el.form, "submit");
      } else {
        el.form.requestSubmit();
      }
    }
  });
  // Sortable tables: buttons in <th> marked data-sort-key sort tbody rows by data-sort values.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-sort-key]");
    if (!button) return;
    var table = button.closest("table");
    var index = Array.prototype.indexOf.call(button.closest("tr").children, button.closest("th"));
    var th = button.closest("th");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.children[index].getAttribute("data-sort") || a.children[index].textContent.trim();
      var y = b.children[index].getAttribute("data-sort") || b.children[index].textContent.trim();
      var nx = parseFloat(x), ny = parseFloat(y);
      var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
})();
