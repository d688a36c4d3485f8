// Learner progress, kept in this browser's localStorage and nowhere else, under
// the site's versioned key (body[data-storage-key], scoped to the base URL).
// This file owns the store (window.learnProgress, which quiz.js records into),
// the progress shown on home, area and lesson pages, home's "Continue", "mark
// as done", and the progress page: mastery, missed questions, review, reset,
// export and import.
// It never makes a network request.
(function () {
  "use strict";
  var VERSION = 1;
  var body = document.body;
  var KEY = body.dataset.storageKey || "learn:v1:/";
  var ROOT = body.dataset.root || "./";
  var memory = null; // the latest write, for browsers that refuse storage
  var available = true;
  var listeners = [];

  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function now() { return new Date().toISOString(); }
  function empty() { return { version: VERSION, questions: {}, lessons: {} }; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function $(sel, el) { return (el || document).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function words(el, attr) { return (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean); }

  // Why a value is not progress this version can use, or null when it is.
  function problem(d) {
    if (!isObj(d)) return "it holds no progress";
    if (d.version !== VERSION) {
      return typeof d.version === "number" && d.version > VERSION ? "it was made by a newer version of the site" : "its version is unknown";
    }
    if (!isObj(d.questions) || !isObj(d.lessons)) return "it has no questions or lessons";
    var ids = Object.keys(d.questions);
    for (var i = 0; i < ids.length; i++) {
      var r = d.questions[ids[i]];
      if (!isObj(r) || !(Number.isInteger(r.attempts) && r.attempts >= 0) || typeof r.correct !== "boolean" ||
          (r.ms != null && !(typeof r.ms === "number" && r.ms >= 0))) {
        return "the record for question " + ids[i] + " is damaged";
      }
    }
    var urls = Object.keys(d.lessons);
    for (var j = 0; j < urls.length; j++) {
      if (!isObj(d.lessons[urls[j]]) || d.lessons[urls[j]].done !== true) return "the record for lesson " + urls[j] + " is damaged";
    }
    return null;
  }

  function read() {
    var raw = memory;
    if (available) {
      try { raw = localStorage.getItem(KEY); } catch (e) { available = false; }
    }
    if (raw == null) return empty();
    try {
      var data = JSON.parse(raw);
      if (problem(data) == null) return data;
    } catch (e) { /* unreadable: start again rather than break every page */ }
    return empty();
  }

  function write(data) {
    memory = JSON.stringify(data);
    if (available) {
      try { localStorage.setItem(KEY, memory); } catch (e) { available = false; }
    }
    notify();
  }

  // Read, change, write: always from storage, so two open tabs do not undo each other.
  function update(change) {
    var data = read();
    change(data);
    write(data);
    return data;
  }

  function notify() {
    var data = read();
    listeners.forEach(function (fn) { fn(data); });
  }

  window.addEventListener("storage", function (e) {
    if (e.key === KEY || e.key === null) notify();
  });

  var store = window.learnProgress = {
    key: KEY,
    version: VERSION,
    read: read,
    write: write,
    update: update,
    problem: problem,
    available: function () { return available; },
    subscribe: function (fn) { listeners.push(fn); }
  };

  // Lessons done and questions right among the given ids and lesson URLs.
  function tally(data, ids, lessons) {
    var t = { right: 0, tried: 0, total: ids.length, done: 0, lessons: lessons.length };
    ids.forEach(function (id) {
      var r = data.questions[id];
      if (r && r.attempts > 0) {
        t.tried++;
        if (r.correct) t.right++;
      }
    });
    lessons.forEach(function (url) { if (data.lessons[url]) t.done++; });
    return t;
  }

  function hasAny(data) {
    return Object.keys(data.questions).length > 0 || Object.keys(data.lessons).length > 0;
  }

  function share(t) {
    if (t.total) return t.right / t.total;
    return t.lessons ? t.done / t.lessons : 0;
  }

  function summary(t) {
    return t.done + " of " + plural(t.lessons, "lesson") + " done · " + t.right + " of " + plural(t.total, "question") + " right";
  }

  function bar(fraction) {
    var outer = document.createElement("span");
    outer.className = "progress-bar";
    outer.setAttribute("aria-hidden", "true");
    var inner = document.createElement("span");
    inner.style.width = Math.round(fraction * 100) + "%";
    outer.appendChild(inner);
    return outer;
  }

  function level(t) {
    if (!t.tried && !t.done) return "Not started";
    var s = share(t);
    if (s >= 1) return "Mastered";
    if (s >= 0.7) return "Strong";
    if (s >= 0.4) return "Developing";
    return "Started";
  }

  function paintAreas(data) {
    $$("[data-progress-area]").forEach(function (el) {
      var t = tally(data, words(el, "data-questions"), words(el, "data-lessons"));
      if (el.tagName === "TR") {
        $(".lessons-done", el).textContent = t.done + " of " + t.lessons;
        $(".questions-right", el).textContent = t.right + " of " + t.total;
        var cell = $(".mastery-level", el);
        if (cell) {
          var started = t.tried || t.done;
          cell.textContent = level(t) + (started ? " · " + Math.round(share(t) * 100) + " %" : "");
          if (started) cell.appendChild(bar(share(t)));
        }
        return;
      }
      el.textContent = "";
      // A first-time visitor sees no empty "0 of 18" lines, and the page does not move.
      if (!hasAny(data)) return;
      var text = document.createElement("span");
      text.textContent = summary(t);
      el.appendChild(text);
      el.appendChild(bar(share(t)));
    });
    $$("[data-progress-lesson]").forEach(function (el) {
      var t = tally(data, words(el, "data-questions"), [el.getAttribute("data-progress-lesson")]);
      var parts = [];
      if (t.done) parts.push("✓ Done");
      if (t.tried) parts.push(t.right + " of " + t.total + " right");
      el.textContent = parts.length ? " · " + parts.join(" · ") : "";
    });
  }

  function paintDone(data) {
    $$(".mark-done[data-lesson]").forEach(function (btn) {
      var done = !!data.lessons[btn.getAttribute("data-lesson")];
      btn.setAttribute("aria-pressed", String(done));
      var note = btn.nextElementSibling;
      if (note && note.classList.contains("done-note")) note.textContent = done ? "You marked this lesson as done." : "";
    });
  }

  $$(".mark-done[data-lesson]").forEach(function (btn) {
    var note = document.createElement("span");
    note.className = "done-note";
    btn.insertAdjacentElement("afterend", note);
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var url = btn.getAttribute("data-lesson");
      update(function (d) {
        if (d.lessons[url]) delete d.lessons[url];
        else d.lessons[url] = { done: true, at: now() };
      });
    });
  });

  // Home: where to go next. The page says "Start here" with the first lesson;
  // a returning learner gets "Continue" with the lesson last worked on while
  // it is not done, else the next one not done after it (going round), or
  // "All lessons done". The lessons: [area title, [[url, title, minutes, ids]]].
  var next = document.getElementById("home-next");
  var first = next && { href: $("a", next).getAttribute("href"), label: $(".next-label", next).firstChild.nodeValue,
    title: $(".next-title", next).textContent, where: $(".next-where", next).textContent };
  function paintNext(data) {
    var lessons = [];
    try {
      JSON.parse(document.getElementById("lesson-index").textContent).forEach(function (a) {
        a[1].forEach(function (l) { lessons.push({ url: l[0], title: l[1], minutes: l[2], ids: l[3], area: a[0] }); });
      });
    } catch (e) { return; }
    var show = first;
    if (hasAny(data)) {
      var last = 0, latest = "";
      lessons.forEach(function (l, i) {
        var at = (data.lessons[l.url] || {}).at || "";
        l.ids.split(" ").forEach(function (id) { var r = data.questions[id]; if (r && r.at > at) at = r.at; });
        if (at > latest) { latest = at; last = i; }
      });
      show = { href: ROOT + "progress/", label: "All lessons done", title: "See your progress", where: plural(lessons.length, "lesson") + " done" };
      for (var k = 0; k < lessons.length; k++) {
        var l = lessons[(last + k) % lessons.length];
        if (data.lessons[l.url]) continue;
        show = { href: ROOT + l.url, label: "Continue", title: l.title, where: l.area + " · " + l.minutes + " min read" };
        break;
      }
    }
    $("a", next).setAttribute("href", show.href);
    $(".next-label", next).firstChild.nodeValue = show.label;
    $(".next-title", next).textContent = show.title;
    $(".next-where", next).textContent = show.where;
  }

  function paint(data) {
    paintAreas(data);
    paintDone(data);
    if (next) paintNext(data);
  }
  store.subscribe(paint);
  paint(read());

  if (document.getElementById("question-index")) progressPage();

  // The progress page: mastery table, missed questions, review, reset, backup.
  function progressPage() {
    var status = document.getElementById("progress-status");
    var missedBox = document.getElementById("missed-list");
    var startReview = document.getElementById("start-review");
    var review = document.getElementById("review");
    var reviewTitle = document.getElementById("review-title");
    var reviewBox = document.getElementById("review-questions");
    var reviewScore = document.getElementById("review-score");
    var reviewing = [];
    // Every question of the site in curriculum order: id, page, page title, prompt text.
    var questions = [];
    try {
      questions = JSON.parse(document.getElementById("question-index").textContent).map(function (q) {
        return { id: q.id, page: q.page, pageTitle: q.title, prompt: q.prompt };
      });
    } catch (e) { /* no index: the page still shows mastery and backup */ }

    function say(message) { status.textContent = message; }

    function missed(data) {
      return questions.filter(function (q) {
        var r = data.questions[q.id];
        return r && r.attempts > 0 && !r.correct;
      });
    }

    function paintPage(data) {
      var list = missed(data);
      missedBox.textContent = "";
      var p = document.createElement("p");
      if (!list.length) {
        p.textContent = hasAny(data) ? "Nothing to review: every question you have answered is right." : "No missed questions yet.";
        missedBox.appendChild(p);
      } else {
        p.textContent = "Your last answer to " + plural(list.length, "question") + " was not right.";
        missedBox.appendChild(p);
        var ol = document.createElement("ol");
        ol.className = "missed";
        list.forEach(function (q) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = ROOT + q.page + "#q-" + q.id;
          a.textContent = q.prompt;
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = q.pageTitle + " · " + plural(data.questions[q.id].attempts, "attempt");
          li.appendChild(a);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(meta);
          ol.appendChild(li);
        });
        missedBox.appendChild(ol);
      }
      startReview.hidden = !list.length;
      startReview.textContent = "Review " + (list.length === 1 ? "the missed question" : "the " + list.length + " missed questions");
      if (reviewing.length) {
        var right = reviewing.filter(function (id) { var r = data.questions[id]; return r && r.correct; }).length;
        reviewScore.textContent = right + " of " + reviewing.length + " now right.";
      }
      document.getElementById("storage-note").hidden = store.available();
    }

    // Review asks the missed questions again on this page. They are fetched
    // from their lessons, so this page stays small however large the site.
    function fetchQuestions(list) {
      var pages = {};
      list.forEach(function (q) { (pages[q.page] = pages[q.page] || []).push(q); });
      return Promise.all(Object.keys(pages).map(function (page) {
        var url = new URL(ROOT + page, location.href);
        return fetch(url).then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + url);
          return r.text();
        }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          // Links in a question are relative to its lesson; make them absolute so they work here.
          doc.querySelectorAll("form.question [href], form.question [src]").forEach(function (el) {
            var attr = el.hasAttribute("href") ? "href" : "src";
            var value = el.getAttribute(attr);
            if (value.charAt(0) !== "#") el.setAttribute(attr, new URL(value, url).href);
          });
          return { keys: doc.querySelector("script.quiz-data"), forms: pages[page].map(function (q) {
            return { q: q, form: doc.getElementById("q-" + q.id) };
          }) };
        });
      }));
    }

    startReview.addEventListener("click", function () {
      var list = missed(read());
      reviewing = list.map(function (q) { return q.id; });
      reviewBox.textContent = "";
      startReview.disabled = true;
      say("Loading the questions to review…");
      fetchQuestions(list).then(function (pages) {
        var byId = {};
        pages.forEach(function (p) {
          if (p.keys) reviewBox.appendChild(document.importNode(p.keys, true));
          p.forms.forEach(function (f) { if (f.form) byId[f.q.id] = f.form; });
        });
        var shown = list.filter(function (q) { return byId[q.id]; });
        shown.forEach(function (q, i) {
          var form = document.importNode(byId[q.id], true);
          $(".q-number", form).textContent = "Question " + (i + 1) + " of " + shown.length;
          var from = document.createElement("p");
          from.className = "q-source";
          from.appendChild(document.createTextNode("From "));
          var a = document.createElement("a");
          a.href = ROOT + q.page;
          a.textContent = q.pageTitle;
          from.appendChild(a);
          form.insertBefore(from, form.firstChild);
          reviewBox.appendChild(form);
        });
        review.hidden = false;
        if (window.learnQuiz) window.learnQuiz.init(reviewBox, { restore: false });
        say(shown.length === list.length ? "" : (list.length - shown.length) + " of the missed questions are no longer on the site.");
        paintPage(read());
        reviewTitle.setAttribute("tabindex", "-1");
        reviewTitle.focus();
      }).catch(function (e) {
        say("The questions could not be loaded (" + e.message + "). Open them from the list above instead.");
      }).then(function () { startReview.disabled = false; });
    });

    $$(".reset-area").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var row = btn.closest("tr");
        var name = $("th", row).textContent.trim();
        if (!window.confirm("Reset your progress in “" + name + "”? This cannot be undone.")) return;
        var ids = words(row, "data-questions");
        var lessons = words(row, "data-lessons");
        update(function (d) {
          ids.forEach(function (id) { delete d.questions[id]; });
          lessons.forEach(function (url) { delete d.lessons[url]; });
        });
        say("Your progress in " + name + " was reset.");
      });
    });

    document.getElementById("reset-all").addEventListener("click", function () {
      if (!window.confirm("Reset all your progress on this site? This cannot be undone.")) return;
      write(empty());
      say("All your progress was reset.");
    });

    var backupStatus = document.getElementById("import-status");
    document.getElementById("export-progress").addEventListener("click", function () {
      var data = read();
      var file = { format: "learn-progress", version: VERSION, site: KEY, exported: now(), progress: data };
      var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
      var a = document.createElement("a");
      var site = ($(".site-title") || { textContent: "learn" }).textContent.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
      a.href = URL.createObjectURL(blob);
      a.download = (site || "learn") + "-progress-" + file.exported.slice(0, 10) + ".json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      backupStatus.textContent = "Exported " + plural(Object.keys(data.questions).length, "answered question") + " and " +
        plural(Object.keys(data.lessons).length, "lesson") + " marked done.";
    });

    var picker = document.getElementById("import-progress");
    picker.addEventListener("change", function () {
      var f = picker.files && picker.files[0];
      if (!f) return;
      f.text().then(function (text) {
        picker.value = "";
        var file;
        try { file = JSON.parse(text); } catch (e) { file = null; }
        if (!isObj(file) || file.format !== "learn-progress") {
          backupStatus.textContent = "Not imported: " + f.name + " is not a progress file exported from this site.";
          return;
        }
        var why = problem(file.progress);
        if (why) {
          backupStatus.textContent = "Not imported: " + why + ".";
          return;
        }
        if (hasAny(read()) && !window.confirm("Replace the progress in this browser with the progress in " + f.name + "?")) {
          backupStatus.textContent = "Import cancelled; your progress is unchanged.";
          return;
        }
        write(file.progress);
        backupStatus.textContent = "Imported " + plural(Object.keys(file.progress.questions).length, "answered question") + " and " +
          plural(Object.keys(file.progress.lessons).length, "lesson") + " marked done." +
          (file.site === KEY ? "" : " The file came from a copy of the site at another address.");
      });
    });

    store.subscribe(paintPage);
    paintPage(read());
  }
})();
