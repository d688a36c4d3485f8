// Search in Chromium: the curriculum served under a sub-path, as GitHub Pages
// serves a project site, and a fixture whose text looks like markup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { buildSite, serveStatic, launch, axe, REPO, LEARN } from './harness.mjs';

const BASE = '/curriculum/';
let server, browser;

before(async () => {
  const site = buildSite(undefined, { baseUrl: `https://example.org${BASE}` });
  server = await serveStatic(site, BASE);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page of the site and returns it. */
async function open(path = 'product-strategy/core-objectives/') {
  const page = await browser.context.newPage();
  await page.goto(server.url + path);
  return page;
}

/** Types a query in the header box and waits for the popup to show its results. */
async function query(page, q, { typed = false } = {}) {
  const input = page.locator('#search-input');
  if (typed) {
    await input.focus();
    await input.pressSequentially(q, { delay: 15 });
  } else {
    await input.fill(q);
  }
  await page.locator(`#search-popup[data-query="${q.replace(/"/g, '\\"')}"]:not([hidden])`).waitFor({ timeout: 10000 });
  return page.locator('#search-popup');
}

/** The hrefs of the popup's options, in order. */
function hrefs(page) {
  return page.locator('#search-popup [role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
}

function indexRequests() {
  return server.requests.filter((r) => r.includes('search-index/') || r.endsWith('search.js'));
}

test('nothing of search loads until the box is used, then everything comes from under the base path', async () => {
  const before = indexRequests().length;
  const page = await open();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(indexRequests().slice(before), [], 'a page load fetches nothing of search');
  assert.equal(await page.locator('script[src$="search.js"]').count(), 0);
  await page.locator('#search-input').focus();
  await page.waitForFunction(() => window.learnSearch);
  await query(page, 'RICE');
  const fetched = indexRequests().slice(before);
  assert.ok(fetched.some((r) => r.endsWith('search-index/manifest.json')), fetched.join('\n'));
  assert.ok(server.requests.every((r) => r.startsWith(BASE)), server.requests.filter((r) => !r.startsWith(BASE)).join('\n'));
  await page.close();
});

test('"RICE" puts the prioritisation lesson first', async () => {
  const page = await open();
  await query(page, 'RICE');
  const first = page.locator('#search-popup .search-group').first();
  assert.equal(await first.getAttribute('aria-label'), 'Prioritisation frameworks: ranking features with RICE');
  assert.match(await first.locator('.search-top').getAttribute('href'), /^\.\.\/\.\.\/product-strategy\/prioritisation-frameworks\/$/);
  assert.equal(await first.locator('.search-title mark').first().textContent(), 'RICE');
  assert.ok((await first.locator('.search-sub').count()) <= 3);
  await page.close();
});

test('"churn" finds the churn section of the key-metrics lesson', async () => {
  const page = await open();
  await query(page, 'churn');
  const links = await hrefs(page);
  assert.ok(links.some((h) => h.endsWith('data-driven-decisions/key-metrics/#churn')), links.join('\n'));
  const section = page.locator('#search-popup a[href$="key-metrics/#churn"]');
  assert.equal(await section.locator('.search-heading').textContent(), 'Subscriber churn');
  await page.close();
});

test('the popup fetches the fragments of the results on screen, the rest when scrolled to', async () => {
  // A browser of its own, whose cache holds no fragment yet.
  const own = await launch();
  const page = await own.context.newPage();
  await page.goto(server.url + 'product-strategy/core-objectives/');
  const fragments = () => server.requests.filter((r) => r.includes('search-index/f/')).length;
  const before = fragments();
  await query(page, 'churn');
  const groups = page.locator('#search-popup .search-group');
  assert.equal(await groups.count(), 3);
  assert.equal(fragments() - before, 3);
  assert.equal(await page.locator('#search-popup .search-later').count(), 1);
  await page.locator('#search-popup').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => document.querySelectorAll('#search-popup .search-group').length === 5);
  assert.equal(fragments() - before, 5);
  assert.equal(await page.locator('#search-popup .search-later').count(), 0);
  // Arrowing onto the placeholder loads them too, and moves to the first of them.
  await query(page, 'metric');
  assert.equal(await groups.count(), 3);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelectorAll('#search-popup .search-group').length === 5);
  const active = await page.locator('#search-input').getAttribute('aria-activedescendant');
  assert.equal(await groups.nth(3).locator('[role=option]').first().getAttribute('id'), active);
  assert.deepEqual(own.errors, []);
  await own.close();
});

test('an FAQ question is its own result', async () => {
  const page = await open();
  await query(page, 'guarantee a full-time offer');
  const faq = page.locator('#search-popup a[href*="faq/#faq-does-the-internship-guarantee"]').first();
  await faq.waitFor();
  assert.equal(await faq.locator('.search-label').textContent(), 'FAQ');
  assert.match(await faq.locator('.search-heading').textContent(), /Does the internship guarantee a full-time offer\?/);
  await page.close();
});

test('a word found only in a quiz prompt leads to the question', async () => {
  const page = await open();
  await query(page, 'respondents');
  const hit = page.locator('#search-popup a[href$="understanding-users/#q-users-survey-demand"]');
  await hit.waitFor();
  assert.equal(await hit.locator('.search-label').textContent(), 'Quiz question');
  assert.match(await hit.locator('.search-snippet').textContent(), /70 % of survey respondents say they would use/);
  // The same word in the explanation must not show: only the prompt is indexed.
  assert.doesNotMatch(await page.locator('#search-popup').textContent(), /not a random sample of all viewers/);
  await page.close();
});

test('"prioritizing" finds "prioritisation", and so does a half-typed word', async () => {
  const page = await open();
  await query(page, 'prioritizing');
  const first = page.locator('#search-popup .search-group').first();
  assert.match(await first.getAttribute('aria-label'), /Prioritisation frameworks/);
  const marks = await page.locator('#search-popup mark').allTextContents();
  assert.ok(marks.some((m) => /^prioriti[sz]/i.test(m)), marks.join(', '));
  for (const partial of ['prioritiz', 'prioritizat', 'prioritisi']) {
    await query(page, partial);
    assert.match(await first.getAttribute('aria-label'), /Prioritisation frameworks/, partial);
  }
  // Half a word is ambiguous (priorities, prioritise…): the lesson is among the results.
  await query(page, 'priori');
  assert.ok(await page.locator('#search-popup .search-group[aria-label^="Prioritisation frameworks"]').count());
  await page.close();
});

test('punctuation alone searches for nothing', async () => {
  const page = await open();
  await page.locator('#search-input').fill('?!');
  await page.waitForFunction(() => window.learnSearch);
  await page.waitForTimeout(400);
  assert.equal(await page.locator('#search-popup').isHidden(), true);
  assert.equal(await page.locator('#search-input').getAttribute('aria-expanded'), 'false');
  assert.deepEqual(browser.errors, []);
  await page.close();
});

test('results come as you type, one key at a time', async () => {
  const page = await open();
  await query(page, 'key metr', { typed: true });
  const labels = await page.locator('#search-popup .search-group').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.match(labels[0], /^Key metrics/);
  await page.close();
});

test('keyboard: / focuses, arrows move, Enter opens, Escape closes', async () => {
  const page = await open();
  await page.locator('main').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input');
  await page.keyboard.type('churn');
  await page.locator('#search-popup[data-query="churn"]:not([hidden])').waitFor();
  const input = page.locator('#search-input');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const options = page.locator('#search-popup [role=option]');
  await page.keyboard.press('ArrowDown');
  const firstId = await options.nth(0).getAttribute('id');
  assert.equal(await input.getAttribute('aria-activedescendant'), firstId);
  assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
  assert.equal(await options.nth(0).getAttribute('aria-selected'), 'false');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), firstId);
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.last().getAttribute('id'), 'ArrowUp wraps to the last option');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#search-popup').isHidden(), true);
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await input.getAttribute('aria-activedescendant'), null);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#search-popup').isHidden(), false, 'ArrowDown reopens the results');
  const target = await options.nth(0).getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.href === new URL(target, server.url + 'product-strategy/core-objectives/').href);
  assert.deepEqual(browser.errors, []);
  await page.close();
});

