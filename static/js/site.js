// Small behaviours that htmx attributes cannot express without eval (CSP forbids hx-on).
(function () {
  "use strict";
  // Lets CSS hide the no-JavaScript fallbacks (.js-hide), such as a checklist item's Save button.
  document.documentElement.classList.add("js");

  // Focus after a swap. htmx itself puts focus back on a control that has an id and is still in
  // the new content (a checklist checkbox, the quiz's Check answer button). When the focused
  // control is gone (the Mark as read button, the answered question's form), focus moves to the
  // control the new content marks with data-focus-after-swap, so keyboard and screen-reader users
  // keep their place. Nothing moves when focus survived or was elsewhere: the result itself is
  // announced once, by the page's status element.
  var focusedBeforeRequest = null;
  document.addEventListener("htmx:beforeRequest", function () {
    focusedBeforeRequest = document.activeElement;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var lost = focusedBeforeRequest;
    if (!lost || lost === document.body || document.body.contains(lost)) return;
    var active = document.activeElement;
    if (active && active !== document.body) return;
    var root = event.target;
    var target = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
    if (target) {
      focusedBeforeRequest = null;
      target.focus();
    }
  });

  // A failed htmx request (a 4xx or 5xx is not swapped in) is sent again as the plain form it came
  // from, once, so the reader sees the whole page that says what went wrong, in their language.
  // Every write here is safe to resend. A 422 is swapped in (its fragment shows the form's errors).
  document.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail.elt;
    var form = elt && (elt.tagName === "FORM" ? elt : elt.closest("form"));
    if (!form || form.hasAttribute("data-resent") || (form.method || "").toLowerCase() !== "post") return;
    form.setAttribute("data-resent", "");
    HTMLFormElement.prototype.submit.call(form);
  });

  // Confirmations: a link to a confirmation page (which works without JavaScript) asks in a <dialog>
  // instead and posts straight from it. The dialog's form carries the page's CSRF token.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
    var dialog = document.getElementById("confirm-dialog");
    if (!link || !dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    var form = dialog.querySelector("form");
    form.setAttribute("action", link.getAttribute("data-confirm-action"));
    dialog.querySelector("#confirm-dialog-text").textContent = link.getAttribute("data-confirm");
    dialog.querySelector("[data-confirm-submit]").textContent = link.getAttribute("data-confirm-button");
    dialog.returnFocusTo = link;
    dialog.showModal();
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest ? event.target.closest("[data-dialog-close]") : null;
    if (close) close.closest("dialog").close();
  });
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (dialog.returnFocusTo) dialog.returnFocusTo.focus();
  }, true);

  // The letter writer's Copy and Print buttons need JavaScript, so they start hidden and are shown
  // here (on load and after an htmx swap); without it the page says how to copy and print instead.
  function revealScriptButtons(root) {
    root.querySelectorAll("[data-copy][hidden], [data-print][hidden]").forEach(function (button) {
      if (button.hasAttribute("data-copy") && !(navigator.clipboard && navigator.clipboard.writeText)) return;
      button.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { revealScriptButtons(document); });
  document.addEventListener("htmx:afterSettle", function (event) { revealScriptButtons(event.target); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy], [data-print]") : null;
    if (!button) return;
    if (button.hasAttribute("data-print")) {
      window.print();
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy"));
    navigator.clipboard.writeText(source.value).then(function () {
      var announcer = document.getElementById("lab-announcer");
      if (announcer) announcer.textContent = button.getAttribute("data-copied");
    });
  });
})();
