// Open questions (practice) in Chromium, on the fixture site (area
// "Experiments": a lesson with two checked questions and two open ones; area
// "Metrics": a lesson with two checked questions), served under a sub-path:
// the answer box keeps its draft, the model answer and the rubric make a
// self-score shown on the lesson, the area and the progress page, export and
// import carry it, and without JavaScript the model answer sits in <details>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serveStatic, launch, axe, REPO, withPage, text, open } from './harness.mjs';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'browser-review');
const KEY = 'learn:v1:/course/';
const BRIEF = 'Hypothesis: new artwork raises starts.\nPrimary metric: starts per member.\nSample size: 20,000 a cell.';
let server;
let url;

before(async () => {
  server = await serveStatic(buildSite(FIXTURE, { baseUrl: 'https://example.org/course/' }), '/course/');
  url = {
    home: server.url,
    experiments: server.url + 'experiments/',
    briefs: server.url + 'experiments/briefs/',
    churn: server.url + 'metrics/churn/',
    progress: server.url + 'progress/',
    review: server.url + 'review/',
  };
});
after(() => server.close());

const raw = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
const stored = async (page) => JSON.parse(await raw(page));

/** Writes the brief, waits for it to be saved, shows the model answer and ticks `criteria`. */
async function practise(page, criteria) {
  const q = page.locator('#q-ab-brief');
  await q.getByRole('textbox', { name: 'Your answer' }).fill(BRIEF);
  await q.getByRole('button', { name: 'Show the model answer' }).click();
  for (const c of criteria) await q.getByLabel(c).check();
}

test('an open question starts from its template and keeps the draft across reloads', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.briefs);
    const box = page.locator('#q-ab-brief').getByRole('textbox', { name: 'Your answer' });
    assert.equal(await box.inputValue(), 'Hypothesis:\nPrimary metric:\nSample size:');
    assert.equal(await page.locator('#q-risk-list textarea').inputValue(), '', 'no template, an empty box');
    assert.equal(await raw(page), null, 'looking stores nothing');
    await box.fill(BRIEF);
    await page.waitForFunction((k) => (JSON.parse(localStorage.getItem(k) || '{}').open || {})['ab-brief'], KEY);
    const saved = (await stored(page)).open['ab-brief'];
    assert.deepEqual([saved.text, saved.shown, saved.ticks, saved.of], [BRIEF, false, [], 3]);
    await page.reload();
    assert.equal(await box.inputValue(), BRIEF);
    assert.equal(await page.locator('#q-ab-brief details.q-answer').evaluate((d) => d.open), false);

    // A draft typed just before leaving is not lost to the pause before saving.
    await box.fill(BRIEF + '\nDuration: two weeks.');
    await page.goto(url.home);
    assert.equal((await stored(page)).open['ab-brief'].text, BRIEF + '\nDuration: two weeks.');
  });
});

test('the model answer waits for an answer; its rubric is the self-score, shown on the lesson, the area and the progress page', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.briefs);
    const q = page.locator('#q-ab-brief');
    const details = q.locator('details.q-answer');
    await q.getByRole('button', { name: 'Show the model answer' }).click();
    assert.equal(await text(q.locator('.q-verdict')), 'Write your answer first, then compare it with the model answer.');
    assert.equal(await details.evaluate((d) => d.open), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ab-brief-input');

    await practise(page, ['States a falsifiable hypothesis', 'Names exactly one primary metric']);
    assert.equal(await details.evaluate((d) => d.open), true);
    assert.match(await text(details.locator('.model-answer')), /^Hypothesis: personalised artwork/);
    assert.equal(await text(q.locator('.self-score')), 'Your self-score: 2 of 3 criteria.');
    const saved = (await stored(page)).open['ab-brief'];
    assert.deepEqual([saved.shown, saved.ticks, saved.of], [true, [0, 1], 3]);
    assert.deepEqual(Object.keys((await stored(page)).questions), [], 'practice is never right or wrong');

    await page.reload();
    assert.equal(await text(q.locator('.self-score')), 'Your self-score: 2 of 3 criteria.', 'kept on the lesson');
    assert.deepEqual(await q.locator('.rubric input').evaluateAll((is) => is.map((i) => i.checked)), [true, true, false]);

    await open(page, url.experiments);
    assert.equal(await text(page.locator('[data-progress-lesson]')), '· 1 of 2 practice tasks done (2 of 3 criteria)');
    assert.equal(await text(page.locator('p.progress-line')),
      '0 of 1 lesson done · 0 of 2 questions right · 1 of 2 practice tasks done (2 of 3 criteria)');

    await open(page, url.progress);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Experiments' }) });
    assert.deepEqual((await row.locator('td').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim()).slice(0, 3),
      ['0 of 1', '0 of 2', 'Started · 25 %'], 'practice counts toward completion, not toward questions right');
    assert.deepEqual(await page.locator('#practice-list a').allInnerTexts(), ['Write a three-line brief for the artwork test.']);
    assert.equal(await text(page.locator('#practice-list .meta')), 'Experiment briefs · self-score 2 of 3 criteria');
  });
});

