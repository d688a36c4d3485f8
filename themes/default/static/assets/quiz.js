// Self-check questions. Answers are checked in the browser against the key the
// page embeds (script.quiz-data); each attempt is recorded, and its question
// scheduled for spaced review, through window.learnProgress (progress.js).
// Feedback is written below the buttons so nothing above them moves, and says
// right or wrong in words as well as with an icon. Open questions are practice:
// the answer is kept as it is typed, and scored by the learner against the
// rubric. Without this script the questions still read well, and their
// answers sit in a <details>.
(function () {
  "use strict";
  var store = window.learnProgress;
  var keys = null;
  var MAX_MS = 10 * 60 * 1000; // an attempt left open longer is counted as ten minutes
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var ICONS = {
    ok: '<svg class="q-icon" aria-hidden="true" viewBox="0 0 24 24"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>',
    bad: '<svg class="q-icon" aria-hidden="true" viewBox="0 0 24 24"><path d="M7 7l10 10M17 7L7 17"/></svg>',
    info: '<svg class="q-icon" aria-hidden="true" viewBox="0 0 24 24"><path d="M12 7v.5M12 11v6"/></svg>'
  };

  // The same rules as src/quiz/answer.rs, held to the same table of cases
  // (tests/fixtures/browser-quiz/normalise-cases.json). A text answer is
  // compared with accents composed, in lower case, keeping only letters and
  // digits of any script: "mix-shift" = "mix shift" = "mixshift".
  function normalise(s) {
    var out = "";
    for (var ch of String(s).normalize("NFC")) {
      for (var c of ch.toLowerCase()) if (ALNUM.test(c)) out += c;
    }
    return out;
  }

  // A number as people type it ("£350k", "1,200", "2,5", "56 %", "−3"), or
  // why it is not one, in a sentence the learner is shown.
  function parseNumber(raw) {
    var shown = String(raw).replace(/^\p{White_Space}+|\p{White_Space}+$/gu, "");
    var t = shown.replace(/[\u2212\u2013]/g, "-");
    var cut = function (re) {
      var found = "";
      t = t.replace(re, function (m) { found = m; return ""; });
      return found;
    };
    if (!shown) return "It is empty.";
    if (!/\d/.test(shown)) return "“" + shown + "” has no digits.";
    var sign = cut(/^[-+]\p{White_Space}*/u);
    var currency = cut(/^[£$€¥]\p{White_Space}*/u);
    if (!sign) sign = cut(/^[-+]\p{White_Space}*/u);
    if (!currency) cut(/\p{White_Space}*[£$€¥]$/u);
    cut(/\p{White_Space}*%$/u);
    var word = cut(/\p{Alphabetic}*$/u);
    var exp = ["", "k", "m", "bn"].indexOf(word.toLowerCase()) * 3;
    if (exp < 0) return "“" + word + "” is not part of a number.";
    var bad = /[^\d.,'’\p{White_Space}]+/u.exec(t);
    if (bad) return "“" + bad[0] + "” is not part of a number.";
    t = t.replace(/[^\d.,]/g, "");
    if (/^(\d+\.?\d*|\.\d+)$/.test(t)) { /* 2.5 */ }
    else if (/^[1-9]\d{0,2}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, "");
    else if (/^[1-9]\d{0,2}((\.\d{3})+,\d*|(\.\d{3}){2,})$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^\d*,\d+$/.test(t)) t = t.replace(",", ".");
    else return "“" + shown + "” has commas or full stops in the wrong places.";
    var x = Number(sign.trim() + t + "e" + exp);
    return isFinite(x) ? x : "“" + shown + "” is too large.";
  }

  // Answer keys come from the page's own quiz data, and from quiz data that
  // review mode brings in with questions fetched from their lessons.
  function loadKeys(root) {
    keys = keys || {};
    var scripts = Array.prototype.slice.call((root || document).querySelectorAll("script.quiz-data"));
    scripts.forEach(function (s) {
      try {
        JSON.parse(s.textContent).forEach(function (q) { keys[q.id] = q; });
      } catch (e) { /* a broken key leaves its questions as plain text */ }
    });
  }

  function choiceInputs(form) { return Array.prototype.slice.call(form.querySelectorAll(".choice input")); }

  // Shows the choices in a new random order (on load and on "Try again") when
  // the page allows it (form[data-shuffle]). Each option moves whole, its
  // label still bound to its input, and keeps its written index as its value,
  // so answers are stored and judged by choice, never by place on screen.
  // Without this script, and in the answer's <details>, the written order stays.
  function shuffle(form) {
    var list = form.hasAttribute("data-shuffle") && form.querySelector(".choices");
    if (!list) return;
    var items = Array.prototype.slice.call(list.children);
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    items.forEach(function (li) { list.appendChild(li); });
  }

  // The learner's answer in the form it is stored: written indices in order, a boolean, or the text typed; null if none.
  function readAnswer(form, q) {
    if (q.key.kind === "text" || q.key.kind === "number") {
      var v = form.querySelector(".answer-input").value;
      return v.trim() ? v.trim() : null;
    }
    var picked = choiceInputs(form).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    if (!picked.length) return null;
    if (q.key.kind === "bool") return picked[0] === "true";
    return picked.map(Number).sort(function (a, b) { return a - b; });
  }

  function fill(form, q, answer) {
    if (q.key.kind === "text" || q.key.kind === "number") {
      if (typeof answer === "string") form.querySelector(".answer-input").value = answer;
      return;
    }
    var want = Array.isArray(answer) ? answer.map(String) : [String(answer)];
    choiceInputs(form).forEach(function (i) { i.checked = want.indexOf(i.value) >= 0; });
  }

  function isRightChoice(key, index) {
    return key.kind === "bool" ? String(key.value) === index : key.correct.indexOf(Number(index)) >= 0;
  }

  // { correct, invalid?, ... } for an answer against the key.
  function grade(key, answer) {
    if (key.kind === "choices") {
      var right = answer.filter(function (i) { return key.correct.indexOf(i) >= 0; }).length;
      return { correct: right === key.correct.length && right === answer.length, right: right, wrong: answer.length - right, of: key.correct.length };
    }
    if (key.kind === "bool") return { correct: answer === key.value };
    if (key.kind === "text") {
      var n = normalise(answer);
      if (!n) return { invalid: "Type a word or two first." };
      return { correct: key.accept.some(function (a) { return normalise(a) === n; }) };
    }
    var x = parseNumber(answer);
    if (typeof x === "string") return { invalid: "Type a number, such as 12 or 0.5.", why: x };
    var off = x - key.value;
    return { correct: Math.abs(off) <= key.tolerance + 1e-9 * Math.max(1, Math.abs(key.value)), high: off > 0 };
  }

  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html != null) e.innerHTML = html;
    return e;
  }

  function clear(form) {
    form.classList.remove("checked");
    form.removeAttribute("data-result");
    form.querySelectorAll(".choice").forEach(function (li) { li.classList.remove("is-right", "is-wrong"); });
    form.querySelectorAll(".choice .mark").forEach(function (m) { m.remove(); });
    choiceInputs(form).forEach(function (i) { i.removeAttribute("aria-describedby"); });
    var input = form.querySelector(".answer-input");
    if (input) input.removeAttribute("aria-invalid");
    form.querySelector(".q-verdict").textContent = "";
    form.querySelector(".q-more").textContent = "";
    form.querySelector(".retry").hidden = true;
  }

  // An icon and a word on each chosen option; the icon's space is reserved, so nothing moves.
  function markChoices(form, key, answer) {
    var picked = Array.isArray(answer) ? answer.map(String) : [String(answer)];
    form.querySelectorAll(".choice").forEach(function (li) {
      var index = li.getAttribute("data-index");
      if (picked.indexOf(index) < 0) return;
      var good = isRightChoice(key, index);
      li.classList.add(good ? "is-right" : "is-wrong");
      var input = li.querySelector("input");
      var mark = el("span", "mark", (good ? ICONS.ok : ICONS.bad) + '<span class="visually-hidden">' + (good ? "Right" : "Wrong") + "</span>");
      mark.id = input.id + "-mark";
      li.appendChild(mark);
      input.setAttribute("aria-describedby", mark.id);
    });
  }

  function verdict(form, kind, strong, rest) {
    var p = form.querySelector(".q-verdict");
    p.className = "q-verdict is-" + kind;
    p.innerHTML = ICONS[kind] + "<strong></strong> <span></span>";
    p.querySelector("strong").textContent = strong;
    p.querySelector("span").textContent = rest || "";
  }

  function message(q, answer, result) {
    if (result.correct) return "";
    if (q.key.kind === "choices" && q.type === "multiple") {
      var missing = result.of - result.right;
      var extra = result.wrong ? " and " + result.wrong + " wrong " + (result.wrong === 1 ? "one" : "ones") : "";
      return missing ? "You picked " + result.right + " of the " + result.of + " right choices" + extra + "." :
        "You picked all the right choices, but also " + result.wrong + " wrong " + (result.wrong === 1 ? "one" : "ones") + ".";
    }
    if (q.key.kind === "text") return "“" + answer + "” is not one of the accepted answers.";
    if (q.key.kind === "number") return answer + " is too " + (result.high ? "high." : "low.");
    return "";
  }

  // The details under the verdict: each chosen option's feedback, then the explanation.
  function details(form, q, answer) {
    var more = form.querySelector(".q-more");
    more.textContent = "";
    if (q.key.kind === "choices") {
      var ul = el("ul", "q-choice-feedback");
      answer.forEach(function (i) {
        var good = isRightChoice(q.key, String(i));
        var label = form.querySelector('.choice[data-index="' + i + '"] label');
        var fb = form.querySelector('.answer-choices li[data-index="' + i + '"] .cf');
        var li = el("li", good ? "is-right" : "is-wrong", (good ? ICONS.ok : ICONS.bad) + "<strong>" + (good ? "Right:" : "Wrong:") + "</strong> ");
        var text = el("span", "cf-choice", label ? label.innerHTML : "");
        li.appendChild(text);
        if (fb) {
          li.appendChild(document.createTextNode(" — "));
          li.appendChild(el("span", "cf-text", fb.innerHTML));
        }
        ul.appendChild(li);
      });
      more.appendChild(ul);
    }
    var explanation = form.querySelector(".q-answer .explanation");
    if (explanation) {
      var box = el("div", "q-explanation", "<p class=\"q-explanation-title\">Explanation</p>");
      box.appendChild(el("div", "", explanation.innerHTML));
      more.appendChild(box);
    }
  }

  function check(form, q) {
    var answer = readAnswer(form, q);
    var spent = form._started ? Math.min(Date.now() - form._started, MAX_MS) : 0;
    clear(form);
    if (answer == null) {
      verdict(form, "info", q.key.kind === "text" || q.key.kind === "number" ? "Type your answer first." : "Choose an answer first.");
      return;
    }
    var result = grade(q.key, answer);
    if (result.invalid) {
      form.querySelector(".answer-input").setAttribute("aria-invalid", "true");
      verdict(form, "info", result.invalid, result.why);
      return;
    }
    form._started = 0;
    form.classList.add("checked");
    form.setAttribute("data-result", result.correct ? "right" : "wrong");
    if (q.key.kind === "choices" || q.key.kind === "bool") markChoices(form, q.key, answer);
    verdict(form, result.correct ? "ok" : "bad", result.correct ? "Correct." : "Not quite.", message(q, answer, result));
    details(form, q, answer);
    reveal(form);
    form.querySelector(".retry").hidden = result.correct;
    if (store) {
      store.update(function (d) {
        var r = d.questions[q.id] || { attempts: 0, correct: false, answer: null, ms: 0, at: "" };
        r.attempts += 1;
        r.correct = !!result.correct;
        r.answer = answer;
        r.ms = Math.round((r.ms || 0) + spent);
        r.at = new Date().toISOString();
        // Its page tells progress.js which area's data to fetch to count it.
        r.page = form.getAttribute("data-page") || r.page;
        d.questions[q.id] = r;
        if (store.schedule) store.schedule(d, q.id, r.correct, form.getAttribute("data-page"));
      });
    }
  }

  // Shows where the learner left a question: their last answer and a one-line verdict.
  function restore(form, q, record) {
    if (record.answer == null) return;
    fill(form, q, record.answer);
    form.classList.add("checked");
    form.setAttribute("data-result", record.correct ? "right" : "wrong");
    if (q.key.kind === "choices" || q.key.kind === "bool") markChoices(form, q.key, record.answer);
    var times = record.attempts === 1 ? "1 attempt" : record.attempts + " attempts";
    verdict(form, record.correct ? "ok" : "bad", record.correct ? "Correct" : "Not right", "last time (" + times + ")." + (record.correct ? "" : " Try again."));
    form.querySelector(".retry").hidden = record.correct;
    reveal(form);
  }

  // With `answers_without_js = false` the answer is hidden until the learner has tried.
  function reveal(form) {
    form.querySelector(".q-answer").hidden = false;
  }

  // An open question: the answer is saved as it is typed (after a pause, and
  // when the page is left) and kept across visits; "Show the model answer"
  // opens the model answer and the rubric, whose ticks are the self-score.
  function setUpOpen(form, q, options) {
    var box = form.querySelector(".open-input");
    var details = form.querySelector(".q-answer");
    var ticks = Array.prototype.slice.call(form.querySelectorAll(".rubric input"));
    var score = form.querySelector(".self-score");
    var timer = 0;
    function save(change) {
      if (!store) return;
      store.update(function (d) {
        var all = d.open && typeof d.open === "object" ? d.open : (d.open = {});
        var r = all[q.id] || { text: "", shown: false, ticks: [] };
        change(r);
        r.of = ticks.length;
        r.at = new Date().toISOString();
        r.page = form.getAttribute("data-page") || r.page;
        all[q.id] = r;
      });
    }
    function flush() {
      if (!timer) return;
      clearTimeout(timer);
      timer = 0;
      save(function (r) { r.text = box.value; });
    }
    function picked() { return ticks.filter(function (t) { return t.checked; }); }
    function paintScore() {
      score.textContent = "Your self-score: " + picked().length + " of " + ticks.length + " criteria.";
    }
    function shown() {
      flush();
      paintScore();
      var r = store && (store.read().open || {})[q.id];
      if (!r || !r.shown) save(function (r) { r.shown = true; });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(flush, 400);
    });
    window.addEventListener("pagehide", flush);
    details.addEventListener("toggle", function () { if (details.open) shown(); });
    ticks.forEach(function (t) {
      t.addEventListener("change", function () {
        paintScore();
        save(function (r) { r.shown = true; r.ticks = picked().map(function (i) { return Number(i.value); }); });
      });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!box.value.trim() || box.value.trim() === box.defaultValue.trim()) {
        verdict(form, "info", "Write your answer first,", "then compare it with the model answer.");
        box.focus();
        return;
      }
      reveal(form);
      details.open = true;
      shown();
      verdict(form, "info", "Compare your answer with the model answer,", "then tick each criterion of the rubric it meets.");
      details.querySelector("summary").focus();
    });
    form.querySelector(".copy-answer").addEventListener("click", function () {
      var told = function (ok) {
        if (ok) verdict(form, "ok", "Copied", "your answer to the clipboard.");
        else verdict(form, "info", "Select your answer and copy it", "with Ctrl+C (⌘C on a Mac).");
      };
      var fallback = function () {
        box.select();
        try { told(document.execCommand("copy")); } catch (e) { told(false); }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(box.value).then(function () { told(true); }, fallback);
      else fallback();
    });
    var record = options.restore && store && (store.read().open || {})[q.id];
    if (!record) return;
    if (record.text) box.value = record.text;
    ticks.forEach(function (t) { t.checked = record.ticks.indexOf(Number(t.value)) >= 0; });
    // Shown where it was left, moving nothing: the model answer stays closed.
    if (record.shown) {
      reveal(form);
      paintScore();
    }
  }

  function setUp(form, options) {
    if (form.hasAttribute("data-ready")) return;
    var q = keys[form.getAttribute("data-id")];
    if (!q) return;
    form.setAttribute("data-ready", "");
    if (q.key.kind === "open") return setUpOpen(form, q, options);
    shuffle(form);
    var start = function () { if (!form._started) form._started = Date.now(); };
    form.addEventListener("focusin", start);
    form.addEventListener("pointerdown", start);
    form.addEventListener("input", function () {
      start();
      // A changed answer is a new attempt: the old verdict no longer applies.
      if (form.classList.contains("checked")) clear(form);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      check(form, q);
    });
    form.querySelector(".retry").addEventListener("click", function () {
      clear(form);
      choiceInputs(form).forEach(function (i) { i.checked = false; });
      shuffle(form);
      var input = form.querySelector(".answer-input");
      if (input) input.value = "";
      var first = form.querySelector("fieldset input");
      if (first) first.focus();
      form._started = Date.now();
    });
    if (options.restore && store) {
      var record = store.read().questions[q.id];
      if (record && record.attempts > 0) restore(form, q, record);
    }
  }

  function init(root, options) {
    loadKeys(root);
    (root || document).querySelectorAll("form.question").forEach(function (form) { setUp(form, options || { restore: true }); });
  }

  window.learnQuiz = { init: init, normalise: normalise, parseNumber: parseNumber, grade: grade };
  init(document, { restore: true });
})();
