/* A participant's statement screen: no answer is ever lost, and in a led round the phone
 * follows the room.
 *
 * Saving. A changed answer goes into a queue kept in localStorage under the round and the
 * participant's id written into the page (the cookie itself stays HttpOnly), with this
 * phone's next sequence number, then is posted. It leaves the queue only when the server
 * acknowledges it (or refuses it in plain words, or the workshop has finished). A failed post
 * (no network, a timeout, 5xx, 429) is tried again with backoff (1 s, 2 s, 4 s … up to 30 s)
 * and at once when the phone comes back online; answers still queued when the page is
 * opened again (another statement, a tab closed and reopened) are sent then. The server keeps
 * the answer with the higher sequence number, so an old retry never overwrites a newer one.
 * The line at the top says "Not saved: …" while any answer is refused, "N answers waiting
 * to save" while any is queued, and "All answers saved" only when neither. Leaving the page
 * with answers waiting asks first; "Save and continue" while offline stays on the page.
 *
 * Following (led rounds). htmx polls the room every 2 s (204 while nothing changed); polls
 * are skipped while the page is hidden. When the room moves, a phone that was on the room's
 * statement with nothing typed and unsaved goes along (and the new page says so politely to
 * screen readers); any other shows the banner. A poll refused with 404 or 403 (the round
 * became a group round) stops polling and says why.
 *
 * Without JavaScript none of this runs: the form posts, and "Back to the room" is a link.
 */