test('Enter with no option chosen opens the search page with a shareable ?q=', async () => {
  const page = await open();
  await query(page, 'churn');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/curriculum\/search\/\?q=churn$/);
  await page.locator('#search-results[data-query="churn"]').waitFor();
  assert.match(await page.locator('#search-status').textContent(), /\d+ results? for “churn”/);
  assert.equal(await page.locator('#search-page-input').inputValue(), 'churn');
  const results = page.locator('#search-results .search-result');
  assert.ok((await results.count()) >= 3);
  assert.ok(await page.locator('#search-results a[href$="key-metrics/#churn"]').count());
  // More results on demand.
  await page.locator('#search-page-input').fill('data');
  await page.locator('#search-results[data-query="data"]').waitFor();
  assert.equal(await results.count(), 10);
  await page.locator('#search-results .search-more').click();
  await page.waitForFunction(() => document.querySelectorAll('#search-results .search-result').length > 10);
  // Typing keeps the URL shareable.
  await page.locator('#search-page-input').fill('rice score');
  await page.locator('#search-results[data-query="rice score"]').waitFor();
  assert.match(page.url(), /\?q=rice\+score$/);
  assert.deepEqual(browser.errors, []);
  await page.close();
});

test('the search page shows a message when JavaScript is off', async () => {
  const nojs = await launch({ javaScriptEnabled: false });
  try {
    const page = await nojs.context.newPage();
    await page.goto(server.url + 'search/?q=churn');
    assert.match(await page.locator('main').innerText(), /Search runs in your browser and needs JavaScript/);
  } finally {
    await nojs.close();
  }
});

