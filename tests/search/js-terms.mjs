// Helper of the Rust parity test (src/search/parity.rs): reads lines from the
// file named on the command line and prints, for each, the JavaScript
// stemmer's stem of the lowercased line and the terms search.js makes of it,
// tab-separated. search.js runs as it would in a browser, minus the page.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(join(repo, 'themes/default/static/assets/search.js'), 'utf8');
const sandbox = {};
runInNewContext(source, sandbox, { filename: 'search.js' });
const core = sandbox.learnSearchCore;
if (!core) throw new Error('search.js did not expose its word functions under Node');

const lines = readFileSync(process.argv[2], 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const out = lines.map((line) => {
  const terms = core.tokens(line, true).map((t) => core.term(t.word)).join(' ');
  return `${core.stem(line.toLowerCase())}\t${terms}`;
});
process.stdout.write(out.join('\n') + '\n');