(function () {
  "use strict";

  var MAX_DELAY = 30000;
  // the page's words for what this script writes (#app-words, in the page's language)
  var holder = document.getElementById("app-words");
  var WORDS = {};
  try { WORDS = JSON.parse((holder && holder.getAttribute("data-words")) || "{}"); } catch (e) { WORDS = {}; }
  function say(key, english, n) {
    var text = WORDS[key] || english;
    return n === undefined ? text : text.replace("{n}", String(n));
  }
  var FINISHED = say("finished_answer", "the workshop finished before this answer reached it.");
  var OFFLINE = say("offline", "You are offline. Your answers are kept on this phone and will be sent " +
    "when the connection returns.");
  var form = null;
  var qKey = "";
  var seqKey = "";
  var memory = { queue: {}, seq: 0 };
  var refused = {};   // statement id -> plain words
  var saved = {};     // statement id -> the fields last acknowledged (JSON)
  var inFlight = {};  // statement id -> sequence number being sent
  var attempts = {};
  var timers = {};
  var activity = false;
  var offlineShown = false;
  var leaving = null; // where "Save and continue" goes once the queue is empty
  var finished = false;
  var lastRoom = null;

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readQueue() {
    var s = store();
    if (!s) { return memory.queue; }
    try { return JSON.parse(s.getItem(qKey) || "{}") || {}; } catch (e) { return memory.queue; }
  }

  function writeQueue(queue) {
    memory.queue = queue;
    var s = store();
    if (!s) { return; }
    try {
      if (Object.keys(queue).length) { s.setItem(qKey, JSON.stringify(queue)); }
      else { s.removeItem(qKey); }
    } catch (e) { /* private mode: the in-page queue still holds them */ }
  }

  function nextSeq() {
    var s = store();
    var floor = parseInt(form.getAttribute("data-seq-floor"), 10) || 0;
    var kept = s ? parseInt(s.getItem(seqKey) || "0", 10) || 0 : 0;
    var seq = Math.max(floor, kept, memory.seq) + 1;
    memory.seq = seq;
    if (s) { try { s.setItem(seqKey, String(seq)); } catch (e) { /* kept in memory */ } }
    return seq;
  }

  function boxFor(id) {
    return document.querySelector('[data-statement="' + id + '"]');
  }

  function fieldsOf(box) {
    var id = box.getAttribute("data-statement");
    var level = box.querySelector('input[name="level-' + id + '"]:checked');
    var mark = document.getElementById("matters_most-" + id);
    var comment = document.getElementById("comment-" + id);
    var fields = {};
    fields["level-" + id] = level ? level.value : "";
    fields["matters_most-" + id] = mark && mark.checked ? "1" : "";
    fields["comment-" + id] = comment ? comment.value : "";
    return fields;
  }

  function isEmpty(fields) {
    return Object.keys(fields).every(function (k) { return !fields[k].trim(); });
  }

  function restore(box, fields) {
    var id = box.getAttribute("data-statement");
    var level = fields["level-" + id];
    var radios = box.querySelectorAll('input[name="level-' + id + '"]');
    Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === level; });
    var mark = document.getElementById("matters_most-" + id);
    if (mark) { mark.checked = !!fields["matters_most-" + id]; }
    var comment = document.getElementById("comment-" + id);
    if (comment) { comment.value = fields["comment-" + id] || ""; }
  }

  function setStatus(id, text, className) {
    var status = document.getElementById("status-" + id);
    if (!status) { return; }
    status.textContent = "";
    if (!text) { return; }
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    status.appendChild(span);
  }

  function lowerFirst(text) {
    return text ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  }

  function updateSummary() {
    var line = document.getElementById("save-summary");
    if (!line || !activity) { return; }
    var ids = Object.keys(refused);
    var waiting = Object.keys(readQueue()).length;
    line.hidden = false;
    line.classList.add("app-save-summary--waiting");
    if (ids.length) {
      line.textContent = say("not_saved", "Not saved:") + " " + lowerFirst(refused[ids[0]]);
    } else if (waiting) {
      var text = waiting === 1 ? say("waiting_one", "1 answer waiting to save")
        : say("waiting_many", "{n} answers waiting to save", waiting);
      line.textContent = offlineShown ? text + ". " + OFFLINE : text;
    } else {
      line.textContent = say("all_saved", "All answers saved");
      line.classList.remove("app-save-summary--waiting");
    }
  }

  function markRefused(id, message) {
    refused[id] = message;
    var box = boxFor(id);
    if (box) {
      box.classList.add("app-statement--error");
      box.classList.remove("app-statement--unsaved");
    }
    setStatus(id, say("not_saved", "Not saved:") + " " + lowerFirst(message), "app-save-status__refused");
  }

  function enqueue(id, fields) {
    var queue = readQueue();
    queue[id] = {
      url: form.getAttribute("data-save-base") + id,
      fields: fields,
      seq: nextSeq()
    };
    writeQueue(queue);
    activity = true;
    send(id);
  }

  function retryLater(id) {
    attempts[id] = (attempts[id] || 0) + 1;
    if (timers[id]) { clearTimeout(timers[id]); }
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempts[id] - 1));
    delay = Math.round(delay * (0.8 + Math.random() * 0.4));
    timers[id] = setTimeout(function () { timers[id] = null; send(id); }, delay);
    var box = boxFor(id);
    if (box) { box.classList.add("app-statement--unsaved"); }
    setStatus(id, say("trying_again", "Not saved yet – trying again"), "app-save-status__waiting");
    if (leaving || !navigator.onLine) { offlineShown = true; leaving = null; }
    updateSummary();
  }

  function refusalText(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var text = (doc.body.textContent || "").replace(/\s+/g, " ").trim();
    return text.replace(/^Error:\s*/, "") || "this answer could not be saved.";
  }

  function acknowledged(id, entry, html) {
    var queue = readQueue();
    if (queue[id] && queue[id].seq === entry.seq) { delete queue[id]; writeQueue(queue); }
    delete refused[id];
    attempts[id] = 0;
    saved[id] = JSON.stringify(entry.fields);
    var box = boxFor(id);
    if (box) { box.classList.remove("app-statement--unsaved", "app-statement--error"); }
    setStatus(id, say("saved", "Saved"), "app-save-status__saved");
    var doc = new DOMParser().parseFromString(html, "text/html");
    var progress = doc.getElementById("progress");
    var here = document.getElementById("progress");
    if (progress && here) { here.textContent = progress.textContent; }
  }

  function dropped(id, entry) {
    var queue = readQueue();
    if (queue[id] && queue[id].seq === entry.seq) { delete queue[id]; writeQueue(queue); }
  }

  function roundFinished() {
    finished = true;
    var queue = readQueue();
    Object.keys(queue).forEach(function (id) { markRefused(id, FINISHED); });
    writeQueue({});
    var s = store();
    if (s) { try { s.removeItem(seqKey); } catch (e) { /* nothing kept */ } }
    var poll = document.getElementById("room-poll");
    if (poll && poll.parentNode) { poll.parentNode.removeChild(poll); }
  }

  function settle(id) {
    delete inFlight[id];
    var queue = readQueue();
    if (queue[id] && !timers[id]) { send(id); } // a newer answer came while this one was out
    updateSummary();
    if (leaving && !Object.keys(queue).length && !Object.keys(refused).length) {
      var target = leaving;
      leaving = null;
      window.location.assign(target);
    }
  }

  function send(id) {
    var entry = readQueue()[id];
    if (!entry || finished || inFlight[id] === entry.seq) { return; }
    inFlight[id] = entry.seq;
    var body = new URLSearchParams();
    Object.keys(entry.fields).forEach(function (k) { body.append(k, entry.fields[k]); });
    body.append("seq", String(entry.seq));
    var token = form.querySelector('input[name="csrf_token"]');
    fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRF-Token": token ? token.value : "" }
    }).then(function (response) {
      return response.text().then(function (html) {
        if (response.ok) {
          acknowledged(id, entry, html);
        } else if (response.status === 410) {
          roundFinished();
        } else if (response.status === 429 || response.status >= 500) {
          delete inFlight[id];
          retryLater(id);
          return;
        } else {
          dropped(id, entry);
          markRefused(id, refusalText(html));
        }
        settle(id);
      });
    }).catch(function () {
      delete inFlight[id];
      retryLater(id);
    });
  }

  function sendAll() {
    Object.keys(readQueue()).forEach(function (id) {
      attempts[id] = 0;
      if (timers[id]) { clearTimeout(timers[id]); timers[id] = null; }
      send(id);
    });
  }

  function changed(box) {
    var id = box.getAttribute("data-statement");
    var fields = fieldsOf(box);
    var queued = readQueue()[id];
    var last = queued ? JSON.stringify(queued.fields) : saved[id];
    return JSON.stringify(fields) !== last;
  }

  // nothing typed and unsaved on this page: it may follow the room by itself
  function settledHere() {
    var box = form && form.querySelector("[data-statement]");
    return !Object.keys(readQueue()).length && !(box && changed(box));
  }

  function onChange(event) {
    var box = event.target.closest && event.target.closest("[data-statement]");
    if (!box || !changed(box)) { return; }
    var id = box.getAttribute("data-statement");
    var fields = fieldsOf(box);
    if (isEmpty(fields)) { return; }
    delete refused[id];
    box.classList.remove("app-statement--error");
    enqueue(id, fields);
  }

  function onSubmit(event) {
    event.preventDefault();
    var go = event.submitter && event.submitter.value === "back" ? "back" : "next";
    var target = form.getAttribute(go === "back" ? "data-back-url" : "data-next-url");
    var box = form.querySelector("[data-statement]");
    if (box && changed(box) && !isEmpty(fieldsOf(box))) {
      enqueue(box.getAttribute("data-statement"), fieldsOf(box));
    }
    activity = true;
    if (Object.keys(refused).length) { updateSummary(); return; }
    if (!Object.keys(readQueue()).length) { window.location.assign(target); return; }
    leaving = target;
    if (!navigator.onLine) { offlineShown = true; leaving = null; }
    sendAll();
    updateSummary();
  }

  // "You have N characters left" under each comment box (a hint without JavaScript)
  function updateCount(textarea) {
    var hint = document.getElementById(textarea.id + "-count");
    var max = parseInt(textarea.getAttribute("data-maxlength"), 10);
    if (!hint || !max) { return; }
    var left = max - textarea.value.length;
    hint.textContent = left >= 0
      ? (left === 1 ? say("left_one", "You have 1 character left")
        : say("left_many", "You have {n} characters left", left))
      : say("too_many", "You have {n} characters too many", -left);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("textarea[data-maxlength]")) {
      updateCount(target);
    }
  });

  // --- following the room ---------------------------------------------------------------

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "room-poll" && (document.hidden || finished)) {
      event.preventDefault();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && window.htmx) { window.htmx.trigger(document.body, "trip:visible"); }
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    if (target && target.id === "room-banner" && fragment &&
        (fragment.textContent || "").trim() === (target.textContent || "").trim()) {
      event.detail.shouldSwap = false; // the same words: not announced again
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var poll = document.getElementById("room-poll");
    if (!poll || !form) { return; }
    var room = poll.getAttribute("data-room-number");
    if (room === lastRoom) { return; }
    var here = form.getAttribute("data-statement-number");
    var wasFollowing = lastRoom === here;
    lastRoom = room;
    if (wasFollowing && settledHere()) {
      remember(MOVED, room);
      window.location.assign(poll.getAttribute("data-room-url"));
    }
  });

  // A poll answered 410 (finished), 404 (the round is now answered together in the room,
  // not on phones) or 403 stops polling for good and says why in plain words: polling on
  // would only repeat the refusal every 2 s.
  // A move the phone made by itself is said on the new page, politely (the banner is an
  // aria-live region; filled a moment after load so screen readers hear the change).
  var MOVED = "trip:moved";
  function remember(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* not said: no harm */ }
  }
  function announceMove() {
    var number = form.getAttribute("data-statement-number");
    var moved = null;
    try {
      moved = window.sessionStorage.getItem(MOVED);
      window.sessionStorage.removeItem(MOVED);
    } catch (e) { return; }
    var banner = document.getElementById("room-banner");
    if (!banner || moved !== number || banner.textContent.trim()) { return; }
    window.setTimeout(function () {
      if (banner.textContent.trim()) { return; }
      var p = document.createElement("p");
      p.className = "app-room-banner__text app-room-banner__text--moved";
      p.textContent = "The room moved to statement " + number;
      banner.appendChild(p);
    }, 250);
  }

  function stopFollowing(words) {
    var poll = document.getElementById("room-poll");
    if (poll && poll.parentNode) { poll.parentNode.removeChild(poll); }
    var banner = document.getElementById("room-banner");
    if (banner) {
      banner.textContent = "";
      var p = document.createElement("p");
      p.className = "app-room-banner__text";
      p.textContent = words;
      banner.appendChild(p);
    }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!elt || elt.id !== "room-poll" || !xhr) { return; }
    if (xhr.status === 410) {
      roundFinished();
      activity = true;
      var line = document.getElementById("save-summary");
      if (line) { line.hidden = false; line.textContent = say("finished", "This workshop has finished."); }
    } else if (xhr.status === 404 || xhr.status === 403) {
      stopFollowing(refusalText(xhr.responseText || ""));
    }
  });

  // --- start ------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("textarea[data-maxlength]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.value) { updateCount(box); }
    });
    form = document.querySelector("form[data-participant]");
    if (!form) { return; }
    var key = form.getAttribute("data-round") + ":" + form.getAttribute("data-participant");
    qKey = "trip:queue:" + key;
    seqKey = "trip:seq:" + key;
    var poll = document.getElementById("room-poll");
    lastRoom = poll ? poll.getAttribute("data-room-number") : null;
    announceMove();
    var box = form.querySelector("[data-statement]");
    form.setAttribute("data-save-base", box.getAttribute("data-save-url").replace(/\d+$/, ""));
    var id = box.getAttribute("data-statement");
    saved[id] = JSON.stringify(fieldsOf(box));
    var queued = readQueue()[id];
    if (queued) { restore(box, queued.fields); }
    form.addEventListener("change", onChange);
    form.addEventListener("submit", onSubmit);
    if (Object.keys(readQueue()).length) { activity = true; sendAll(); updateSummary(); }
  });

  window.addEventListener("online", function () {
    offlineShown = false;
    if (form) { sendAll(); }
  });

  window.addEventListener("beforeunload", function (event) {
    if (form && Object.keys(readQueue()).length && !finished) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
