// Gate: Lighthouse (pinned 12.2.3, which runs on Node 20) scores at least 95 in
// performance, accessibility, best practices and SEO on the pages learners
// land on: home, an area, a lesson with a quiz, the FAQ, search and review.
//
//   node tests/qa/lighthouse.mjs SITE_DIR [BASE=/] [PAGE ...]
//
// Lighthouse's defaults: a mid-range phone with *simulated* throttling, so the
// score comes from a model of a slow network and CPU rather than from wall-clock
// timings. The model still takes the CPU time this machine spent in each task,
// so a busy machine can cost performance points. A page whose performance is
// below the bar is run again (up to LH_ATTEMPTS times, default 3), each attempt
// printing what cost the points; the bar itself never moves. The other three
// categories do not vary between runs, so a page failing one is not run again. Reports go to target/qa/lighthouse/.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startServer } from './serve.mjs';
import { REPO, CHROME, CHROME_FLAGS, scratch, siteArgs, seconds } from './lib.mjs';

const MIN = 95;
const CATEGORIES = [['performance', 'perf'], ['accessibility', 'a11y'], ['best-practices', 'bp'], ['seo', 'seo']];
const ATTEMPTS = Number(process.env.LH_ATTEMPTS || 3);

const t0 = Date.now();
const { site, base, rest } = siteArgs('node tests/qa/lighthouse.mjs SITE_DIR [BASE=/] [PAGE ...]');
const pages = rest.length ? rest.map((p) => p.replace(/^\.?\//, '')) : defaultPages(site);
const outDir = path.join(REPO, 'target', 'qa', 'lighthouse');
mkdirSync(outDir, { recursive: true });

/** Home, the first area, its first lesson with a quiz (else any), the FAQ, search and review. */
function defaultPages(dir) {
  const read = (p) => (existsSync(path.join(dir, p, 'index.html')) ? readFileSync(path.join(dir, p, 'index.html'), 'utf8') : '');
  const area = /<ol class="cards">[\s\S]*?<a href="\.\/([^"]+)"/.exec(read(''))?.[1];
  const hasQuiz = (p) => read(p).includes('class="quiz"');
  const inArea = [...read(area || 'none').matchAll(/<h3><a href="\.\.\/([^"]+)"/g)].map((m) => m[1]);
  const everywhere = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((a) => readdirSync(path.join(dir, a.name)).sort().map((l) => `${a.name}/${l}/`));
  const lesson = [...inArea, ...everywhere].find(hasQuiz);
  const found = ['', area, lesson, read('faq') ? 'faq/' : null, 'search/', 'review/'];
  if (found.some((p) => p == null)) {
    console.error(`lighthouse: could not find the default pages (home, area, lesson with a quiz, faq, search, review): ${JSON.stringify(found)}`);
    process.exit(2);
  }
  return found;
}

function lighthouse(url, name) {
  const profile = scratch('lh-profile');
  const bin = path.join(REPO, 'node_modules', '.bin', 'lighthouse');
  // chrome-launcher puts its own --user-data-dir first; chromium honours the last one, ours.
  const args = [url, '--quiet', `--chrome-flags=${[...CHROME_FLAGS, `--user-data-dir=${profile}`].join(' ')}`,
    `--only-categories=${CATEGORIES.map(([c]) => c).join(',')}`, '--output=json',
    `--output-path=${path.join(outDir, `${name}.json`)}`, '--max-wait-for-load=45000'];
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, CHROME_PATH: CHROME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    child.on('close', (code) => {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      const file = path.join(outDir, `${name}.json`);
      if (code !== 0 || !existsSync(file)) return resolve({ error: `lighthouse exited ${code}: ${log.trim().split('\n').slice(-3).join(' | ')}` });
      resolve({ report: JSON.parse(readFileSync(file, 'utf8')) });
    });
  });
}

/** Category scores (0-100) and the audits that cost points, worst first. */
function summarise(report) {
  const scores = CATEGORIES.map(([c]) => {
    const s = report.categories[c]?.score;
    return s == null ? null : Math.round(s * 100);
  });
  const lost = [];
  for (const [c] of CATEGORIES) {
    for (const ref of report.categories[c]?.auditRefs || []) {
      const a = report.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        const value = a.displayValue ? ` ${a.displayValue}` : '';
        lost.push({ weight: ref.weight, text: `${c}: ${ref.id} (score ${a.score}${value}) ${a.title}` });
      }
    }
  }
  lost.sort((a, b) => b.weight - a.weight);
  return { scores, lost: lost.map((l) => l.text) };
}

const srv = await startServer(site, base);
const rows = [];
let failed = 0;
try {
  for (const p of pages) {
    const url = srv.url + p;
    const label = srv.base + p;
    const name = (p || 'home').replace(/[^A-Za-z0-9-]+/g, '_').replace(/_+$/, '');
    let best = null;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const r = await lighthouse(url, name);
      let why;
      if (r.error) why = r.error;
      else if (r.report.runtimeError) why = `${r.report.runtimeError.code}: ${r.report.runtimeError.message}`;
      else {
        const s = summarise(r.report);
        if (!best || Math.min(...s.scores) > Math.min(...best.scores)) best = s;
        const low = CATEGORIES.map(([c], i) => [c, s.scores[i]]).filter(([, v]) => v == null || v < MIN);
        if (!low.length) { best = s; break; }
        const warnings = (r.report.runWarnings || []).map((w) => `warning: ${w}`);
        why = `${low.map(([c, v]) => `${c} ${v ?? '-'}`).join(', ')} below ${MIN}; ` +
          `lost points: ${[...s.lost.slice(0, 5), ...warnings].join('; ') || 'none listed'}`;
      }
      console.log(`${label}: attempt ${attempt} of ${ATTEMPTS} failed: ${why}`);
      // Only performance depends on how busy the machine is; the other three
      // categories score the same page the same way every time.
      if (best && CATEGORIES.some(([c], i) => c !== 'performance' && best.scores[i] < MIN)) {
        if (attempt < ATTEMPTS) console.log(`${label}: not run again: only performance varies from run to run`);
        break;
      }
    }
    const ok = best && best.scores.every((s) => s != null && s >= MIN);
    if (!ok) failed++;
    rows.push({ label, best, ok });
  }
} finally {
  await srv.close();
}

console.log(`${'page'.padEnd(56)}${CATEGORIES.map(([, s]) => s.padStart(6)).join('')}`);
const lowest = CATEGORIES.map(() => 100);
for (const { label, best, ok } of rows) {
  const cells = CATEGORIES.map((_, i) => String(best?.scores[i] ?? '-').padStart(6)).join('');
  console.log(`${label.padEnd(56)}${cells}${ok ? '' : '  FAIL'}`);
  CATEGORIES.forEach((_, i) => { lowest[i] = Math.min(lowest[i], best?.scores[i] ?? 0); });
  for (const l of best?.lost || []) console.log(`    ${l}`);
}
console.log(`lighthouse: ${failed ? 'FAIL' : 'PASS'} - ${rows.length} page(s), ${failed} below ${MIN}; lowest ` +
  `${CATEGORIES.map(([, s], i) => `${s} ${lowest[i]}`).join(', ')}; reports in ${path.relative(REPO, outDir)}/ (${seconds(t0)}s)`);
process.exit(failed ? 1 : 0);
