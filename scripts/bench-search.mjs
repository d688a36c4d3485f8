// Search benchmark: builds the synthetic corpus of examples/gen_corpus.rs at
// each size with learn, serves it gzipped (as GitHub Pages does), and
// measures in Chromium what a reader's first query downloads and how long
// queries take; beside it, mdBook's search index on the same corpus.
// Run through scripts/bench-search; `--help` lists the options.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const SIZES = (args.sizes || '1000,10000').split(',').map(Number);
const WORK = resolve(args.work || '/tmp/learn-search-bench');
const GEN = resolve(args.gen || join(REPO, 'target', 'release', 'examples', 'gen_corpus'));
const LEARN = resolve(args.learn || join(REPO, 'target', 'release', 'learn'));
const MDBOOK = args['no-mdbook'] ? null : findMdbook();
// Queries a reader of the corpus might type. Every word of the corpus is on a
// large share of its pages, which is the hard case for an inverted index.
const FIRST_QUERIES = ['checkpoint', 'replica latency', 'rollback release', 'migr', 'the', 'the small fast system handles the request'];
const WARM_QUERIES = ['cache', 'thread pool', 'snapshot journal', 'deployment rollback', 'fast queue',
  'kernel scheduler', 'the stable', 'partition', 'compiler parser', 'token session', 'ben', 'iterator'];
const TYPED = ['checkpoint replica', 'deployment rollback'];
// A steady typist: about 65 words a minute.
const TYPING_MS = 180;

if (args.help) {
  console.log(`usage: scripts/bench-search [--sizes 1000,10000] [--work DIR] [--learn BIN] [--gen GEN_CORPUS_BIN] [--no-mdbook]
Builds the benchmark corpus at each size, measures learn's search index and
first-query download in Chromium, and mdBook's index when mdbook is installed
(cargo install mdbook --locked).`);
  process.exit(0);
}

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (['no-mdbook', 'help'].includes(key)) out[key] = true;
    else out[key] = list[++i];
  }
  return out;
}

function findMdbook() {
  for (const c of [process.env.MDBOOK, join(process.env.HOME || '', '.cargo', 'bin', 'mdbook'), 'mdbook']) {
    if (!c) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p)); else out.push(p);
  }
  return out;
}

function sizes(files) {
  let raw = 0, gz = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.length;
    gz += gzipSync(b, { level: 6 }).length;
  }
  return { raw, gz, files: files.length };
}

