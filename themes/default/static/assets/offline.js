// "Save the course for offline reading" on the home page. The offline worker
// (sw.js at the site root, registered by site.js) does the saving; this file
// asks it, after showing how much the course weighs (from offline.json), and
// reports progress and the result in a live region.
(function () {
  "use strict";
  var box = document.getElementById("home-offline");
  var workers = navigator.serviceWorker;
  if (!box) return;
  var ask = document.getElementById("home-offline-ask");
  var save = document.getElementById("home-offline-save");
  var cancel = document.getElementById("home-offline-cancel");
  var status = document.getElementById("home-offline-status");
  var root = document.body.dataset.root || "./";
  box.hidden = false;

  function say(text) { status.textContent = text; }
  function size(bytes) {
    if (bytes < 1e6) return Math.max(1, Math.round(bytes / 1e3)) + " KB";
    return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0) + " MB";
  }
  function choosing(on) {
    ask.hidden = on;
    save.hidden = !on;
    cancel.hidden = !on;
  }
  if (!workers || !window.caches) {
    ask.disabled = true;
    say("This browser cannot keep the course for reading offline.");
    return;
  }

  // Asks the worker, once it is running, and hands each of its answers to `on`.
  function tell(message, on) {
    return workers.ready.then(function (reg) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { on(e.data); };
      reg.active.postMessage(message, [channel.port2]);
    });
  }

  tell({ type: "status" }, function (s) {
    if (s.saved && !status.textContent) say("The course is saved on this device; a new version of the site replaces it.");
  });

  ask.addEventListener("click", function () {
    ask.disabled = true;
    say("Finding out how big the course is…");
    fetch(root + "offline.json", { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (l) {
      save.textContent = "Save " + size(l.bytes);
      choosing(true);
      say("The whole course is about " + size(l.bytes) + " (" + l.files.length + " files). Save it on this device?");
      save.focus();
    }).catch(function () {
      say("The size of the course could not be found. Check the connection and try again.");
    }).then(function () { ask.disabled = false; });
  });

  cancel.addEventListener("click", function () {
    choosing(false);
    say("Not saved.");
    ask.focus();
  });

  save.addEventListener("click", function () {
    choosing(false);
    ask.disabled = true;
    say("Saving…");
    var shown = 0;
    // Registered by site.js once the page loaded; without one, `ready` would wait for ever.
    workers.getRegistration(root).then(function (reg) {
      if (!reg) throw new Error("no worker");
      return tell({ type: "save" }, report);
    }).catch(function () {
      ask.disabled = false;
      say("The offline worker is not running yet. Reload the page and try again.");
    });
    function report(m) {
      if (m.type === "progress") {
        // A few steps are enough for a screen reader: every tenth of the way.
        var tenth = Math.floor((m.done / Math.max(m.total, 1)) * 10);
        if (tenth > shown || m.done === 0) {
          shown = tenth;
          say("Saving… " + m.done + " of " + m.total + " files.");
        }
      } else if (m.type === "saved") {
        ask.disabled = false;
        say("Saved: the whole course (" + size(m.bytes) + ") can be read on this device without a connection.");
      } else if (m.type === "failed") {
        ask.disabled = false;
        say("Saving stopped after " + m.done + " of " + m.total + " files (" + m.message + "). Try again when the connection is back.");
      }
    }
  });
})();