test('copy my answer puts the answer on the clipboard', async () => {
  await withPage({}, async (page, browser) => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url.home).origin });
    await page.goto(url.briefs);
    const q = page.locator('#q-ab-brief');
    await q.getByRole('textbox', { name: 'Your answer' }).fill(BRIEF);
    await q.getByRole('button', { name: 'Copy my answer' }).click();
    await q.locator('.q-verdict', { hasText: 'Copied' }).waitFor();
    assert.equal(await text(q.locator('.q-verdict')), 'Copied your answer to the clipboard.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), BRIEF);
  });
});

/** Clicks Export on the progress page and returns the file's path and text. */
async function exportFile(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress (JSON)' }).click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'learn-export-')), download.suggestedFilename());
  await download.saveAs(path);
  return { path, text: readFileSync(path, 'utf8') };
}

test('export and import carry practice answers and their self-scores', async () => {
  let exported;
  let original;
  await withPage({}, async (page) => {
    await page.goto(url.briefs);
    await practise(page, ['Names exactly one primary metric']);
    await page.goto(url.progress);
    original = await raw(page);
    exported = await exportFile(page);
    assert.equal(await text(page.locator('#import-status')), 'Exported 0 answered questions, 1 practice answer and 0 lessons marked done.');
  });
  const file = JSON.parse(exported.text);
  assert.deepEqual(file.progress, JSON.parse(original));
  assert.equal(file.progress.open['ab-brief'].text, BRIEF);

  await withPage({}, async (page) => {
    await page.goto(url.progress);
    await page.locator('#import-progress').setInputFiles(exported.path);
    await page.locator('#import-status', { hasText: 'Imported' }).waitFor();
    assert.equal(await text(page.locator('#import-status')), 'Imported 0 answered questions, 1 practice answer and 0 lessons marked done.');
    assert.equal(await raw(page), original, 'byte for byte what the first browser stored');
    await page.goto(url.briefs);
    assert.equal(await page.locator('#q-ab-brief textarea').inputValue(), BRIEF);
    assert.equal(await text(page.locator('#q-ab-brief .self-score')), 'Your self-score: 1 of 3 criteria.');

    // A damaged practice answer is refused, naming the question.
    const damaged = { format: 'learn-progress', version: 1, site: KEY, exported: '2024-01-01T00:00:00.000Z',
      progress: { version: 1, questions: {}, lessons: {}, open: { 'ab-brief': { text: 'x', ticks: ['two'] } } } };
    await page.goto(url.progress);
    page.once('dialog', (d) => d.accept());
    await page.locator('#import-progress').setInputFiles({ name: 'damaged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
    await page.locator('#import-status', { hasText: 'Not imported' }).waitFor();
    assert.equal(await text(page.locator('#import-status')), 'Not imported: the practice answers of question ab-brief are damaged.');
  });
});

for (const colorScheme of ['light', 'dark']) {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    test(`axe finds no violations on a lesson with practice revealed (${colorScheme}, ${viewport.width}px)`, async () => {
      await withPage({ colorScheme, viewport }, async (page) => {
        await page.goto(url.briefs);
        await practise(page, ['Names exactly one primary metric']);
        assert.deepEqual(await axe(page), []);
        await page.goto(url.progress);
        assert.deepEqual(await axe(page), [], 'progress page with a practice answer');
      });
    });
  }
}

test('without JavaScript the model answer and rubric sit in a details element', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(url.briefs);
    const q = page.locator('#q-ab-brief');
    assert.equal(await q.locator('.q-actions').isVisible(), false);
    await q.locator('details.q-answer summary').click();
    assert.equal(await q.locator('.model-answer').isVisible(), true);
    assert.equal(await q.locator('.rubric input[type=checkbox]').count(), 3);
  });
});
