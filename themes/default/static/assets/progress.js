// Learner progress, kept in this browser's localStorage and nowhere else, under
// the site's versioned key (body[data-storage-key], scoped to the base URL).
// This file owns the store (window.learnProgress, which quiz.js records into),
// the spaced-review schedule, the progress shown on home, area and lesson
// pages, home's "Continue", "mark as done", and the progress page: mastery,
// missed questions, review, practice answers, reset, export and import. Its
// only requests fetch files of this site: lessons, for review, and the
// progress data of the areas a learner has progress in (see "Areas" below).
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
  function split(text) { return (text || "").split(/\s+/).filter(Boolean); }
  function words(el, attr) { return split(el.getAttribute(attr)); }
  function isCount(v) { return Number.isInteger(v) && v >= 0; }

  // Why a practice answer (an open question's) is not usable, or null.
  function badPractice(r) {
    return !isObj(r) || typeof r.text !== "string" || !Array.isArray(r.ticks) || !r.ticks.every(isCount) ||
      (r.of != null && !isCount(r.of));
  }

  // Why a question's review schedule is not usable, or null.
  function badSchedule(r) {
    return !isObj(r) || !/^\d{4}-\d\d-\d\d$/.test(r.due) || !(typeof r.interval === "number" && r.interval >= 0) ||
      !(typeof r.ease === "number" && r.ease > 0) || !isCount(r.reps) || !isCount(r.lapses);
  }

  // The first damaged entry of an optional map (`open` and `review` came after
  // version 1's first release; a file without them is still whole), as a reason.
  function badEntries(map, bad, what) {
    if (map == null) return null;
    if (!isObj(map)) return "its " + what + " are damaged";
    var ids = Object.keys(map);
    for (var i = 0; i < ids.length; i++) if (bad(map[ids[i]])) return "the " + what + " of question " + ids[i] + " are damaged";
    return null;
  }

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
    return badEntries(d.open, badPractice, "practice answers") || badEntries(d.review, badSchedule, "review dates");
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
    subscribe: function (fn) { listeners.push(fn); },
    schedule: schedule,
    due: dueList,
    nextReview: nextReview,
    today: today,
    dayOf: dayOf,
    loadQuestions: loadQuestions
  };

  // Spaced review, after SM-2 (Wozniak, 1990) as Anki uses it, with right or
  // wrong for the grade. Every checked answer schedules its question:
  // { due: "YYYY-MM-DD" (a local date), interval (days), ease, reps (right
  // answers in a row), lapses (misses after a right answer), page }.
  //  - right: the interval grows, 1 day, then 3, then the last × ease
  //    (at most a year); a right answer before the question is due changes
  //    nothing, so answering twice in a day does not push it further away;
  //  - wrong: due tomorrow, and the count starts again (1, 3, × ease); a
  //    miss after a right answer is a lapse and lowers the ease by 0.2
  //    (never below 1.3), so a question missed before comes back sooner.
  // Ease starts at 2.5. Due questions are asked missed ones first, then the
  // longest overdue.
  var DAY = 864e5, EASE = 2.5, MIN_EASE = 1.3, LAPSE = 0.2, MAX_DAYS = 365;
  function today() {
    var t = new Date();
    return Date.UTC(t.getFullYear(), t.getMonth(), t.getDate()) / DAY;
  }
  function dayOf(date) { return Date.parse(date + "T00:00:00Z") / DAY; }
  function dateOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function reviews(d) { return isObj(d.review) ? d.review : (d.review = {}); }

  function schedule(d, id, correct, page) {
    var old = reviews(d)[id], day = today();
    var s = old ? Object.assign({}, old) : { interval: 0, ease: EASE, reps: 0, lapses: 0 };
    if (correct) {
      if (old && day < dayOf(old.due)) return;
      s.reps += 1;
      s.interval = s.reps === 1 ? 1 : s.reps === 2 ? 3 : Math.min(MAX_DAYS, Math.round(s.interval * s.ease));
    } else {
      if (s.reps > 0) {
        s.lapses += 1;
        s.ease = Math.max(MIN_EASE, Math.round((s.ease - LAPSE) * 100) / 100);
      }
      s.reps = 0;
      s.interval = 1;
    }
    s.due = dateOf(day + s.interval);
    if (page) s.page = page;
    d.review[id] = s;
  }

  // The questions due by today: { id, page, missed }, missed first, then by due date.
  function dueList(data) {
    var all = isObj(data.review) ? data.review : {}, day = today();
    return Object.keys(all).filter(function (id) { return dayOf(all[id].due) <= day; }).map(function (id) {
      var r = data.questions[id];
      return { id: id, page: all[id].page, due: dayOf(all[id].due), missed: !!(r && r.attempts > 0 && !r.correct), at: (r && r.at) || "" };
    }).sort(function (a, b) {
      return (b.missed - a.missed) || (a.due - b.due) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
    });
  }

  // When questions are next due after today, and how many: "Next review: tomorrow, 3 questions."
  function nextReview(data) {
    var all = isObj(data.review) ? data.review : {}, day = today(), first = Infinity, count = 0;
    Object.keys(all).forEach(function (id) {
      var due = dayOf(all[id].due);
      if (due <= day || due > first) return;
      count = due === first ? count + 1 : 1;
      first = due;
    });
    if (!count) return "";
    var wait = first - day;
    return "Next review: " + (wait === 1 ? "tomorrow" : "in " + wait + " days") + ", " + plural(count, "question") + ".";
  }

  // Asks questions of other pages here: each lesson is fetched once and its
  // forms and answer keys brought in, so the asking page stays small however
  // large the site. `list` holds { id, page, pageTitle? }; resolves to the
  // questions shown and those gone (their lesson is gone, or no longer has
  // them). A lesson that cannot be fetched otherwise rejects.
  function loadQuestions(list, box) {
    var pages = {}, forms = {};
    list.forEach(function (q) { if (q.page) (pages[q.page] = pages[q.page] || []).push(q); });
    return Promise.all(Object.keys(pages).map(function (page) {
      var url = new URL(ROOT + page, location.href);
      return fetch(url).then(function (r) {
        if (r.status === 404) return "";
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
        var keys = doc.querySelector("script.quiz-data");
        if (keys) box.appendChild(document.importNode(keys, true));
        pages[page].forEach(function (q) { forms[q.id] = doc.getElementById("q-" + q.id); });
      });
    })).then(function () {
      var shown = list.filter(function (q) { return forms[q.id]; });
      shown.forEach(function (q, i) {
        var form = document.importNode(forms[q.id], true);
        $(".q-number", form).textContent = "Question " + (i + 1) + " of " + shown.length;
        var from = document.createElement("p");
        from.className = "q-source";
        from.appendChild(document.createTextNode("From "));
        var a = document.createElement("a");
        a.href = ROOT + q.page;
        a.textContent = q.pageTitle || form.getAttribute("data-page-title");
        from.appendChild(a);
        form.insertBefore(from, form.firstChild);
        box.appendChild(form);
      });
      if (window.learnQuiz) window.learnQuiz.init(box, { restore: false });
      return { shown: shown, gone: list.filter(function (q) { return !forms[q.id]; }) };
    });
  }

  // An open question's answer once it has been compared with the model answer.
  function practised(data, id) {
    var r = isObj(data.open) && data.open[id];
    return r && r.shown && r.text.trim() ? r : null;
  }

  // Lessons done, questions right and practice done among the given ids and lesson URLs.
  function tally(data, ids, lessons, practice) {
    var t = { right: 0, tried: 0, total: ids.length, done: 0, lessons: lessons.length, practice: 0, practised: 0, met: 0, criteria: 0 };
    (practice || []).forEach(function (id) {
      var r = practised(data, id);
      t.practice++;
      if (!r) return;
      t.practised++;
      t.met += r.ticks.length;
      t.criteria += r.of || 0;
    });
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
    return Object.keys(data.questions).length > 0 || Object.keys(data.lessons).length > 0 || (isObj(data.open) && Object.keys(data.open).length > 0);
  }

  // Practice done counts toward completion beside questions right; it is never right or wrong.
  function share(t) {
    if (t.total + t.practice) return (t.right + t.practised) / (t.total + t.practice);
    return t.lessons ? t.done / t.lessons : 0;
  }

  function practiceLine(t) {
    return t.practised + " of " + plural(t.practice, "practice task") + " done" +
      (t.practised ? " (" + t.met + " of " + t.criteria + " " + (t.criteria === 1 ? "criterion" : "criteria") + ")" : "");
  }

  function summary(t) {
    return t.done + " of " + plural(t.lessons, "lesson") + " done · " + t.right + " of " + plural(t.total, "question") + " right" +
      (t.practice ? " · " + practiceLine(t) : "");
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
    if (!t.tried && !t.done && !t.practised) return "Not started";
    var s = share(t);
    if (s >= 1) return "Mastered";
    if (s >= 0.7) return "Strong";
    if (s >= 0.4) return "Developing";
    return "Started";
  }

  // The areas this page lists ([data-progress-area] with data-src, the URL
  // of the area's lessons file, and data-counts, "lessons questions
  // practice"). An area's lessons and their question ids are fetched only
  // when the learner has progress in it: the counts paint the others, so the
  // page carries no ids and stays small however big the site.
  var areas = [];
  $$("[data-progress-area][data-src]").forEach(function (el) {
    var url = el.getAttribute("data-progress-area");
    if (areas.some(function (a) { return a.url === url; })) return;
    var n = words(el, "data-counts").map(Number);
    areas.push({ url: url, src: el.getAttribute("data-src"), prompts: el.getAttribute("data-prompts"),
      lessons: n[0] || 0, questions: n[1] || 0, practice: n[2] || 0 });
  });
  function areaAt(url) { return areas.filter(function (a) { return a.url === url; })[0]; }
  function areaOf(page) { return areas.filter(function (a) { return page.indexOf(a.url) === 0; })[0]; }

  // A file of this site as JSON, fetched once per page (again after a failure).
  var fetched = {};
  function getJSON(src) {
    return fetched[src] || (fetched[src] = fetch(src).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + src);
      return r.json();
    }).catch(function (e) { delete fetched[src]; throw e; }));
  }

  // An area's lessons: [{ url, title, minutes, ids, practice, area }], from
  // its file: {"title", "lessons": [[url, title, minutes, "ids", "practice ids"]]}.
  function lessonsOf(a) {
    return getJSON(a.src).then(function (d) {
      return d.lessons.map(function (l) {
        return { url: l[0], title: l[1], minutes: l[2], ids: split(l[3]), practice: split(l[4]), area: d.title };
      });
    });
  }

  // The pages the learner's records are on: lessons done, answers (their
  // page, or their review's), practice answers; `all` when a record does not
  // say (one kept before records named their page).
  function placed(data) {
    var pages = Object.keys(data.lessons), all = false, due = isObj(data.review) ? data.review : {};
    function place(r, id) {
      var page = (r && r.page) || (due[id] && due[id].page);
      if (typeof page === "string") pages.push(page);
      else all = true;
    }
    Object.keys(data.questions).forEach(function (id) { place(data.questions[id], id); });
    if (isObj(data.open)) Object.keys(data.open).forEach(function (id) { place(data.open[id], null); });
    return { pages: pages, all: all };
  }

  // Loads the lessons of the areas the learner has progress in: all of them
  // when a record does not say where it is, or names a page under an area
  // that no longer lists it (a lesson moved). Resolves to { area URL: lessons }.
  function loadAreas(data) {
    var p = placed(data);
    function load(list) {
      return Promise.all(list.map(lessonsOf)).then(function (got) {
        var map = {};
        list.forEach(function (a, i) { map[a.url] = got[i]; });
        return map;
      });
    }
    var wanted = p.all ? areas : areas.filter(function (a) {
      return p.pages.some(function (u) { return u.indexOf(a.url) === 0; });
    });
    return load(wanted).then(function (map) {
      var stray = wanted.length < areas.length && p.pages.some(function (u) {
        var a = areaOf(u);
        return a && u !== a.url && !map[a.url].some(function (l) { return l.url === u; });
      });
      return stray ? load(areas) : map;
    });
  }

  // The learner's progress in an area: counted from its lessons when loaded,
  // else nothing done of what data-counts says it has.
  function areaTally(data, a, lessons) {
    if (!lessons) {
      return { right: 0, tried: 0, total: a.questions, done: 0, lessons: a.lessons, practice: a.practice, practised: 0, met: 0, criteria: 0 };
    }
    var all = function (f) { return lessons.reduce(function (out, l) { return out.concat(f(l)); }, []); };
    return tally(data, all(function (l) { return l.ids; }), all(function (l) { return [l.url]; }), all(function (l) { return l.practice; }));
  }

  function paintAreas(data, map) {
    $$("[data-progress-area]").forEach(function (el) {
      var a = areaAt(el.getAttribute("data-progress-area"));
      if (!a) return;
      var t = areaTally(data, a, map[a.url]);
      if (el.tagName === "TR") {
        $(".lessons-done", el).textContent = t.done + " of " + t.lessons;
        $(".questions-right", el).textContent = t.right + " of " + t.total;
        var cell = $(".mastery-level", el);
        if (cell) {
          var started = t.tried || t.done || t.practised;
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
    var lessons = {};
    Object.keys(map).forEach(function (url) { map[url].forEach(function (l) { lessons[l.url] = l; }); });
    $$("[data-progress-lesson]").forEach(function (el) {
      var l = lessons[el.getAttribute("data-progress-lesson")];
      var t = l ? tally(data, l.ids, [l.url], l.practice) : null;
      var parts = [];
      if (t && t.done) parts.push("✓ Done");
      if (t && t.tried) parts.push(t.right + " of " + t.total + " right");
      if (t && t.practised) parts.push(practiceLine(t));
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

  // "5 questions due for review", linking to the review page, wherever a page
  // has room for it (home, progress); with none due, progress says when the
  // next are, and a page's own words stay when nothing is scheduled.
  function paintDue(data) {
    $$(".review-due, .review-count").forEach(function (el) {
      if (el.learnEmpty == null) el.learnEmpty = el.innerHTML;
      var due = dueList(data).length;
      var next = el.hasAttribute("data-next") && nextReview(data);
      if (due) {
        var a = document.createElement("a");
        a.href = ROOT + "review/";
        a.textContent = plural(due, "question") + " due for review";
        el.textContent = "";
        el.appendChild(a);
      } else if (next) el.textContent = "No questions due for review today. " + next;
      else el.innerHTML = el.learnEmpty;
      el.hidden = !el.textContent;
    });
  }

  // Home: where to go next. The page says "Start here" with the first lesson;
  // a returning learner gets "Continue" with the lesson last worked on while
  // it is not done, else the next one not done after it (going round), or
  // "All lessons done". Areas are fetched as the search reaches them.
  var next = document.getElementById("home-next");
  var first = next && { href: $("a", next).getAttribute("href"), label: $(".next-label", next).firstChild.nodeValue,
    title: $(".next-title", next).textContent, where: $(".next-where", next).textContent };
  function paintNext(data, map) {
    if (!hasAny(data)) return showNext(first);
    // Every record is in a loaded area, so the lesson last worked on is too.
    var from = [0, 0], latest = "";
    areas.forEach(function (a, k) {
      (map[a.url] || []).forEach(function (l, i) {
        var at = (data.lessons[l.url] || {}).at || "";
        l.ids.forEach(function (id) { var r = data.questions[id]; if (r && r.at > at) at = r.at; });
        if (at > latest) { latest = at; from = [k, i]; }
      });
    });
    return notDone(data, from[0], from[1], 0).then(showNext);
  }

  // The first lesson not done from lesson `i` of area `k` on, `step` areas
  // further, going round to the lessons of area `k` before `i`.
  function notDone(data, k, i, step) {
    var total = areas.reduce(function (n, a) { return n + a.lessons; }, 0);
    if (step > areas.length) {
      return Promise.resolve({ href: ROOT + "progress/", label: "All lessons done", title: "See your progress", where: plural(total, "lesson") + " done" });
    }
    var a = areas[(k + step) % areas.length];
    var later = function () { return notDone(data, k, i, step + 1); };
    if (!a.lessons) return later();
    return lessonsOf(a).then(function (lessons) {
      var start = step === 0 ? i : 0, end = step === areas.length ? i : lessons.length;
      for (var j = start; j < end; j++) {
        var l = lessons[j];
        if (!data.lessons[l.url]) return { href: ROOT + l.url, label: "Continue", title: l.title, where: l.area + " · " + l.minutes + " min read" };
      }
      return later();
    });
  }

  function showNext(show) {
    $("a", next).setAttribute("href", show.href);
    $(".next-label", next).firstChild.nodeValue = show.label;
    $(".next-title", next).textContent = show.title;
    $(".next-where", next).textContent = show.where;
  }

  // Painting: what needs no area data at once; the rest once the areas the
  // learner has progress in are loaded, marked busy meanwhile. A later
  // change paints over an earlier one still loading.
  var after = []; // more to paint once areas are loaded: function (data, map) → promise or nothing
  if (next) after.push(paintNext);
  var painting = 0;
  function paint(data) {
    paintDue(data);
    paintDone(data);
    var turn = ++painting;
    var busy = $$("[data-progress-area], [data-progress-lesson], #home-next");
    busy.forEach(function (el) { el.setAttribute("aria-busy", "true"); });
    var current = function () { return turn === painting; };
    (hasAny(data) ? loadAreas(data) : Promise.resolve({})).then(function (map) {
      if (!current()) return null;
      paintAreas(data, map);
      return Promise.all(after.map(function (fn) { return fn(data, map, current); }));
    }).catch(function (e) {
      // Offline with nothing kept, say: the page keeps what it showed.
      if (current() && failed) failed(e);
    }).then(function () {
      if (current()) busy.forEach(function (el) { el.removeAttribute("aria-busy"); });
    });
  }
  var failed = null; // what to say when progress cannot be loaded, on pages with room for it
  store.subscribe(paint);

  if (document.getElementById("question-index")) progressPage();
  paint(read());

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
    // The questions the lists may name, in curriculum order: id, page, page
    // title, prompt text. Those of standalone pages are on this page; an
    // area's are fetched from its questions file (data-prompts) when the
    // learner has missed one of them or written a practice answer there.
    function index(list) {
      return list.map(function (q) { return { id: q.id, page: q.page, pageTitle: q.title, prompt: q.prompt }; });
    }
    var standalone = [];
    try {
      standalone = index(JSON.parse(document.getElementById("question-index").textContent));
    } catch (e) { /* no index: the page still shows mastery and backup */ }
    var questions = standalone;

    function say(message) { status.textContent = message; }
    failed = function (e) { say("Your progress by area could not be loaded (" + e.message + "). Reload the page to try again."); };

    function isMissed(data, id) {
      var r = data.questions[id];
      return !!(r && r.attempts > 0 && !r.correct);
    }
    function hasText(data, id) { return isObj(data.open) && data.open[id] && data.open[id].text.trim(); }

    // The prompts of the areas loaded whose questions the lists name, then the page is painted.
    after.push(function (data, map, current) {
      var wanted = areas.filter(function (a) {
        return a.prompts && (map[a.url] || []).some(function (l) {
          return l.ids.some(function (id) { return isMissed(data, id); }) || l.practice.some(function (id) { return hasText(data, id); });
        });
      });
      return Promise.all(wanted.map(function (a) { return getJSON(a.prompts); })).then(function (lists) {
        if (!current()) return;
        questions = lists.reduce(function (all, list) { return all.concat(index(list)); }, []).concat(standalone);
        paintPage(data);
      });
    });

    function missed(data) {
      return questions.filter(function (q) { return isMissed(data, q.id); });
    }

    // Each practice answer written, with its self-score once compared with the model answer.
    function paintPractice(data) {
      var box = document.getElementById("practice-list");
      var open = isObj(data.open) ? data.open : {};
      if (!box) return;
      var list = questions.filter(function (q) { return open[q.id] && open[q.id].text.trim(); });
      box.textContent = "";
      if (!list.length) {
        var none = document.createElement("p");
        none.textContent = "No practice answers yet.";
        box.appendChild(none);
        return;
      }
      var ol = document.createElement("ol");
      ol.className = "missed practice";
      list.forEach(function (q) {
        var r = open[q.id];
        ol.appendChild(questionItem(q, r.shown ? "self-score " + r.ticks.length + " of " + (r.of || 0) + " criteria" : "draft, not yet compared with the model answer"));
      });
      box.appendChild(ol);
    }

    // A listed question: its prompt linking to it on its lesson, then its lesson and `detail`.
    function questionItem(q, detail) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = ROOT + q.page + "#q-" + q.id;
      a.textContent = q.prompt;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = q.pageTitle + " · " + detail;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(meta);
      return li;
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
          ol.appendChild(questionItem(q, plural(data.questions[q.id].attempts, "attempt")));
        });
        missedBox.appendChild(ol);
      }
      paintPractice(data);
      startReview.hidden = !list.length;
      startReview.textContent = "Review " + (list.length === 1 ? "the missed question" : "the " + list.length + " missed questions");
      if (reviewing.length) {
        var right = reviewing.filter(function (id) { var r = data.questions[id]; return r && r.correct; }).length;
        reviewScore.textContent = right + " of " + reviewing.length + " now right.";
      }
      document.getElementById("storage-note").hidden = store.available();
    }

    // Review asks the missed questions again on this page, fetched from their lessons.
    startReview.addEventListener("click", function () {
      var list = missed(read());
      reviewing = list.map(function (q) { return q.id; });
      reviewBox.textContent = "";
      startReview.disabled = true;
      say("Loading the questions to review…");
      loadQuestions(list, reviewBox).then(function (found) {
        review.hidden = false;
        say(found.gone.length ? found.gone.length + " of the missed questions are no longer on the site." : "");
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
        lessonsOf(areaAt(row.getAttribute("data-progress-area"))).then(function (lessons) {
          update(function (d) {
            lessons.forEach(function (l) {
              l.ids.forEach(function (id) {
                delete d.questions[id];
                delete reviews(d)[id];
              });
              l.practice.forEach(function (id) { if (isObj(d.open)) delete d.open[id]; });
              delete d.lessons[l.url];
            });
          });
          say("Your progress in " + name + " was reset.");
        }, function (e) {
          say("Your progress in " + name + " could not be reset (" + e.message + ").");
        });
      });
    });

    document.getElementById("reset-all").addEventListener("click", function () {
      if (!window.confirm("Reset all your progress on this site? This cannot be undone.")) return;
      write(empty());
      say("All your progress was reset.");
    });

    // "4 answered questions, 1 practice answer and 1 lesson marked done".
    function contents(data) {
      var open = isObj(data.open) ? Object.keys(data.open).length : 0;
      return plural(Object.keys(data.questions).length, "answered question") + (open ? ", " + plural(open, "practice answer") : "") +
        " and " + plural(Object.keys(data.lessons).length, "lesson") + " marked done";
    }

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
      backupStatus.textContent = "Exported " + contents(data) + ".";
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
        backupStatus.textContent = "Imported " + contents(file.progress) + "." +
          (file.site === KEY ? "" : " The file came from a copy of the site at another address.");
      });
    });

  }
})();
