// The authoring loop in Chromium: `learn serve` on a copy of a fixture site,
// a lesson open in the browser, its file edited on disk. The page shows the
// new text by itself and keeps its scroll position; a bad save shows the
// diagnostic over the page (as text), and the fix clears it; a stylesheet
// change applies without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, LEARN, launch } from './harness.mjs';

/** Copies the `minimal` fixture (served under /course/) and starts `learn serve` on it. */
async function serveCopy(prepare = () => {}) {
  const root = mkdtempSync(join(tmpdir(), 'learn-serve-'));
  cpSync(join(REPO, 'tests', 'fixtures', 'minimal'), root, { recursive: true });
  prepare(root);
  const child = spawn(LEARN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`learn serve printed no URL\n${out}\n${log}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Serving (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`learn serve exited with ${code}\n${log}`)));
  });
  const stop = () => { child.kill(); rmSync(root, { recursive: true, force: true }); };
  return { root, url, stop, log: () => log };
}

/** Opens a page and waits until its reload stream is connected. */
async function open(browser, url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__learnServe && window.__learnServe.connected, null, { timeout: 20000 });
  return page;
}

/**
 * Runs `body(server, browser)` against `learn serve` on a fixture copy and a
 * fresh browser; on failure the server's output is added to the error.
 */
async function withServe(prepare, body) {
  const server = await serveCopy(prepare);
  const browser = await launch();
  try {
    await body(server, browser);
  } catch (e) {
    e.message += `\n--- learn serve said:\n${server.log()}`;
    throw e;
  } finally {
    await browser.close();
    server.stop();
  }
}

test('an edited lesson shows its new text without a manual reload, at the same scroll position', async () => {
  const long = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of a long lesson, long enough to scroll.`).join('\n\n');
  await withServe((root) => {
    const f = join(root, 'content', '01-basics', '02-second.md');
    writeFileSync(f, readFileSync(f, 'utf8') + '\n' + long + '\n');
  }, async (server, browser) => {
    const page = await open(browser, server.url + 'basics/second/');
    await page.evaluate(() => window.scrollTo(0, 900));
    await page.waitForFunction(() => window.scrollY >= 880);
    const lesson = join(server.root, 'content', '01-basics', '02-second.md');
    const marker = `Written in the editor at ${Date.now()}.`;
    writeFileSync(lesson, readFileSync(lesson, 'utf8') + `\n${marker}\n`);
    await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: 20000 });
    await page.waitForFunction(() => Math.abs(window.scrollY - 900) < 40, null, { timeout: 20000 });
    assert.deepEqual(browser.errors, []);
  });
});

test('a bad save shows its diagnostic over the page, as text, and the fix clears it', async () => {
  await withServe(undefined, async (server, browser) => {
    const page = await open(browser, server.url + 'basics/second/');
    const lesson = join(server.root, 'content', '01-basics', '02-second.md');
    const good = readFileSync(lesson, 'utf8');
    const hostile = '<img src=x onerror="window.__pwned = 1">';
    writeFileSync(lesson, good.replace('title: Second', `title: [${hostile}`));
    const shown = page.locator('learn-serve-overlay pre');
    await shown.waitFor({ timeout: 20000 });
    const text = await shown.textContent();
    assert.match(text, /content\/01-basics\/02-second\.md:2/);
    assert.ok(text.includes(hostile), 'the offending line is shown as written');
    assert.equal(await page.locator('learn-serve-overlay img').count(), 0, 'and never becomes markup');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('h1').textContent(), 'Second', 'the last good build stays on screen');

    writeFileSync(lesson, good);
    await page.locator('learn-serve-overlay').waitFor({ state: 'detached', timeout: 20000 });
    assert.deepEqual(browser.errors, []);
  });
});

test('a stylesheet change applies without reloading the page', async () => {
  await withServe(undefined, async (server, browser) => {
    const page = await open(browser, server.url + 'basics/first/');
    await page.evaluate(() => { window.__notReloaded = true; });
    const css = readFileSync(join(REPO, 'themes', 'default', 'static', 'assets', 'style.css'), 'utf8');
    const dir = join(server.root, 'themes', 'default', 'static', 'assets');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'style.css'), css + '\nbody { outline: 3px solid rgb(255, 0, 0); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(255, 0, 0)', null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'swapped in place');
    assert.deepEqual(browser.errors, []);
  });
});