/** The corpus, written afresh (a few seconds), so a changed generator is never measured on an old one. */
function corpus(n, layout) {
  const dir = join(WORK, `c${n}-${layout}`);
  rmSync(dir, { recursive: true, force: true });
  execFileSync(GEN, ['--n', String(n), '--layout', layout, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (layout === 'learn') copyFileSync(join(REPO, 'site.toml'), join(dir, 'site.toml'));
  return dir;
}

function buildLearn(n) {
  const root = corpus(n, 'learn');
  const out = join(WORK, `c${n}-learn-out`);
  const t0 = process.hrtime.bigint();
  execFileSync(LEARN, ['build', '--root', root, '--output', out, '--base-url', '/bench/'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { out, ms };
}

function buildMdbook(n) {
  if (!MDBOOK) return null;
  const root = corpus(n, 'mdbook');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(MDBOOK, ['build', root], { encoding: 'utf8', timeout: Number(args['mdbook-timeout'] || 1800) * 1000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) return { error: r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || '').split('\n').slice(-3).join(' ')}`, ms };
  const book = join(root, 'book');
  const files = walk(book).filter((f) => /searchindex/.test(f));
  return { ...sizes(files), ms };
}

/** Serves `dir` under `/bench/`, gzipping text like GitHub Pages does. */
async function serve(dir) {
  const cache = new Map();
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith('/bench/')) { res.writeHead(404); res.end(); return; }
    let file = join(dir, path.slice('/bench/'.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = types[extname(file)] || 'application/octet-stream';
    let body = cache.get(file);
    if (!body) { body = gzipSync(readFileSync(file), { level: 6 }); cache.set(file, body); }
    res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': body.length, 'Cache-Control': 'max-age=600' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/bench/`, close: () => new Promise((ok) => server.close(ok)) };
}

async function browser() {
  const profile = join(WORK, `profile-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** Records the bytes on the wire (headers and gzipped bodies) of every response after `start()`. */
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  let on = false;
  const got = [];
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => { if (on) got.push({ url: urls.get(e.requestId) || '?', bytes: e.encodedDataLength }); });
  return { start: () => { on = true; }, stop: () => { on = false; return got.slice(); } };
}

function kindOf(url) {
  if (url.endsWith('search.js')) return 'script';
  if (url.endsWith('search.css')) return 'css';
  if (url.endsWith('manifest.json')) return 'manifest';
  const m = /search-index\/([a-z])\//.exec(url);
  return m ? { c: 'chunks', r: 'rest', t: 'tables', f: 'fragments' }[m[1]] : 'other';
}

async function waitFor(page, q) {
  await page.locator(`#search-popup[data-query="${q}"]:not([hidden])`).waitFor({ timeout: 60000 });
}

/** A fresh browser opens a lesson, then the reader types `q` (filled at once, or key by key). */
async function firstQuery(site, q, typed) {
  const b = await browser();
  try {
    const page = await b.context.newPage();
    await page.goto(site.url + 'foundations/');
    await page.waitForLoadState('networkidle');
    const m = await meter(page);
    m.start();
    const t0 = Date.now();
    const input = page.locator('#search-input');
    await input.focus();
    if (typed) await input.pressSequentially(q, { delay: TYPING_MS }); else await input.fill(q);
    await waitFor(page, q);
    const ms = Date.now() - t0 - (typed ? TYPING_MS * q.length : 0);
    await page.waitForLoadState('networkidle');
    const got = m.stop();
    const by = {};
    for (const g of got) by[kindOf(g.url)] = (by[kindOf(g.url)] || 0) + g.bytes;
    const results = await page.locator('#search-popup .search-group').count();
    return { q, typed, bytes: got.reduce((s, g) => s + g.bytes, 0), requests: got.length, by, ms, results };
  } finally {
    await b.close();
  }
}

/** Latency of queries once the reader has searched before (files cached in the page). */
async function warmQueries(site) {
  const b = await browser();
  try {
    const page = await b.context.newPage();
    await page.goto(site.url + 'foundations/');
    const input = page.locator('#search-input');
    await input.focus();
    await input.fill('checkpoint');
    await waitFor(page, 'checkpoint');
    const times = [];
    for (const q of WARM_QUERIES) {
      const ms = await page.evaluate((query) => new Promise((ok) => {
        const el = document.getElementById('search-input');
        el.addEventListener('learn:search', function done(e) {
          if (e.detail.query !== query) return;
          el.removeEventListener('learn:search', done);
          ok(e.detail.ms);
        });
        el.value = query;
        el.dispatchEvent(new Event('input'));
      }), q);
      times.push(ms);
    }
    // Again, now that every file these queries need is loaded: ranking and rendering alone.
    const again = [];
    for (const q of WARM_QUERIES) {
      again.push(await page.evaluate(async (query) => {
        const t0 = performance.now();
        await window.learnSearch.search(query, 5);
        return performance.now() - t0;
      }, q));
    }
    return { first: times, cached: again };
  } finally {
    await b.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
// Decimal units, as the budget and the peers' figures are given (1 KB = 1,000 bytes).
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const mb = (b) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : kb(b));

async function main() {
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(LEARN) || !existsSync(GEN)) {
    console.error(`building ${LEARN} and ${GEN} (cargo build --release)…`);
    execFileSync('cargo', ['build', '--release', '--locked', '--bin', 'learn', '--example', 'gen_corpus'], { cwd: REPO, stdio: 'inherit' });
  }
  const rows = [];
  for (const n of SIZES) {
    console.error(`== ${n} lessons`);
    const built = buildLearn(n);
    const index = sizes(walk(join(built.out, 'search-index')));
    const script = sizes([join(built.out, 'assets', 'search.js'), join(built.out, 'assets', 'search.css')]);
    const site = await serve(built.out);
    const firsts = [];
    try {
      for (const q of FIRST_QUERIES) { firsts.push(await firstQuery(site, q, false)); console.error(`   first query ${JSON.stringify(firsts.at(-1))}`); }
      for (const q of TYPED) { firsts.push(await firstQuery(site, q, true)); console.error(`   typed ${JSON.stringify(firsts.at(-1))}`); }
      var warm = await warmQueries(site); // eslint-disable-line no-var
    } finally {
      await site.close();
    }
    console.error(`   warm ${JSON.stringify(warm)}`);
    const md = buildMdbook(n);
    console.error(`   mdbook ${JSON.stringify(md)}`);
    rows.push({ n, built, index, script, firsts, warm, md });
  }
  print(rows);
}

function print(rows) {
  const lines = [];
  lines.push('| lessons | search index: files, raw / gzip | first query, pasted: bytes fetched (median / worst) | first query, typed key by key (worst) | requests (pasted / typed) | first query time | later queries (median) | ranking alone (median) | mdBook search index: raw / gzip |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const fill = r.firsts.filter((f) => !f.typed);
    const typed = r.firsts.filter((f) => f.typed);
    const worst = (list) => list.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const mdCell = !r.md ? 'mdbook not installed' : r.md.error ? `failed after ${(r.md.ms / 1000).toFixed(0)} s: ${r.md.error}` : `${mb(r.md.raw)} / ${mb(r.md.gz)} (mdbook build ${(r.md.ms / 1000).toFixed(1)} s)`;
    lines.push(`| ${r.n.toLocaleString('en')} | ${r.index.files.toLocaleString('en')} files, ${mb(r.index.raw)} / ${mb(r.index.gz)} | ${kb(median(fill.map((f) => f.bytes)))} / ${kb(worst(fill).bytes)} ("${worst(fill).q}") | ${kb(worst(typed).bytes)} ("${worst(typed).q}") | ${median(fill.map((f) => f.requests))} / ${worst(typed).requests} | ${median(fill.map((f) => f.ms))} ms | ${median(r.warm.first).toFixed(0)} ms | ${median(r.warm.cached).toFixed(1)} ms | ${mdCell} |`);
  }
  lines.push('');
  lines.push('First queries, each in a fresh browser (bytes on the wire, gzip bodies and headers, by kind):');
  for (const r of rows) {
    for (const f of r.firsts) {
      const parts = Object.entries(f.by).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
      lines.push(`- ${r.n.toLocaleString('en')} lessons, "${f.q}"${f.typed ? ` typed at ${TYPING_MS} ms a key` : ''}: ${kb(f.bytes)} in ${f.requests} requests (${parts}); ${f.results} results; ${f.ms} ms`);
    }
  }
  lines.push('');
  for (const r of rows) lines.push(`learn build of ${r.n.toLocaleString('en')} lessons: ${(r.built.ms / 1000).toFixed(1)} s.`);
  lines.push(`search.js + search.css: ${kb(rows[0].script.raw)} raw, ${kb(rows[0].script.gz)} gzipped. Times are on this machine over loopback (no network latency); "first query time" runs from focusing the box to the results on screen.`);
  console.log(lines.join('\n'));
}

await main();
