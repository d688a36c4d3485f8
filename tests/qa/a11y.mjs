// Gate: axe-core finds no violations on any page of a built site, in light and
// dark mode, at a phone width and a desktop width, served under its sub-path.
//
//   node tests/qa/a11y.mjs SITE_DIR [BASE=/] [PAGE ...]
//
// axe runs its default rule set (WCAG 2.0, 2.1 and 2.2 A and AA, plus best
// practices) and any violation, whatever its impact, fails. Before axe runs,
// every <details> is opened so the answers, hints and FAQ answers are checked
// too (contrast is only measured on what is visible); on a page with a quiz,
// axe runs again after every question is answered and checked (the submit
// handlers run synchronously), so feedback and explanations are checked in the
// colours they show in. Errors the page's own
// scripts throw or log also fail: a broken script is a broken page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer } from './serve.mjs';
import { launchBrowser, siteArgs, sitePages, seconds } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = require('axe-core/package.json').version;

// `answered`: also audit quizzes after answering, in one mode per colour scheme
// and width (an axe run on a lesson costs about a second). Reduced motion, so no
// transition is caught half-way when contrast is measured.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' };
const DESKTOP = { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' };
const MODES = [
  { name: 'phone light', ...PHONE, colorScheme: 'light', answered: false },
  { name: 'phone dark', ...PHONE, colorScheme: 'dark', answered: true },
  { name: 'desktop light', ...DESKTOP, colorScheme: 'light', answered: true },
  { name: 'desktop dark', ...DESKTOP, colorScheme: 'dark', answered: false },
];

const t0 = Date.now();
const { site, base, rest } = siteArgs('node tests/qa/a11y.mjs SITE_DIR [BASE=/] [PAGE ...]');
const pages = rest.length ? rest.map((p) => p.replace(/^\.?\//, '')) : sitePages(site);
const srv = await startServer(site, base);
let violations = 0;
let failures = 0;
const byRule = new Map();

async function runAxe(page, prefix) {
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.any?.[0]?.message ? ` (${n.any[0].message})` : ''}`),
    }));
  });
  const lines = [];
  for (const v of found) {
    violations++;
    byRule.set(v.id, (byRule.get(v.id) || 0) + 1);
    lines.push(`${prefix}[${v.impact}] ${v.id}: ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) lines.push(`    ${n.slice(0, 220)}`);
    if (v.nodes.length > 3) lines.push(`    ... ${v.nodes.length - 3} more node(s)`);
  }
  return lines;
}

/** Answers every question of the page (first choice, "x", 1) and submits it as
 *  the Check button would, so feedback, explanations and retry buttons are audited too. */
async function answerQuiz(page) {
  const n = await page.evaluate(() => {
    const forms = [...document.querySelectorAll('form.question')];
    for (const form of forms) {
      const choice = form.querySelector('input[type=radio], input[type=checkbox]');
      const field = form.querySelector('input[type=text]');
      if (choice) choice.checked = true;
      else if (field) field.value = field.inputMode === 'decimal' ? '1' : 'x';
      (choice || field)?.dispatchEvent(new Event('change', { bubbles: true }));
      form.requestSubmit(form.querySelector('button[type=submit]') || undefined);
    }
    return forms.length;
  });
  return n;
}

async function audit(page, url, errors, answered) {
  errors.length = 0;
  const res = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  const status = res ? res.status() : 0;
  // 404.html answers 200 at its own address; anything else that is not 200 is a broken page.
  if (status !== 200) return [`HTTP ${status}`];
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  // page.evaluate runs through the DevTools protocol, so no Content-Security-Policy can block it.
  await page.evaluate(AXE);
  const lines = await runAxe(page, '');
  if (answered && await answerQuiz(page)) {
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    lines.push(...await runAxe(page, 'after answering the quiz: '));
  }
  for (const e of errors) lines.push(`page error: ${e}`);
  return lines;
}

try {
  for (const mode of MODES) {
    const { name, answered, ...options } = mode;
    const browser = await launchBrowser(options);
    try {
      const page = browser.context.pages()[0] || await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        // A failed load is reported with its URL by the response handler below.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => { if (r.status() >= 400 && r.request().frame() === page.mainFrame() && r.url() !== page.url()) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
      page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`); });
      let clean = 0;
      for (const p of pages) {
        const label = `${srv.base}${p}`;
        let lines;
        try {
          lines = await audit(page, srv.url + p, errors, answered);
        } catch (e) {
          lines = [`could not audit: ${e.message.split('\n')[0]}`];
        }
        if (lines.length) {
          failures++;
          console.log(`${label} (${name})`);
          for (const l of lines) console.log(`  ${l}`);
        } else clean++;
      }
      console.log(`${name}: ${clean} of ${pages.length} page(s) clean`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await srv.close();
}
const rules = [...byRule].map(([id, n]) => `${id} ×${n}`).join(', ');
const ok = failures === 0;
console.log(`a11y: ${ok ? 'PASS' : 'FAIL'} - ${pages.length} page(s) × ${MODES.length} modes, ${violations} violation(s)` +
  `${rules ? ` (${rules})` : ''}, ${failures} failing page view(s); axe-core ${AXE_VERSION} (${seconds(t0)}s)`);
process.exit(ok ? 0 : 1);
