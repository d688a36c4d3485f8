// The quality gates can fail: each is run on a tiny site with one known
// problem of its kind and must report it, so a gate that silently checks
// nothing cannot pass the curriculum. Also pins down the GitHub Pages
// behaviour of serve.mjs that the link gate relies on.
//
//   node --test tests/qa/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';
import { scratch } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const PAGE = (body, title = 'Page') => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="../style.css"></head>
<body><main><h1 id="top-heading">${title}</h1>${body}</main></body></html>
`;

/** A site with `files` (path -> text) under a scratch folder removed when the
 *  test `t` ends, pass or fail; returns its path. */
function site(t, files) {
  const dir = path.join(scratch('gate-site'), 'site');
  t.after(() => rmSync(path.dirname(dir), { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function gate(script, ...args) {
  const r = spawnSync(process.execPath, [path.join(HERE, script), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const GOOD = {
  'index.html': PAGE('<p><a href="a/">A</a> <a href="a/#part">part</a></p>').replace('../style.css', 'style.css'),
  'a/index.html': PAGE('<h2 id="part">Part</h2><p><a href="../">Home</a></p>', 'A'),
  '404.html': PAGE('<p>Not found.</p>', 'Missing').replace('../style.css', 'style.css'),
  'style.css': 'body { background: url(bg.svg); }\n',
  'bg.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

test('serve.mjs answers like GitHub Pages under a sub-path', async (t) => {
  const dir = site(t, GOOD);
  const srv = await startServer(dir, '/sub/');
  try {
    const get = (p) => fetch(srv.origin + p, { redirect: 'manual' });
    assert.equal((await get('/sub/')).status, 200);
    assert.equal((await get('/sub')).headers.get('location'), '/sub/');
    assert.equal((await get('/sub/a')).headers.get('location'), '/sub/a/');
    const missing = await get('/sub/nope/');
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Missing/, 'the site 404 page is the body');
    assert.equal((await get('/style.css')).status, 404, 'outside the base path');
    assert.doesNotMatch(await (await get('/elsewhere')).text(), /Missing/);
    assert.equal((await get('/sub/%2e%2e/%2e%2e/etc/passwd')).status, 404);
    assert.equal((await get('/sub/../sub/a/')).status, 200, 'fetch normalises dot segments itself');
  } finally {
    await srv.close();
  }
});

test('the link gate passes a good site and reports each kind of broken link', (t) => {
  const good = site(t, GOOD);
  const ok = gate('links.mjs', good, '/sub/');
  assert.equal(ok.code, 0, ok.out);
  const bad = site(t, {
    ...GOOD,
    'a/index.html': PAGE(`<h2 id="part">Part</h2>
      <a href="/a/">root-relative</a> <a href="../#nowhere">missing id</a>
      <a href="../a">redirect</a> <img src="gone.png" alt="">`, 'A'),
    'style.css': 'body { background: url(missing.svg); }\n',
  });
  const r = gate('links.mjs', bad, '/sub/');
  assert.equal(r.code, 1, r.out);
  for (const want of ['/a/  (HTTP 404)', 'no id="nowhere"', 'redirects (301)', 'gone.png  (HTTP 404)', 'missing.svg  (HTTP 404)']) {
    assert.ok(r.out.includes(want), `${want}\n${r.out}`);
  }
});

test('the HTML gate reports an invalid page', (t) => {
  const dir = site(t, { ...GOOD, 'a/index.html': PAGE('<p><div>block in a paragraph</p><span id="x"></span><b id="x"></b>', 'A') });
  const r = gate('html.mjs', dir);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /Duplicate ID/);
});

test('the accessibility gate reports a violation and a script error', (t) => {
  const dir = site(t, {
    ...GOOD,
    'a/index.html': PAGE('<img src="../bg.svg"><p style="color:#eee">faint</p><script>throw new Error("boom")</script>', 'A'),
    // No background image: axe cannot measure contrast over one.
    'style.css': 'body { margin: 0; }\n',
  });
  const r = gate('a11y.mjs', dir, '/sub/', 'a/');
  assert.equal(r.code, 1, r.out);
  for (const want of ['image-alt', 'color-contrast', 'boom']) assert.ok(r.out.includes(want), `${want}\n${r.out}`);
});