test('no accessibility violations with the results open, in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const b = colorScheme === 'light' ? browser : await launch({ colorScheme });
    try {
      const page = await b.context.newPage();
      // The home page: lesson pages have code blocks, whose own checks are not search's.
      await page.goto(server.url);
      await query(page, 'churn');
      await page.keyboard.press('ArrowDown');
      const shots = join(REPO, 'target', 'search-screenshots');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `popup-${colorScheme}.png`) });
      assert.deepEqual(await axe(page), [], colorScheme);
      await page.goto(server.url + 'search/?q=rice');
      await page.locator('#search-results[data-query="rice"]').waitFor();
      await page.screenshot({ path: join(shots, `page-${colorScheme}.png`), fullPage: false });
      assert.deepEqual(await axe(page), [], `${colorScheme} search page`);
      await page.close();
    } finally {
      if (b !== browser) await b.close();
    }
  }
});

test('a phone-sized screen shows the results inside the viewport', async () => {
  const phone = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    await page.goto(server.url);
    await query(page, 'churn');
    const box = await page.locator('#search-popup').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    await page.screenshot({ path: join(REPO, 'target', 'search-screenshots', 'popup-phone.png') });
    assert.deepEqual(await axe(page), []);
  } finally {
    await phone.close();
  }
});

test('markup in titles, headings and prompts shows as text; answers are not searchable', async () => {
  const site = buildSite(join(REPO, 'tests', 'fixtures', 'search-escape'));
  const fx = await serveStatic(site, '/');
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(fx.url);
    const input = page.locator('#search-input');
    await input.fill('script');
    const popup = page.locator('#search-popup[data-query="script"]:not([hidden])');
    await popup.waitFor();
    const text = await popup.textContent();
    assert.match(text, /Why <script>alert\("pwned"\)<\/script> tags need escaping/);
    assert.match(text, /Markup <b>in<\/b> a title & more/);
    assert.equal(await page.locator('#search-popup script, #search-popup b, #search-popup img').count(), 0);
    await input.fill('onerror');
    await page.locator('#search-popup[data-query="onerror"]:not([hidden])').waitFor();
    assert.match(await page.locator('#search-popup').textContent(), /<img src=x onerror="window.pwned=1">/);
    assert.equal(await page.locator('#search-popup img').count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await input.fill('xylophonist');
    await page.locator('#search-popup[data-query="xylophonist"]:not([hidden])').waitFor();
    assert.ok(await page.locator('#search-popup a[href$="#q-escape-prompt"]').count(), 'the prompt is searchable');
    for (const secret of ['zanzibarite', 'quokkaphobia', 'marmalisation', 'thundersnow']) {
      await input.fill(secret);
      await page.locator(`#search-popup[data-query="${secret}"]:not([hidden])`).waitFor();
      assert.equal(await page.locator('#search-popup .search-group').count(), 0, `${secret} comes from an answer`);
      assert.match(await page.locator('#search-popup').textContent(), /No results/);
    }
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await fx.close();
  }
});

