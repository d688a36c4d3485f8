// Offline reading in Chromium, on a copy of the quiz fixture built under
// /course/ and served as GitHub Pages would: visited pages open with the
// network gone; "Save the course" shows the size first and then keeps every
// page, and each area's progress data; a new build replaces the cached copy and nothing stale is served;
// turning [offline] off lets go of the worker; `learn serve` never registers it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, LEARN, serveStatic, launch, axe, settled } from './harness.mjs';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'browser-quiz');
const BASE = '/course/';
let root;
let out;
let server;

/** Builds the copy of the fixture into the same output folder the server serves. */
function build() {
  execFileSync(LEARN, ['build', '--root', root, '--output', out, '--base-url', `https://example.org${BASE}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const list = join(out, 'offline.json');
  return existsSync(list) ? JSON.parse(readFileSync(list, 'utf8')).version : null;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'learn-offline-'));
  cpSync(FIXTURE, root, { recursive: true });
  out = join(mkdtempSync(join(tmpdir(), 'learn-offline-out-')), 'site');
  build();
  server = await serveStatic(out, BASE);
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function withBrowser(fn) {
  const browser = await launch();
  try {
    await fn(browser);
    // Offline, Chromium logs the failed requests and the worker's "You are offline" page (a 503) as console errors.
    const offline = /net::ERR_INTERNET_DISCONNECTED|status of 503/;
    assert.deepEqual(browser.errors.filter((e) => !offline.test(e)), []);
  } finally {
    await browser.context.setOffline(false).catch(() => {});
    await browser.close();
  }
}

/**
 * Polls `fn(arg)` in the page until it resolves to something truthy
 * (page.waitForFunction does not wait for a promise to settle).
 */
async function until(page, fn, arg, what) {
  const deadline = Date.now() + 20000;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Waits until the worker of `version` is the active one and controls the page. */
async function controlled(page, version) {
  await until(page, async (v) => {
    const reg = await navigator.serviceWorker.getRegistration();
    if (!navigator.serviceWorker.controller || !reg || !reg.active || reg.active.state !== 'activated') return false;
    return (await caches.keys()).some((n) => n.endsWith(' ' + v)) && !reg.installing && !reg.waiting;
  }, version, `the worker of ${version} controls the page`);
}

/** Waits until the page at `url` is kept (a reader going offline at once could lose a copy still being written). */
async function kept(page, url) {
  await until(page, async (u) => !!(await caches.match(u)), url, `${url} is kept`);
}

const cacheNames = (page) => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('learn-offline ')));
const text = (page) => page.locator('main').innerText();

test('a visited lesson opens offline, after a reload, from a link on the home page', async () => {
  const version = JSON.parse(readFileSync(join(out, 'offline.json'), 'utf8')).version;
  await withBrowser(async ({ context }) => {
    const page = await context.newPage();
    await page.goto(server.url);
    await controlled(page, version);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(new URL(scope).pathname, BASE, 'the worker at the site root controls the whole site');
    await page.goto(server.url + 'basics/all-types/');
    assert.match(await text(page), /All question types/);
    await kept(page, server.url + 'basics/all-types/');
    await context.setOffline(true);
    await page.reload();
    assert.match(await text(page), /All question types/, 'the lesson reloads offline');
    assert.equal(await page.locator('link[rel=stylesheet][href$="style.css"]').evaluate((l) => !!l.sheet), true, 'with its stylesheet');
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Basics', exact: true }).first().waitFor();
    await page.goto(server.url + 'basics/all-types/');
    assert.match(await text(page), /All question types/);
    // The quiz still works offline: its script was kept too.
    await page.locator('#q-fx-single').getByLabel('Confidence', { exact: true }).check();
    await page.locator('#q-fx-single').getByRole('button', { name: 'Check' }).click();
    await page.locator('#q-fx-single .q-verdict strong').waitFor();
    // A page never opened says so, rather than the browser's error.
    await page.goto(server.url + 'more/second/');
    assert.match(await page.locator('h1').innerText(), /You are offline/);
  });
});

test('Save the course shows its size first, then keeps every page for reading offline', async () => {
  const list = JSON.parse(readFileSync(join(out, 'offline.json'), 'utf8'));
  await withBrowser(async ({ context }) => {
    const page = await context.newPage();
    await page.goto(server.url);
    await controlled(page, list.version);
    const status = page.locator('#home-offline-status');
    await page.getByRole('button', { name: 'Save the course for offline reading' }).click();
    await page.getByRole('button', { name: /^Save \d+ KB$/ }).waitFor();
    const kb = Math.max(1, Math.round(list.bytes / 1000));
    assert.equal(await status.innerText(), `The whole course is about ${kb} KB (${list.files.length} files). Save it on this device?`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'home-offline-save', 'focus moves to Save');
    assert.deepEqual(await axe(page), [], 'axe with Save and Cancel shown');
    await page.getByRole('button', { name: /^Save \d+ KB$/ }).click();
    await status.filter({ hasText: /^Saved:/ }).waitFor({ timeout: 20000 });
    assert.match(await status.innerText(), new RegExp(`^Saved: the whole course \\(${kb} KB\\)`));
    assert.deepEqual(await axe(page), [], 'axe with the result shown');
    await context.setOffline(true);
    await page.goto(server.url + 'more/second/');
    assert.match(await page.locator('h1').innerText(), /Second lesson/, 'a lesson never opened, from the saved copy');
    await page.goto(server.url + 'search/?q=second');
    await page.locator('.search-results a', { hasText: 'Second lesson' }).first().waitFor({ timeout: 10000 });
    await page.goto(server.url);
    await page.locator('#home-offline-status', { hasText: 'The course is saved on this device' }).waitFor();
    // Progress shows offline too: each area's progress data was saved with the course.
    const record = { attempts: 1, correct: true, at: '2024-05-01T10:00:00.000Z', page: 'more/second/' };
    await page.evaluate(([k, r]) => localStorage.setItem(k, JSON.stringify({ version: 1, lessons: {}, questions: { 'fx-second': r } })), ['learn:v1:/course/', record]);
    await page.reload();
    await settled(page);
    assert.equal((await page.locator('.cards .progress-line').nth(1).innerText()).replace(/\s+/g, ' ').trim(), '0 of 1 lesson done · 1 of 1 question right');
  });
});

test('a new build replaces the cached copy, and nothing stale is served once it is out', async () => {
  const lesson = join(root, 'content', '02-more', '01-second.md');
  const original = readFileSync(lesson, 'utf8');
  const first = build();
  await withBrowser(async ({ context }) => {
    const page = await context.newPage();
    await page.goto(server.url);
    await controlled(page, first);
    await page.getByRole('button', { name: 'Save the course for offline reading' }).click();
    await page.getByRole('button', { name: /^Save \d+ KB$/ }).click();
    await page.locator('#home-offline-status', { hasText: /^Saved:/ }).waitFor({ timeout: 20000 });
    await page.goto(server.url + 'more/second/');
    assert.doesNotMatch(await text(page), /Fresh sentence/);
    writeFileSync(lesson, original + '\nFresh sentence from the new build.\n');
    const second = build();
    assert.notEqual(second, first);
    // Online, the page is the new build's at once, even before the new worker runs.
    await page.reload();
    assert.match(await text(page), /Fresh sentence from the new build/);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await controlled(page, second);
    await until(page, async (v) => {
      const names = (await caches.keys()).filter((n) => n.startsWith('learn-offline '));
      return names.length === 1 && names[0].endsWith(' ' + v);
    }, second, 'only the new copy is left');
    assert.equal((await cacheNames(page)).length, 1, `the old copy is gone: ${await cacheNames(page)}`);
    await context.setOffline(true);
    await page.reload();
    assert.match(await text(page), /Fresh sentence from the new build/, 'the new copy, offline');
    await page.goto(server.url + 'basics/all-types/');
    assert.match(await page.locator('h1').innerText(), /All question types/, 'the saved course was saved again');
    await page.goto(server.url);
    await page.locator('#home-offline-status', { hasText: 'The course is saved on this device' }).waitFor();
  });
  writeFileSync(lesson, original);
  build();
});

test('turning [offline] off lets go of the worker and what it kept', async () => {
  const config = join(root, 'site.toml');
  const original = readFileSync(config, 'utf8');
  const version = build();
  await withBrowser(async ({ context }) => {
    const page = await context.newPage();
    await page.goto(server.url);
    await controlled(page, version);
    writeFileSync(config, original + '\n[offline]\nenabled = false\n');
    build();
    await page.reload();
    await until(page, async () => (await navigator.serviceWorker.getRegistrations()).length === 0, null, 'no worker is left');
    await until(page, async () => !(await caches.keys()).some((n) => n.startsWith('learn-offline ')), null, 'no copy is left');
    assert.equal(await page.locator('#home-offline').count(), 0, 'no Save button');
  });
  writeFileSync(config, original);
  build();
});

test('learn serve never registers the worker', async () => {
  const child = spawn(LEARN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error(`learn serve printed no URL\n${said}`)), 20000);
      child.stdout.on('data', (d) => {
        said += d;
        const m = said.match(/Serving (http:\/\/\S+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => reject(new Error(`learn serve exited with ${code}`)));
    });
    await withBrowser(async ({ context }) => {
      const page = await context.newPage();
      for (const path of ['', 'basics/all-types/']) {
        await page.goto(url + path);
        await page.waitForFunction(() => window.__learnServe && window.__learnServe.connected, null, { timeout: 20000 });
        await page.waitForLoadState('load');
        await page.waitForTimeout(500);
        assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
        assert.equal(await page.evaluate(() => document.body.dataset.offline), 'off');
        assert.equal(await page.locator('#home-offline').count(), 0, 'no Save button');
      }
    });
  } finally {
    child.kill();
  }
});
