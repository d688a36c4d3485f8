// The ranking engine of search.js against brute force: on a generated site
// whose common words have long, tiered posting lists, the top results search.js
// finds while fetching as little as it can must score exactly like the top
// results of scoring every page with every posting loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { buildSite, serveStatic, REPO } from './harness.mjs';

const PAGES = 400;
let root, site, server, core;
const requests = [];

/** A small seeded random number generator (mulberry32), so the site is the same every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// How often each searched word shows up in a paragraph: from every page to a few.
const WORDS = { alpha: 0.9, bravo: 0.5, charlie: 0.3, delta: 0.12, echo: 0.01 };
const FILLER = ('north south river stone paper glass window garden table market letter engine signal ' +
  'harbor winter summer silver copper orange violet meadow forest valley mountain island').split(' ');

function lesson(rnd, i) {
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const sprinkle = () => Object.entries(WORDS).filter(([, p]) => rnd() < p).map(([w]) => w);
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(rnd() * 10) }, () => pick(FILLER));
    for (const w of sprinkle()) words.splice(Math.floor(rnd() * words.length), 0, w);
    return words.join(' ') + '.';
  };
  const paragraph = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, sentence).join(' ');
  const title = `Lesson ${i} ${pick(FILLER)} ${rnd() < 0.1 ? pick(Object.keys(WORDS)) : pick(FILLER)}`;
  const sections = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, s) =>
    `## ${pick(FILLER)} ${rnd() < 0.15 ? pick(Object.keys(WORDS)) : pick(FILLER)} ${s}\n\n${paragraph()}`);
  return `---\ntitle: "${title}"\nsummary: "${sentence()}"\n---\n\n${paragraph()}\n\n${sections.join('\n\n')}\n`;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'learn-search-ranking-'));
  const rnd = random(42);
  mkdirSync(join(root, 'content', '01-area'), { recursive: true });
  writeFileSync(join(root, 'site.toml'), 'title = "Ranking"\nbase_url = "/"\n');
  writeFileSync(join(root, 'content', '_index.md'), '---\ntitle: Ranking\nsummary: Generated.\n---\n\nGenerated.\n');
  writeFileSync(join(root, 'content', '01-area', '_index.md'), '---\ntitle: Area\nsummary: Generated.\n---\n\nGenerated.\n');
  for (let i = 0; i < PAGES; i++) {
    writeFileSync(join(root, 'content', '01-area', `l${String(i).padStart(4, '0')}.md`), lesson(rnd, i));
  }
  site = buildSite(root);
  server = await serveStatic(site, '/');
  const sandbox = { fetch: (url) => { requests.push(url); return fetch(url); }, URL };
  runInNewContext(readFileSync(join(REPO, 'themes/default/static/assets/search.js'), 'utf8'), sandbox);
  core = sandbox.learnSearchCore;
});

after(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A result made in search.js's realm, as plain data of this one (for deepEqual). */
function local(r) {
  return { top: JSON.parse(JSON.stringify(r.top)), missing: JSON.parse(JSON.stringify(r.missing)), total: r.total, terms: r.terms };
}

/** Every posting of every term, read straight from the built files. */
function allPostings() {
  const dir = join(site, 'search-index');
  const json = (p) => JSON.parse(readFileSync(join(dir, p), 'utf8'));
  const manifest = json('manifest.json');
  const terms = new Map();
  for (const [, name] of manifest.chunks) {
    for (const [term, , scale, gaps, imps, rest] of json(`c/${name}.json`)) {
      const ids = [], all = [...imps];
      let at = 0;
      for (const g of gaps) ids.push((at += g));
      if (rest) {
        const [rg, ri] = json(`r/${rest}.json`);
        at = 0;
        for (const g of rg) ids.push((at += g));
        all.push(...ri);
      }
      terms.set(term, { scale, ids, imps: all, tiered: Boolean(rest) });
    }
  }
  return terms;
}

/** Scores every page for whole words (each must match) and returns the best k. */
function bruteForce(postings, query, k) {
  const terms = core.tokens(query, false).map((t) => core.term(t.word));
  const scores = new Map();
  terms.forEach((term, wi) => {
    const p = postings.get(term);
    for (let j = 0; j < p.ids.length; j++) {
      const row = scores.get(p.ids[j]) || new Array(terms.length).fill(null);
      row[wi] = p.scale * p.imps[j];
      scores.set(p.ids[j], row);
    }
  });
  return [...scores]
    .filter(([, row]) => row.every((v) => v !== null))
    .map(([id, row]) => ({ id, score: row.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

test('common words have tiered posting lists in this site', () => {
  const postings = allPostings();
  for (const w of ['alpha', 'bravo', 'charli']) assert.ok(postings.get(w).tiered, `${w} should be tiered`);
  assert.ok(!postings.get('echo').tiered);
});

test('the top results match brute force, fetching the rest of a list only when needed', async () => {
  const postings = allPostings();
  const queries = ['alpha ', 'bravo ', 'alpha bravo ', 'bravo charlie ', 'alpha bravo charlie ', 'charlie delta ', 'delta echo ', 'echo alpha ', 'alpha delta echo '];
  const rests = () => requests.filter((u) => u.includes('/r/')).length;
  for (const k of [1, 5, 10, 40]) {
    const index = new core.Index(new URL('search-index/', server.url));
    for (const q of queries) {
      const before = rests();
      const got = local(await core.search(index, q, k, true));
      const want = bruteForce(postings, q, k);
      const round = (x) => Math.round(x * 1e6) / 1e6;
      assert.deepEqual(got.top.map((t) => round(t.score)), want.map((t) => round(t.score)), `scores for "${q}", k=${k}`);
      // Pages tied with the last one may differ; every page above it must be the same.
      const last = want.length ? round(want[want.length - 1].score) : null;
      const firm = (list) => list.filter((t) => round(t.score) !== last).map((t) => t.id);
      assert.deepEqual(firm(got.top), firm(want), `pages for "${q}", k=${k}`);
      if (q === 'alpha ' && k <= 10) assert.equal(rests(), before, 'one common word needs only its best postings');
    }
  }
});

test('while typing, a query fetches at most three rest files and shows its best so far', async () => {
  const postings = allPostings();
  const words = ['alpha', 'bravo', 'charli', 'delta'].filter((w) => postings.get(w).tiered);
  assert.ok(words.length >= 4, `four tiered words: ${words}`);
  const index = new core.Index(new URL('search-index/', server.url));
  const before = requests.filter((u) => u.includes('/r/')).length;
  const r = local(await core.search(index, 'alpha bravo charlie delta ', 5));
  assert.ok(requests.filter((u) => u.includes('/r/')).length - before <= 3);
  assert.ok(r.top.length > 0);
  assert.equal(r.total, null);
});

test('a word being typed expands to the terms it starts', async () => {
  const index = new core.Index(new URL('search-index/', server.url));
  const r = await core.search(index, 'charl', 5);
  assert.ok(r.top.length === 5);
  assert.ok(r.terms.has('charli'), [...r.terms.keys()].join(' '));
  assert.equal(r.total, null, 'while typing, completions are read in part, so the count is unknown');
  const exact = local(await core.search(index, 'charl', 500, true));
  const whole = local(await core.search(index, 'charlie ', 500));
  assert.deepEqual(exact.top.map((t) => t.id).sort(), whole.top.map((t) => t.id).sort(), 'on the search page every page is found');
  const none = local(await core.search(index, 'zzzz', 5));
  assert.deepEqual(none.top, []);
  assert.deepEqual(none.missing, ['zzzz']);
});