test('search works in learn serve and follows an edit', { timeout: 120000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'learn-search-serve-'));
  cpSync(join(REPO, 'tests', 'fixtures', 'search-escape'), root, { recursive: true });
  const child = spawn(LEARN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const seen = (re) => new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`learn serve never printed ${re}:\n${log}`)), 20000);
    const check = () => { const m = re.exec(log); if (m) { clearTimeout(timer); ok(m); } };
    child.stdout.on('data', (d) => { log += d; check(); });
    child.stderr.on('data', (d) => { log += d; check(); });
    check();
  });
  const b = await launch();
  try {
    const [, url] = await seen(/Serving (http:\/\/\S+)/);
    await seen(/Search index updated/);
    const page = await b.context.newPage();
    await page.goto(url);
    await page.locator('#search-input').fill('xylophonist');
    await page.locator('#search-popup[data-query="xylophonist"]:not([hidden])').waitFor();
    assert.ok(await page.locator('#search-popup a[href$="#q-escape-prompt"]').count());
    // A new word saved in a lesson is searchable as soon as the rebuild that
    // serves the lesson is done: a small save brings the index up to date in it.
    const lesson = join(root, 'content', '01-safety', '01-markup.md');
    const rebuilds = () => (log.match(/^Rebuilt in/gm) || []).length;
    const before = rebuilds();
    const editAt = log.length;
    writeFileSync(lesson, readFileSync(lesson, 'utf8') + '\n## Quetzalcoatlite\n\nA new mineral.\n');
    await new Promise((ok, fail) => {
      const started = Date.now();
      const t = setInterval(() => {
        if (rebuilds() > before) { clearInterval(t); ok(); }
        if (Date.now() - started > 30000) { clearInterval(t); fail(new Error(`no rebuild after the edit:\n${log}`)); }
      }, 50);
    });
    await page.goto(url);
    await page.locator('#search-input').fill('quetzalcoatlite');
    await page.locator('#search-popup[data-query="quetzalcoatlite"]:not([hidden])').waitFor();
    assert.ok(await page.locator('#search-popup a[href$="safety/markup/#quetzalcoatlite"]').count(), await page.locator('#search-popup').innerHTML());
    assert.doesNotMatch(log.slice(editAt), /Search index updated/, 'found without a later index build');
    assert.deepEqual(b.errors.filter((e) => !/reload/i.test(e)), []);
  } finally {
    await b.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a page left open across a rebuild reads the new manifest when the old one names files that are gone', { timeout: 120000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'learn-search-stale-'));
  cpSync(join(REPO, 'content'), join(root, 'content'), { recursive: true });
  cpSync(join(REPO, 'site.toml'), join(root, 'site.toml'));
  const out = join(root, 'public');
  const build = () => execFileSync(LEARN, ['build', '--root', root, '--output', out], { stdio: 'ignore' });
  build();
  const site = await serveStatic(out, '/');
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(site.url + 'glossary/');
    await page.locator('#search-input').fill('churn');
    await page.locator('#search-popup[data-query="churn"]:not([hidden])').waitFor();
    // A deploy while the page is open: a new word, and every index file renamed that it touched.
    const lesson = join(root, 'content', '02-data-driven-decisions', '03-key-metrics.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8') + '\n## Zymurgy\n\nBrewing metrics.\n');
    build();
    await page.locator('#search-input').fill('zymurgy');
    await page.locator('#search-popup[data-query="zymurgy"]:not([hidden])').waitFor();
    assert.ok(await page.locator('#search-popup a[href$="key-metrics/#zymurgy"]').count(), await page.locator('#search-popup').textContent());
    assert.deepEqual(b.errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await b.close();
    await site.close();
    rmSync(root, { recursive: true, force: true });
  }
});
