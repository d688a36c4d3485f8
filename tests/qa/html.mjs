// Gate: every HTML page of a built site passes the Nu Html Checker with no errors.
// vnu.jar comes from the pinned npm package vnu-jar (installed with
// --ignore-scripts: its postinstall would download a JDK) and runs on the system Java.
//
//   node tests/qa/html.mjs SITE_DIR
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO, sitePages, siteArgs, seconds } from './lib.mjs';

const t0 = Date.now();
const { site } = siteArgs('node tests/qa/html.mjs SITE_DIR');
const jar = path.join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const pages = sitePages(site);
const files = pages.map((p) => path.join(site, p.endsWith('.html') ? p : `${p}index.html`));

// vnu writes its report to stderr unless --stdout; --exit-zero-always so a
// non-zero exit means vnu itself failed, not the pages.
const run = spawnSync('java', ['-Xss8m', '-jar', jar, '--errors-only', '--format', 'json', '--stdout',
  '--exit-zero-always', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
let messages;
try {
  if (run.error) throw run.error;
  messages = JSON.parse(run.stdout).messages;
} catch (e) {
  console.log((run.stderr || '').slice(-2000));
  console.log(`html: FAIL - the Nu Html Checker did not produce a report (${e.message})`);
  process.exit(2);
}
const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal');
const byFile = new Map();
for (const m of errors) {
  const file = decodeURIComponent((m.url || '?').replace(/^file:/, '')).replace(`${site}/`, '');
  if (!byFile.has(file)) byFile.set(file, []);
  byFile.get(file).push(m);
}
for (const [file, ms] of [...byFile].sort()) {
  console.log(`${file}: ${ms.length} error(s)`);
  for (const m of ms.slice(0, 10)) {
    console.log(`  ${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'} ${m.message}`);
    if (m.extract) console.log(`      ${m.extract.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
  }
  if (ms.length > 10) console.log(`  ... ${ms.length - 10} more`);
}
const ok = errors.length === 0 && files.length > 0;
console.log(`html: ${ok ? 'PASS' : 'FAIL'} - ${files.length} page(s) checked, ${errors.length} error(s) in ${byFile.size} page(s) (${seconds(t0)}s)`);
process.exit(ok ? 0 : 1);
