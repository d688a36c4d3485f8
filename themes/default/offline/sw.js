// The offline worker of a learn site. `learn build` writes it to the site's
// root as sw.js, below two lines that name the build (VERSION, a hash over
// every file of offline.json, and LANGUAGE), so its scope is the whole site
// under the base path. Pages register it unless `[offline] enabled = false`;
// pages served by `learn serve` never do.
//
// - Every GET in the scope goes to the network first (through the browser's
//   HTTP cache, as without a worker), and a good answer is kept in this
//   build's cache; only without a network is the cached copy served. An
//   online reader always gets the files of the current build.
// - Installing fetches offline.json (every file, its size and hash) and caches
//   the pages open in windows and every file the previous build's cache held
//   (copied when its hash is unchanged, fetched again when not), or every file
//   when the reader had saved the course. It fails, and the previous worker
//   stays with its copy, if that cannot be done. Nothing else is fetched
//   ahead: the first page hands over what it loaded ("keep"), and later pages
//   are kept as they are read.
// - Activating deletes the caches of every other build of this site.
// - The home page's "Save the course" asks, by message, for every file.

const SCOPE = self.registration.scope;
const PREFIX = "learn-offline " + SCOPE + " ";
const NAME = PREFIX + VERSION;
const LIST = SCOPE + "offline.json";
// Kept in a build's cache when the reader saved the whole course.
const SAVED = LIST + "?saved";
const PARALLEL = 4;

const url = (path) => new URL(path, SCOPE).href;
// Cache keys carry no query or fragment: `search/?q=x` is the search page.
const key = (href) => href.replace(/[?#].*$/, "");

// Runs `fn` on every item, a few at a time; fails with the first failure.
function pool(items, fn) {
  let next = 0;
  const run = () => (next < items.length ? Promise.resolve(fn(items[next++])).then(run) : null);
  return Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, run));
}

// This build's list, from the network, with a map of URL → hash.
async function fetchList() {
  const res = await fetch(LIST, { cache: "no-cache" });
  if (!res.ok) throw new Error("offline.json: HTTP " + res.status);
  return readList(res);
}

async function readList(res) {
  const text = await res.text();
  const list = JSON.parse(text);
  list.text = text;
  list.hashes = new Map(list.files.map((f) => [url(f[0]), f[2]]));
  return list;
}

// The cache of the newest other build of this site, with its list, if any.
async function previous() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && n !== NAME).reverse();
  for (const name of names) {
    const cache = await caches.open(name);
    const res = await cache.match(LIST);
    if (!res) continue;
    const list = await readList(res);
    const urls = (await cache.keys()).map((r) => r.url);
    return { cache, list, urls, saved: !!(await cache.match(SAVED)) };
  }
  return null;
}

// Fetches `href` past the HTTP cache and keeps it; a failure is an error.
async function store(cache, href) {
  const res = await fetch(href, { cache: "no-cache" });
  if (!res.ok) throw new Error(href + ": HTTP " + res.status);
  await cache.put(href, res);
}

async function install() {
  const list = await fetchList();
  const cache = await caches.open(NAME);
  const before = await previous();
  const wanted = new Set();
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((w) => wanted.add(key(w.url)));
  if (before) before.urls.forEach((u) => wanted.add(u));
  if (before && before.saved) list.hashes.forEach((_, u) => wanted.add(u));
  await pool([...wanted].filter((u) => list.hashes.has(u)), async (u) => {
    if (before && before.list.hashes.get(u) === list.hashes.get(u)) {
      const kept = await before.cache.match(u);
      if (kept) return cache.put(u, kept);
    }
    return store(cache, u);
  });
  await cache.put(LIST, new Response(list.text, { headers: { "Content-Type": "application/json" } }));
  if (before && before.saved) await cache.put(SAVED, new Response("saved"));
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== NAME).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Set when the site turned offline reading off: keep nothing more, so no copy
// comes back after the page deletes them.
let forgetting = false;

// This build's cache, unless a newer worker has taken over or the site let
// this one go: a worker on its way out must not bring back a cache that was
// deleted by opening it.
async function ours() {
  const gone = () => forgetting || (self.serviceWorker && self.registration.active !== self.serviceWorker);
  if (gone() || !(await caches.has(NAME)) || gone()) return null;
  const cache = await caches.open(NAME);
  return gone() ? null : cache;
}

function keepCopy(event, href, res) {
  const copy = res.clone();
  event.waitUntil(ours().then((cache) => cache && cache.put(href, copy)));
}

// Shown for a page that was never kept, when there is no network.
function offlinePage() {
  const lang = LANGUAGE.replace(/[^A-Za-z0-9-]/g, "");
  const html = "<!DOCTYPE html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Offline</title>" +
    "<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style></head>" +
    "<body><main><h1>You are offline</h1><p>This page has not been saved on this device. Pages you have opened " +
    "before, and the whole course once it is saved from the home page, open without a connection.</p>" +
    "<p><a href=\"" + SCOPE + "\">Home</a></p></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(event, href) {
  try {
    const res = await fetch(event.request);
    if (res.status === 200 && res.type === "basic") keepCopy(event, href, res);
    return res;
  } catch (err) {
    const kept = await caches.match(href, { cacheName: NAME });
    if (kept) return kept;
    // `area` without its slash: the page is `area/`, as the host would redirect.
    if (!href.endsWith("/") && (await caches.match(href + "/", { cacheName: NAME }))) return Response.redirect(href + "/", 301);
    if (event.request.mode === "navigate") return offlinePage();
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const href = key(request.url);
  // The list is this build's own (read at install); the worker is the browser's business.
  if (href === LIST || href === self.location.href || href.startsWith(SCOPE + "__learn/")) return;
  event.respondWith(networkFirst(event, href));
});

// Saves every file of the list, reporting each step through `tell`.
async function save(tell) {
  let done = 0;
  let total = 0;
  try {
    const list = await fetchList();
    const cache = await ours();
    if (!cache) throw new Error("a newer version of the site is being installed");
    total = list.files.length;
    tell({ type: "progress", done, total });
    await pool(list.files, async (f) => {
      const href = url(f[0]);
      if (!(await cache.match(href))) await store(cache, href);
      done++;
      tell({ type: "progress", done, total });
    });
    await cache.put(SAVED, new Response("saved"));
    tell({ type: "saved", files: total, bytes: list.bytes });
  } catch (err) {
    tell({ type: "failed", done, total, message: String((err && err.message) || err) });
  }
}

// Keeps files a page loaded before the worker controlled it (its images, say).
async function keep(hrefs) {
  const cache = await ours();
  if (!cache) return;
  await pool(hrefs.map(key).filter((h) => h.startsWith(SCOPE) && h !== LIST), async (h) => {
    if (await cache.match(h)) return;
    const res = await fetch(h).catch(() => null);
    if (res && res.status === 200 && res.type === "basic") await cache.put(h, res);
  });
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports[0];
  const tell = (message) => port && port.postMessage(message);
  if (data.type === "status") {
    event.waitUntil(caches.match(SAVED, { cacheName: NAME }).then((s) => tell({ type: "status", saved: !!s, version: VERSION })));
  } else if (data.type === "save") {
    event.waitUntil(save(tell));
  } else if (data.type === "keep" && Array.isArray(data.hrefs)) {
    event.waitUntil(keep(data.hrefs));
  } else if (data.type === "forget") {
    forgetting = true;
    event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX)).map((n) => caches.delete(n)))));
  }
});
