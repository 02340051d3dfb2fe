/* The room's screens (the facilitator's page, present mode): polling paused while hidden,
   the present screen's keys, and a guard on typed agreed-rating notes. No inline script and
   no eval (CSP): htmx polls every 2 s with ?v=N and a 204 leaves the page alone. */
(function () {
  "use strict";

  // Polls pause while the page is hidden; one poll at once when it is shown again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (document.hidden && elt && elt.hasAttribute && elt.hasAttribute("data-room-poll")) {
      event.preventDefault();
    }
  });
  // A poll element may redraw another (present mode's #present-poll redraws #live-panel).
  function pollNow(elt) {
    var url = elt.getAttribute("data-hx-get");
    var target = elt.getAttribute("data-hx-target");
    target = (target && document.querySelector(target)) || elt;
    if (url) { htmx.ajax("GET", url, { source: elt, target: target, swap: "outerHTML" }); }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden || !window.htmx) { return; }
    document.querySelectorAll("[data-room-poll]").forEach(pollNow);
  });

  // Present mode: → next statement, ← previous, S shows or hides the spread.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) { return ""; }
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields || {});
    body.set("csrf_token", csrfToken());
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRF-Token": csrfToken() }
    }).then(refresh, refresh);
  }

  function refresh() {
    var poll = document.querySelector("[data-room-keys] [data-room-poll]");
    if (poll && window.htmx) { pollNow(poll); }
  }

  document.addEventListener("keydown", function (event) {
    var panel = document.querySelector("[data-room-keys]");
    if (!panel || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    var round = panel.getAttribute("data-round");
    var base = "/rounds/" + round;
    if (event.key === "ArrowRight" && panel.getAttribute("data-next")) {
      event.preventDefault();
      post(base + "/current", { statement_id: panel.getAttribute("data-next") });
    } else if (event.key === "ArrowLeft" && panel.getAttribute("data-previous")) {
      event.preventDefault();
      post(base + "/current", { statement_id: panel.getAttribute("data-previous") });
    } else if ((event.key === "s" || event.key === "S") && panel.getAttribute("data-mode") !== "group") {
      event.preventDefault();
      var shown = panel.getAttribute("data-spread") === "shown";
      post(base + (shown ? "/spread/hide" : "/spread/show"));
    }
  });

  // The facilitator's agreed-rating notes: moving away with typed, unsaved notes asks first.
  var dirty = false;
  function notesForm(elt) { return elt && elt.closest && elt.closest("[data-agree-notes]"); }
  document.addEventListener("input", function (event) {
    if (notesForm(event.target)) { dirty = true; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "agree") {
      dirty = !!document.querySelector("#agree .nhsuk-error-message");
    }
  });
  var LEAVE = "You have typed notes for the agreed rating that are not saved. Leave them?";
  document.addEventListener("submit", function (event) {
    if (!dirty) { return; }
    if (notesForm(event.target)) { dirty = false; return; }
    if (!window.confirm(LEAVE)) { event.preventDefault(); event.stopImmediatePropagation(); }
    else { dirty = false; }
  }, true);
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("a[href]");
    if (!dirty || !link || link.target === "_blank" || link.getAttribute("href").charAt(0) === "#") { return; }
    if (!window.confirm(LEAVE)) { event.preventDefault(); } else { dirty = false; }
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
