/* Workshop page: keep every answer until it is saved, whatever the Wi-Fi does.
 *
 * Each statement ([data-statement]) posts itself with htmx when an answer changes.
 * If that post fails (no network, a timeout, a 5xx or 429), the statement is marked
 * "Not saved yet" and the post is tried again with backoff (1 s, 2 s, 4 s … up to 30 s),
 * sooner when the phone comes back online. Saves are idempotent upserts on the server, so
 * a retry never makes a second answer. A status line says "All answers saved" or
 * "N answers waiting to save". Plain refusals (other 4xx) are shown and not retried.
 * Without JavaScript none of this runs: "Save and continue" posts the whole section.
 */
(function () {
  "use strict";

  var MAX_DELAY = 30000;
  var pending = {}; // statement id -> {attempt, timer}
  var activity = false;

  function statementOf(elt) {
    return elt && elt.closest ? elt.closest("[data-statement]") : null;
  }

  function statusOf(box) {
    return document.getElementById("status-" + box.getAttribute("data-statement"));
  }

  function setStatus(box, text, className) {
    var status = statusOf(box);
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    status.appendChild(span);
  }

  function waitingCount() {
    return Object.keys(pending).length;
  }

  function updateSummary() {
    var line = document.getElementById("save-summary");
    if (!line || !activity) { return; }
    var n = waitingCount();
    line.hidden = false;
    if (n === 0) {
      line.textContent = "All answers saved";
      line.classList.remove("app-save-summary--waiting");
    } else {
      line.textContent = n === 1 ? "1 answer waiting to save" : n + " answers waiting to save";
      line.classList.add("app-save-summary--waiting");
    }
  }

  function retry(box) {
    if (window.htmx) { window.htmx.trigger(box, "change"); }
  }

  function scheduleRetry(box) {
    var id = box.getAttribute("data-statement");
    var entry = pending[id] || { attempt: 0, timer: null };
    entry.attempt += 1;
    if (entry.timer) { clearTimeout(entry.timer); }
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, entry.attempt - 1));
    delay = Math.round(delay * (0.8 + Math.random() * 0.4));
    entry.timer = setTimeout(function () {
      entry.timer = null;
      retry(box);
    }, delay);
    pending[id] = entry;
    box.classList.add("app-statement--unsaved");
    setStatus(box, "Not saved yet – trying again", "app-save-status__waiting");
    activity = true;
    updateSummary();
  }

  function settled(box) {
    var id = box.getAttribute("data-statement");
    var entry = pending[id];
    if (entry && entry.timer) { clearTimeout(entry.timer); }
    delete pending[id];
    box.classList.remove("app-statement--unsaved");
    activity = true;
    updateSummary();
  }

  // each failed request is counted once, whichever of its events comes first
  function firstLook(event) {
    var xhr = event.detail.xhr;
    if (!xhr) { return true; }
    if (xhr.tripSeen) { return false; }
    xhr.tripSeen = true;
    return true;
  }

  function isRetryable(status) {
    return status === 0 || status === 429 || status >= 500;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = statementOf(event.detail.elt);
    if (!box) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 400 && !isRetryable(status)) {
      // a plain refusal (finished workshop, lost cookie, bad answer): show it, do not retry.
      // Refusals are small blocks marked X-Refused (the htmx contract); anything else gets
      // one plain line. Either replaces what the statement's status said before.
      var line = statusOf(box);
      if (line) { line.textContent = ""; }
      if (!event.detail.xhr.getResponseHeader("X-Refused")) {
        event.detail.serverResponse =
          '<span class="app-save-status__refused">Not saved. Reload the page and try again.</span>';
      }
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var box = statementOf(event.detail.elt);
    if (!box) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (event.detail.successful || (status >= 400 && !isRetryable(status))) {
      settled(box);
    } else if (firstLook(event)) {
      scheduleRetry(box);
    }
  });

  // sendError, timeout and responseError are also followed by afterRequest; these make sure
  // a failure is marked even if a browser skips it.
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var box = statementOf(event.detail.elt);
      if (!box) { return; }
      var status = event.detail.xhr ? event.detail.xhr.status : 0;
      if (isRetryable(status) && firstLook(event)) {
        scheduleRetry(box);
      }
    });
  });

  window.addEventListener("online", function () {
    Object.keys(pending).forEach(function (id) {
      var box = document.querySelector('[data-statement="' + id + '"]');
      if (box) { retry(box); }
    });
  });

  // "You have N characters left" under each comment box (a hint without JavaScript)
  function updateCount(textarea) {
    var hint = document.getElementById(textarea.id + "-count");
    var max = parseInt(textarea.getAttribute("data-maxlength"), 10);
    if (!hint || !max) { return; }
    var left = max - textarea.value.length;
    hint.textContent = left >= 0
      ? "You have " + left + (left === 1 ? " character" : " characters") + " left"
      : "You have " + (-left) + " characters too many";
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("textarea[data-maxlength]")) {
      updateCount(target);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("textarea[data-maxlength]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.value) { updateCount(box); }
    });
  });
})();
