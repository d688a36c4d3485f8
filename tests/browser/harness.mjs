// Shared helpers for the browser tests: build a site with the real `learn`
// binary, serve it under a sub-path like GitHub Pages does, and drive Debian's
// chromium through playwright-core. Nothing here downloads a browser.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LEARN = process.env.LEARN_BIN || join(REPO, 'target', 'debug', 'learn');

/** Builds the site at `root` into a fresh temporary folder and returns its path. */
export function buildSite(root = REPO, { baseUrl = '/', drafts = false } = {}) {
  const out = join(mkdtempSync(join(tmpdir(), 'learn-browser-')), 'site');
  const args = ['build', '--root', root, '--output', out, '--base-url', baseUrl];
  if (drafts) args.push('--drafts');
  execFileSync(LEARN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml',
  '.txt': 'text/plain', '.wasm': 'application/wasm', '.gz': 'application/gzip',
};

/**
 * Serves `dir` at http://127.0.0.1:PORT/BASE, as GitHub Pages serves a project
 * site: `/dir` redirects to `/dir/`, missing files get 404.html. Records every
 * request so tests can count what a page fetched.
 */
export async function serveStatic(dir, base = '/') {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname + url.search);
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(base)) { res.writeHead(404); res.end('outside base'); return; }
    let file = join(dir, path.slice(base.length));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) { res.writeHead(301, { Location: path + '/' }); res.end(); return; }
      file = join(file, 'index.html');
    }
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(existsSync(join(dir, '404.html')) ? readFileSync(join(dir, '404.html')) : 'not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${base}`;
  // close() alone waits for the browser's keep-alive connections to end.
  const close = () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); });
  return { url, requests, close };
}

/** Launches Debian's chromium headless with a fresh profile; returns a browser context. */
export async function launch({ javaScriptEnabled = true, colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'learn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled,
    colorScheme,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  context.on('page', (page) => watchPage(page, errors));
  for (const p of context.pages()) watchPage(p, errors);
  const close = async () => {
    // Chromium has once stayed up after close() (a headless utility process
    // kept it alive), which hung the whole test run: give it a while, then
    // kill what runs with this profile.
    const closed = context.close().then(() => true, () => true);
    const waited = new Promise((ok) => setTimeout(() => ok(false), CLOSE_TIMEOUT_MS).unref());
    if (!(await Promise.race([closed, waited]))) {
      console.error(`chromium did not close in ${CLOSE_TIMEOUT_MS} ms; killing it`);
      killUsingProfile(profile);
    }
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, errors, close };
}

const CLOSE_TIMEOUT_MS = 20000;

/** Kills every process whose command line names the browser profile `profile`. */
function killUsingProfile(profile) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmdline = '';
    try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (cmdline.includes(`--user-data-dir=${profile}`)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
    }
  }
}

function watchPage(page, errors) {
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
}

/** Runs axe-core on the open page and returns its violations. */
export async function axe(page, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']) {
  const source = readFileSync(join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  return page.evaluate(async (runTags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: runTags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, tags);
}

/** Runs `fn(browser)` in a fresh browser, then checks the pages logged no error and closes it. */
export async function withBrowser(options, fn) {
  const browser = await launch(options);
  try {
    await fn(browser);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
}

/** Runs `fn(page, browser)` on a new page of a fresh browser, as `withBrowser` does. */
export async function withPage(options, fn) {
  await withBrowser(options, async (browser) => fn(await browser.context.newPage(), browser));
}

/**
 * Waits until progress.js has painted what it fetched: it marks what it is
 * still loading progress for with aria-busy.
 */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 10000 });
}

/** Opens `url` in `page` and waits until its progress is painted. */
export async function open(page, url) {
  await page.goto(url);
  await settled(page);
}

/** A locator's visible text with runs of white space made one space. */
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
