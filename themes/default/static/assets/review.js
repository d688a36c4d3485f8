// The review page: the questions due today from any lesson, missed ones first,
// at most LIMIT at a time. progress.js keeps the schedule (its comment gives
// the algorithm) and fetches the questions from their lessons; quiz.js checks
// them and reschedules each one as it is answered. A question whose lesson no
// longer has it is taken off the schedule.
(function () {
  "use strict";
  var store = window.learnProgress;
  var status = document.getElementById("review-status");
  if (!store || !status) return;
  var LIMIT = 20;
  var section = document.getElementById("review");
  var box = document.getElementById("review-questions");
  var next = document.getElementById("review-next");
  var asked = [];

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function isDue(data, id) {
    var s = data.review && data.review[id];
    return s && store.dayOf(s.due) <= store.today();
  }

  function paint(data) {
    document.getElementById("storage-note").hidden = store.available();
    next.textContent = store.nextReview(data);
    if (!asked.length) return;
    var left = asked.filter(function (q) { return isDue(data, q.id); }).length;
    var more = store.due(data).length - left;
    status.textContent = left ? (asked.length - left) + " of " + plural(asked.length, "question") + " reviewed." :
      "All " + plural(asked.length, "question") + " reviewed." + (more > 0 ? " " + more + " more due today: reload the page for them." : "");
  }

  var data = store.read();
  var due = store.due(data);
  if (!due.length) {
    status.textContent = data.review && Object.keys(data.review).length ? "Nothing is due for review today." :
      "Nothing to review yet: the questions you answer in the lessons will come back here.";
    paint(data);
    return;
  }
  status.textContent = "Loading " + plural(due.length, "question") + " due for review…";
  store.loadQuestions(due.slice(0, LIMIT), box).then(function (found) {
    asked = found.shown;
    if (found.gone.length) {
      store.update(function (d) { found.gone.forEach(function (q) { delete d.review[q.id]; }); });
    }
    section.hidden = !asked.length;
    status.textContent = asked.length ? plural(asked.length, "question") + " due for review" +
      (due.length > LIMIT ? ", the first " + LIMIT + " of " + due.length + "." : ".") :
      "Nothing is due for review today: the questions that were are no longer on the site.";
    store.subscribe(paint);
    next.textContent = store.nextReview(store.read());
  }, function (e) {
    status.textContent = "The questions could not be loaded (" + e.message + "). Try again when you are online.";
  });
})();
