// Site-wide behaviour: the dark-mode toggle, the `/` shortcut that focuses
// search, "More" on a site navigation too wide for the screen, and the offline
// worker. Search itself is loaded on first use so pages stay light.
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
  // A navigation wider than the screen shows "More" over its end, which wraps it.
  var nav = document.querySelector(".site-nav");
  var more = nav && nav.querySelector(".nav-more");
  var list = nav && nav.querySelector("ul");
  function fit() {
    if (nav.classList.contains("expanded")) return;
    nav.classList.remove("overflows");
    var over = list.scrollWidth > list.clientWidth + 1;
    nav.classList.toggle("overflows", over);
    more.hidden = !over;
  }
  if (more && list) {
    more.addEventListener("click", function () {
      var open = !nav.classList.contains("expanded");
      nav.classList.toggle("expanded", open);
      more.setAttribute("aria-expanded", String(open));
      more.textContent = open ? "Less" : "More";
      if (!open) fit();
    });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("expanded")) { more.click(); more.focus(); }
    });
    window.addEventListener("resize", fit);
    fit();
    var here = list.querySelector("[aria-current=page]");
    if (here && here.offsetLeft + here.offsetWidth > list.clientWidth) list.scrollLeft = here.offsetLeft;
  }

  // Offline reading: pages register the worker at the site root unless the
  // site turned it off or `learn serve` made them (data-offline="off"); then a
  // worker left from before is let go, with what it kept.
  var workers = navigator.serviceWorker;
  var scope = new URL(body.dataset.root || "./", location.href).href;
  if (workers && body.dataset.offline === "on") {
    window.addEventListener("load", function () {
      workers.register(body.dataset.root + "sw.js").then(function () { return workers.ready; }).then(function (reg) {
        // A page loaded before the worker ran: hand it what the page loaded, to keep.
        if (workers.controller || !reg.active) return;
        var loaded = performance.getEntriesByType("resource").map(function (e) { return e.name; });
        reg.active.postMessage({ type: "keep", hrefs: [location.href].concat(loaded) });
      }).catch(function () { /* no worker: the site works online as ever */ });
    });
  } else if (workers && body.dataset.offline === "off") {
    workers.getRegistration(scope).then(function (reg) {
      if (!reg || reg.scope !== scope) return;
      // The worker still answers this page's requests: tell it to keep nothing
      // more, or a copy it is still writing would come back after the deletion.
      [workers.controller, reg.active].forEach(function (w) { if (w) w.postMessage({ type: "forget" }); });
      reg.unregister();
      if (!window.caches) return;
      caches.keys().then(function (names) {
        names.forEach(function (n) { if (n.indexOf("learn-offline " + scope + " ") === 0) caches.delete(n); });
      });
    }).catch(function () { /* nothing to let go */ });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var target = document.getElementById("search-page-input") || input;
    if (target) { e.preventDefault(); target.focus(); }
  });
})();
