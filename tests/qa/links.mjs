// Gate: every internal link, asset and `#fragment` of a built site resolves when
// the site is served under its sub-path, as GitHub Pages serves a project site.
//
//   node tests/qa/links.mjs SITE_DIR [BASE=/] [--site-url URL]
//
// Every HTML file is a seed (so pages nothing links to are checked too) and the
// crawl follows every same-origin URL: hrefs, srcs, srcsets, form actions,
// stylesheets' url()s, the sitemap. A URL that starts with --site-url (the
// site's public address, e.g. its canonical links) is checked against the
// local copy. A link that answers with a redirect fails: output links should
// name the final URL. External URLs are counted, not fetched (no network).
import { startServer, normaliseBase } from './serve.mjs';
import { siteArgs, sitePages, seconds } from './lib.mjs';
import { startTags, urlsOf, cssUrls, anchorsOf } from './html-scan.mjs';

const t0 = Date.now();
const { site, base, rest } = siteArgs('node tests/qa/links.mjs SITE_DIR [BASE=/] [--site-url URL]');
const siteUrlAt = rest.indexOf('--site-url');
const siteUrl = siteUrlAt >= 0 ? rest[siteUrlAt + 1] : null;

const srv = await startServer(site, base);
const root = srv.url;
const fetched = new Map(); // url (no fragment) -> { status, type, body, location }
const problems = []; // { from, line, url, why }
let external = 0;
let fragmentsChecked = 0;

async function get(url) {
  if (fetched.has(url)) return fetched.get(url);
  const pending = (async () => {
    const res = await fetch(url, { redirect: 'manual' });
    const type = res.headers.get('content-type') || '';
    const text = /^(text\/|application\/(xml|json)|image\/svg)/.test(type) ? await res.text() : (await res.arrayBuffer(), '');
    return { status: res.status, type, body: text, location: res.headers.get('location') };
  })();
  fetched.set(url, pending);
  return pending;
}

/** Maps a written URL, relative to `from`, onto the local server; null when external. */
function localise(written, from) {
  if (/^(mailto|tel|data|javascript):/i.test(written)) return null;
  let abs;
  if (siteUrl && written.startsWith(siteUrl)) abs = new URL(written.slice(siteUrl.length), root);
  else {
    try { abs = new URL(written, from); } catch { return { bad: `not a URL` }; }
  }
  if (abs.origin !== srv.origin) return null;
  return { url: abs };
}

const queue = [];
const queued = new Set();
const enqueue = (url) => {
  const key = url.split('#')[0];
  if (!queued.has(key)) { queued.add(key); queue.push(key); }
};
for (const p of sitePages(site)) enqueue(new URL(p, root).href);
enqueue(root + 'sitemap.xml');
const fragmentLinks = []; // checked once every page is fetched
const linkedPages = new Set();

async function visit(url) {
  const r = await get(url);
  if (r.status !== 200) return; // reported where it is linked from (seeds exist on disk)
  const refs = [];
  if (r.type.startsWith('text/html')) {
    for (const tag of startTags(r.body)) {
      // rel=canonical and the like point at the site's public address: checked through --site-url.
      for (const [, u] of urlsOf(tag)) refs.push({ u, line: tag.line, tag: tag.tag });
    }
  } else if (r.type.startsWith('text/css')) {
    for (const u of cssUrls(r.body)) refs.push({ u, line: 0, tag: 'css' });
  } else if (url.endsWith('sitemap.xml')) {
    for (const m of r.body.matchAll(/<loc>([^<]*)<\/loc>/g)) refs.push({ u: m[1].trim(), line: 0, tag: 'loc' });
  }
  for (const { u, line, tag } of refs) {
    if (u === '') { problems.push({ from: url, line, url: '(empty)', why: `empty URL on <${tag}>` }); continue; }
    const loc = localise(u, url);
    if (loc === null) { external++; continue; }
    if (loc.bad) { problems.push({ from: url, line, url: u, why: loc.bad }); continue; }
    const target = loc.url;
    const frag = target.hash ? decodeURIComponent(target.hash.slice(1)) : null;
    target.hash = '';
    const key = target.href;
    const res = await get(key);
    if (res.status >= 300 && res.status < 400) {
      problems.push({ from: url, line, url: u, why: `redirects (${res.status}) to ${res.location}` });
    } else if (res.status !== 200) {
      problems.push({ from: url, line, url: u, why: `HTTP ${res.status}` });
    } else {
      if (res.type.startsWith('text/html') && key !== url) linkedPages.add(key);
      enqueue(key);
      if (frag !== null && frag !== '' && frag !== 'top') fragmentLinks.push({ from: url, line, u, key, frag });
    }
  }
}

try {
  while (queue.length) {
    const batch = queue.splice(0, 8);
    await Promise.all(batch.map(visit));
  }
  const anchors = new Map();
  for (const { from, line, u, key, frag } of fragmentLinks) {
    const res = await get(key);
    if (!res.type.startsWith('text/html')) continue;
    if (!anchors.has(key)) anchors.set(key, anchorsOf(res.body));
    fragmentsChecked++;
    if (!anchors.get(key).has(frag)) problems.push({ from, line, url: u, why: `no id="${frag}" on that page` });
  }
} finally {
  await srv.close();
}

const rel = (u) => (u.startsWith(srv.origin) ? u.slice(srv.origin.length) : u);
const byPage = new Map();
for (const p of problems) {
  const k = rel(p.from);
  if (!byPage.has(k)) byPage.set(k, []);
  byPage.get(k).push(p);
}
for (const [page, ps] of [...byPage].sort()) {
  console.log(page);
  for (const p of ps.slice(0, 20)) console.log(`  ${p.line ? `line ${p.line}: ` : ''}${p.url}  (${p.why})`);
  if (ps.length > 20) console.log(`  ... ${ps.length - 20} more`);
}
const orphans = sitePages(site).map((p) => new URL(p, root).href).filter((u) => !linkedPages.has(u) && !u.endsWith('404.html'));
if (orphans.length) console.log(`note: no page links to ${orphans.map(rel).join(', ')}`);
const ok = problems.length === 0 && fetched.size > 0;
console.log(`links: ${ok ? 'PASS' : 'FAIL'} - ${fetched.size} internal URL(s) fetched under ${normaliseBase(base)}, ` +
  `${fragmentsChecked} #fragment link(s) checked, ${problems.length} broken on ${byPage.size} page(s), ` +
  `${external} external link(s) not fetched (${seconds(t0)}s)`);
process.exit(ok ? 0 : 1);
