// Live reload for `learn serve`, served by the server at <base>__learn/reload.js
// and never part of a built site. One event stream per open page: a page whose
// file changed reloads and keeps its scroll position; a changed stylesheet is
// swapped in place; a failed build shows its diagnostics over the page (as
// text, never as HTML) until a good build clears them.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var src = new URL(script.src, location.href);
  var build = src.searchParams.get("build") || "";
  var endpoint = src.pathname.replace(/reload\.js$/, "events");
  var base = endpoint.replace(/__learn\/events$/, "");
  var scrollKey = "learn-serve:scroll:" + location.pathname;
  var source = null;
  var retry = null;
  var overlay = null;
  var state = (window.__learnServe = { connected: false, build: build, reloads: 0 });

  // Back where the reader was before a reload, once now and again after images load.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos.x, pos.y); };
      restore();
      if (document.readyState !== "complete") window.addEventListener("load", restore, { once: true });
    }
  } catch (e) { /* storage unavailable: the browser's own restoration applies */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* storage unavailable */ }
    location.reload();
  }

  // The output file a URL path is, relative to the site's base path.
  function fileOf(pathname) {
    var path;
    try { path = decodeURIComponent(pathname); } catch (e) { return null; }
    if (path.indexOf(base) !== 0) return null;
    var rel = path.slice(base.length);
    return rel === "" || rel.slice(-1) === "/" ? rel + "index.html" : rel;
  }

  // Files this page loads: scripts, images, media, stylesheets.
  function used() {
    var files = {};
    var nodes = document.querySelectorAll("script[src], img[src], link[href], source[src], video[src], audio[src], iframe[src], object[data]");
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      var ref = n.getAttribute("src") || n.getAttribute("href") || n.getAttribute("data");
      try {
        var f = fileOf(new URL(ref, location.href).pathname);
        if (f) files[f] = n;
      } catch (e) { /* not a URL */ }
    }
    return files;
  }

  // "reload", "css" or nothing, for a build that changed these files.
  function effect(changed) {
    var mine = fileOf(location.pathname);
    var missing = document.body && document.body.getAttribute("data-kind") === "404";
    var loads = used();
    var css = false;
    for (var i = 0; i < changed.length; i++) {
      var c = changed[i];
      // A 404 page reloads on any new page: it may be the one that was missing.
      if (c === mine || (missing && /\.html$/.test(c))) return "reload";
      if (/\.css$/.test(c)) { if (loads[c]) css = true; }
      else if (loads[c]) return "reload";
    }
    return css ? "css" : null;
  }

  function swapStyles(changed, token) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      (function (link) {
        var url = new URL(link.href, location.href);
        if (changed.indexOf(fileOf(url.pathname)) === -1) return;
        url.searchParams.set("learn-build", token);
        var next = link.cloneNode();
        next.href = url.href;
        // The old sheet stays until the new one has loaded, so nothing flashes.
        next.addEventListener("load", function () { link.remove(); }, { once: true });
        next.addEventListener("error", function () { next.remove(); }, { once: true });
        link.after(next);
      })(links[i]);
    }
  }

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("learn-serve-overlay");
      var root = overlay.attachShadow({ mode: "open" });
      root.innerHTML =
        "<style>" +
        ":host{all:initial}" +
        ".back{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.55);display:flex;align-items:flex-start;justify-content:center;padding:4vh 1rem;overflow:auto}" +
        ".panel{background:#fff;color:#1a1a1a;max-width:60rem;width:100%;border-top:.4rem solid #b3261e;border-radius:.4rem;padding:1rem 1.25rem;font:15px/1.5 system-ui,sans-serif;box-shadow:0 .5rem 2rem rgba(0,0,0,.4)}" +
        "h2{margin:0 0 .5rem;font-size:1.1rem;color:#b3261e}" +
        "pre{margin:0;padding:.75rem;background:#f4f4f4;border-radius:.25rem;overflow:auto;max-height:60vh;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap}" +
        "p{margin:.75rem 0 0}button{font:inherit;margin-top:.75rem;padding:.3rem .9rem;cursor:pointer}" +
        "</style>" +
        '<div class="back"><div class="panel" role="alert" aria-labelledby="learn-serve-title">' +
        '<h2 id="learn-serve-title">The site did not build. You are seeing the last good build.</h2>' +
        "<pre></pre><p>Fix the file and save: this page updates by itself.</p>" +
        '<button type="button">Hide until the next error</button></div></div>';
      root.querySelector("button").addEventListener("click", hideError);
      document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideError(); });
    }
    // textContent: diagnostics quote the user's source, which must never become markup.
    overlay.shadowRoot.querySelector("pre").textContent = text;
    if (!overlay.isConnected) document.documentElement.appendChild(overlay);
  }

  function hideError() {
    if (overlay && overlay.isConnected) overlay.remove();
  }

  function receive(e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (m.base && m.base !== base) { location.href = m.base; return; }
    if (m.type === "hello") {
      state.connected = true;
      if (m.reload) { reload(); return; }
      if (m.error) showError(m.error); else hideError();
      build = m.build;
    } else if (m.type === "build") {
      hideError();
      build = m.build;
      var what = effect(m.changed || []);
      if (what === "reload") { state.reloads++; reload(); }
      else if (what === "css") swapStyles(m.changed, m.build);
    } else if (m.type === "error") {
      showError(m.text);
    }
    state.build = build;
  }

  function connect() {
    clearTimeout(retry);
    source = new EventSource(endpoint + "?build=" + encodeURIComponent(build) + "&page=" + encodeURIComponent(location.pathname));
    source.onmessage = receive;
    source.onerror = function () {
      // The server stopped or restarted: try again with what this page knows.
      state.connected = false;
      if (source) source.close();
      source = null;
      retry = setTimeout(connect, 1000);
    };
  }

  // A hidden tab lets go of its stream and asks on return what it missed, so
  // open tabs never use up the browser's few connections to the server.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      clearTimeout(retry);
      if (source) { source.close(); source = null; state.connected = false; }
    } else if (!source) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
