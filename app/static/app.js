/* htmx settings (no inline script: this file is loaded after htmx, before DOMContentLoaded). */
(function () {
  "use strict";
  if (!window.htmx) { return; }
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.selfRequestsOnly = true;
  htmx.config.historyCacheSize = 0;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ];

  // The htmx contract (docs/architecture.md): a refusal answers a small block marked
  // X-Refused, put at the start of the element that asked (HX-Reswap: afterbegin), for every
  // status; an earlier refusal there is removed first. Any other failed answer (an
  // unexpected 4xx or 5xx, or no answer at all) shows one plain message at the top of the
  // page. Participants' queued saves are workshop.js's own business (it marks those).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.getResponseHeader("X-Refused")) { return; }
    var target = event.detail.target;
    if (target) {
      target.querySelectorAll("[data-refusal]").forEach(function (old) { old.remove(); });
    }
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  });

  function showProblem(text) {
    var box = document.getElementById("app-js-problem");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
  }

  function queuedSave(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest && elt.closest("[data-statement]");
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (queuedSave(event) || (xhr && xhr.getResponseHeader("X-Refused"))) { return; }
    var status = xhr ? xhr.status : 0;
    showProblem(status >= 500
      ? "Sorry, something went wrong on our side. Please try again in a moment."
      : "That could not be done. Reload the page and try again.");
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (queuedSave(event)) { return; }
    showProblem("The connection was lost. Check your connection and try again.");
  });
})();
