// Site-wide behaviour: the dark-mode toggle and the `/` shortcut that focuses
// search. Search itself is loaded on first use so pages stay light.
(function () {
  "use strict";
  var body = document.body;
  var key = body.dataset.storageKey + ":theme";
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-toggle");
  function isDark() {
    var chosen = root.dataset.theme;
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(key, next); } catch (e) { /* private mode: the choice lasts this page only */ }
      toggle.setAttribute("aria-pressed", String(next === "dark"));
    });
  }
  var input = document.getElementById("search-input");
  var loading = null;
  function loadSearch() {
    if (loading || !input) return;
    loading = document.createElement("script");
    loading.src = body.dataset.root + "assets/search.js";
    loading.defer = true;
    document.head.appendChild(loading);
  }
  if (input) {
    input.addEventListener("focus", loadSearch, { once: true });
    input.addEventListener("input", loadSearch, { once: true });
  }
  if (document.getElementById("search-page-input")) loadSearch();
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var target = document.getElementById("search-page-input") || input;
    if (target) { e.preventDefault(); target.focus(); }
  });
})();
