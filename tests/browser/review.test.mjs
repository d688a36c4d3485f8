// Spaced review in Chromium, on the fixture site (area "Experiments": a
// lesson with two checked questions and two open ones; area "Metrics": a
// lesson with two checked questions), served under a sub-path: every checked
// answer is scheduled, the review page asks what is due with the clock moved
// across days (Playwright's clock), home and progress say how many are due,
// and export and import carry the schedule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serveStatic, launch, axe, REPO, withPage, text } from './harness.mjs';

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

/** Answers a checked question through the page: a label to tick, or text to type. */
async function answer(page, id, choice) {
  const q = page.locator(`#q-${id}`);
  await q.locator('input').first().waitFor();
  const field = q.locator('.answer-input');
  if (await field.count()) await field.fill(choice);
  else await q.getByLabel(choice, { exact: true }).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await q.locator('.q-verdict strong').waitFor();
}

/** Writes the brief, waits for it to be saved, shows the model answer and ticks `criteria`. */
async function practise(page, criteria) {
  const q = page.locator('#q-ab-brief');
  await q.getByRole('textbox', { name: 'Your answer' }).fill(BRIEF);
  await q.getByRole('button', { name: 'Show the model answer' }).click();
  for (const c of criteria) await q.getByLabel(c).check();
}

/** Clicks Export on the progress page and returns the file's path and text. */
async function exportFile(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress (JSON)' }).click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'learn-export-')), download.suggestedFilename());
  await download.saveAs(path);
  return { path, text: readFileSync(path, 'utf8') };
}

test('export and import carry the review schedule with practice; an older export still imports', async () => {
  let exported;
  let original;
  await withPage({}, async (page) => {
    await page.goto(url.briefs);
    await practise(page, ['Names exactly one primary metric']);
    await answer(page, 'rv-single', 'One');
    await page.goto(url.progress);
    original = await raw(page);
    exported = await exportFile(page);
    assert.equal(await text(page.locator('#import-status')), 'Exported 1 answered question, 1 practice answer and 0 lessons marked done.');
  });
  const file = JSON.parse(exported.text);
  assert.deepEqual(file.progress, JSON.parse(original));
  assert.equal(file.progress.open['ab-brief'].text, BRIEF);
  assert.deepEqual(file.progress.review['rv-single'].page, 'experiments/briefs/');

  await withPage({}, async (page) => {
    await page.goto(url.progress);
    await page.locator('#import-progress').setInputFiles(exported.path);
    await page.locator('#import-status', { hasText: 'Imported' }).waitFor();
    assert.equal(await text(page.locator('#import-status')), 'Imported 1 answered question, 1 practice answer and 0 lessons marked done.');
    assert.equal(await raw(page), original, 'byte for byte what the first browser stored');
    await page.goto(url.briefs);
    assert.equal(await page.locator('#q-ab-brief textarea').inputValue(), BRIEF);
    assert.equal(await text(page.locator('#q-ab-brief .self-score')), 'Your self-score: 1 of 3 criteria.');

    // A file exported before practice and review existed.
    const older = { format: 'learn-progress', version: 1, site: KEY, exported: '2024-01-01T00:00:00.000Z',
      progress: { version: 1, questions: { 'rv-text': { attempts: 1, correct: true, answer: 'retention', ms: 1000, at: '2024-01-01T00:00:00.000Z' } }, lessons: {} } };
    const path = join(mkdtempSync(join(tmpdir(), 'learn-older-')), 'older.json');
    writeFileSync(path, JSON.stringify(older));
    await page.goto(url.progress);
    page.once('dialog', (d) => d.accept());
    await page.locator('#import-progress').setInputFiles(path);
    await page.locator('#import-status', { hasText: 'Imported' }).waitFor();
    assert.equal(await text(page.locator('#import-status')), 'Imported 1 answered question and 0 lessons marked done.');
    assert.deepEqual(await stored(page), older.progress);
    await page.goto(url.churn);
    await answer(page, 'rv-number', '5');
    assert.equal((await stored(page)).review['rv-number'].interval, 1, 'the schedule starts with the next answer');

    // A damaged schedule is refused, naming the question.
    const damaged = { ...older, progress: { ...older.progress, review: { 'rv-text': { due: 'soon', interval: 1, ease: 2.5, reps: 1, lapses: 0 } } } };
    await page.goto(url.progress);
    await page.locator('#import-progress').setInputFiles({ name: 'damaged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
    await page.locator('#import-status', { hasText: 'Not imported' }).waitFor();
    assert.equal(await text(page.locator('#import-status')), 'Not imported: the review dates of question rv-text are damaged.');
  });
});

/** Sets the browser's clock to 09:00 local time on `day` (YYYY-MM-DD). */
const at = (day) => new Date(`${day}T09:00:00`);
/** The ids of the questions the review page asks, in order. */
async function asked(page) {
  await page.goto(url.review);
  await page.waitForFunction(() => /^(?!Loading)./.test(document.getElementById('review-status').textContent));
  if (await page.locator('#review').isHidden()) return [];
  await page.locator('#review-questions form.question').first().waitFor();
  return page.locator('#review-questions form.question').evaluateAll((fs) => fs.map((f) => f.dataset.id));
}

test('spaced review: right answers come back after 1, 3, then 8 days; a missed one the next day, first', async () => {
  await withPage({}, async (page) => {
    await page.clock.install({ time: at('2025-03-03') });
    await page.goto(url.briefs);
    await answer(page, 'rv-single', 'One');
    await answer(page, 'rv-truefalse', 'True');
    await page.goto(url.churn);
    await answer(page, 'rv-number', '5');
    const schedule = async () => (await stored(page)).review;
    assert.deepEqual((await schedule())['rv-single'],
      { interval: 1, ease: 2.5, reps: 1, lapses: 0, due: '2025-03-04', page: 'experiments/briefs/' });
    assert.equal((await schedule())['rv-truefalse'].due, '2025-03-04', 'a miss comes back the next day');

    assert.deepEqual(await asked(page), [], 'nothing is due on the day of answering');
    assert.equal(await text(page.locator('#review-status')), 'Nothing is due for review today.');
    assert.equal(await text(page.locator('#review-next')), 'Next review: tomorrow, 3 questions.');
    await page.goto(url.home);
    assert.equal(await page.locator('#review-count').textContent(), '');

    // Day 2: all three are due, the missed one first.
    await page.clock.setSystemTime(at('2025-03-04'));
    await page.goto(url.home);
    const due = page.locator('#review-count a');
    assert.equal(await text(due), '3 questions due for review');
    assert.equal(await page.locator('#review-count').isVisible(), true);
    await page.goto(url.progress);
    assert.equal(await text(page.locator('.review-due')), '3 questions due for review');
    await page.locator('.review-due a').click();
    await page.waitForURL(url.review);
    assert.deepEqual(await asked(page), ['rv-truefalse', 'rv-single', 'rv-number']);
    assert.equal(await text(page.locator('#review-status')), '3 questions due for review.');
    assert.deepEqual(await page.locator('#review-questions .q-source').allInnerTexts(), ['From Experiment briefs', 'From Experiment briefs', 'From Churn']);
    await answer(page, 'rv-truefalse', 'False');
    assert.equal(await text(page.locator('#review-status')), '1 of 3 questions reviewed.');
    await answer(page, 'rv-single', 'One');
    await answer(page, 'rv-number', '7');
    assert.equal(await text(page.locator('#review-status')), 'All 3 questions reviewed.');
    assert.equal(await text(page.locator('#review-next')), 'Next review: tomorrow, 2 questions.');
    let s = await schedule();
    assert.deepEqual([s['rv-single'].interval, s['rv-single'].due], [3, '2025-03-07'], 'right twice: three days');
    assert.deepEqual([s['rv-number'].interval, s['rv-number'].lapses, s['rv-number'].ease], [1, 1, 2.3], 'a lapse: tomorrow, and easier');

    // Day 3: the lapsed question comes first.
    await page.clock.setSystemTime(at('2025-03-05'));
    assert.deepEqual(await asked(page), ['rv-number', 'rv-truefalse']);
    await answer(page, 'rv-number', '5');
    await answer(page, 'rv-truefalse', 'False');

    // Day 5: the longest overdue first; right a third time, the interval is 3 × 2.5, rounded.
    await page.clock.setSystemTime(at('2025-03-07'));
    assert.deepEqual(await asked(page), ['rv-number', 'rv-single']);
    await answer(page, 'rv-single', 'One');
    s = await schedule();
    assert.deepEqual([s['rv-single'].interval, s['rv-single'].due], [8, '2025-03-15']);
    // Answering again before it is due changes nothing.
    await page.goto(url.briefs);
    assert.equal(await text(page.locator('#q-rv-single .q-verdict')), 'Correct last time (3 attempts).');
    await answer(page, 'rv-truefalse', 'False');
    assert.deepEqual((await schedule())['rv-truefalse'], s['rv-truefalse']);
  });
});

test('a question no longer on its lesson is taken off the schedule', async () => {
  await withPage({}, async (page, browser) => {
    await page.clock.install({ time: at('2025-03-03') });
    await page.goto(url.briefs);
    await answer(page, 'rv-single', 'One');
    await page.evaluate((k) => {
      const d = JSON.parse(localStorage.getItem(k));
      d.review.gone = { ...d.review['rv-single'], page: 'experiments/briefs/' };
      d.review.moved = { ...d.review['rv-single'], page: 'experiments/no-such-lesson/' };
      localStorage.setItem(k, JSON.stringify(d));
    }, KEY);
    await page.clock.setSystemTime(at('2025-03-04'));
    assert.deepEqual(await asked(page), ['rv-single']);
    assert.deepEqual(Object.keys((await stored(page)).review), ['rv-single']);
    // The lesson that is gone answered 404, as it should.
    assert.deepEqual(browser.errors.splice(0), ['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});

for (const colorScheme of ['light', 'dark']) {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    test(`axe finds no violations on home, progress and review with questions due (${colorScheme}, ${viewport.width}px)`, async () => {
      await withPage({ colorScheme, viewport }, async (page) => {
        await page.clock.install({ time: at('2025-03-03') });
        await page.goto(url.briefs);
        await practise(page, ['Names exactly one primary metric']);
        await answer(page, 'rv-single', 'Three');
        assert.deepEqual(await axe(page), [], 'lesson with practice revealed');
        await page.clock.setSystemTime(at('2025-03-04'));
        for (const u of [url.home, url.progress]) {
          await page.goto(u);
          assert.deepEqual(await axe(page), [], u);
        }
        assert.deepEqual(await asked(page), ['rv-single']);
        await answer(page, 'rv-single', 'Three');
        assert.deepEqual(await axe(page), [], 'review page');
      });
    });
  }
}

test('without JavaScript the review page says it needs it', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(url.review);
    assert.equal(await page.locator('noscript .notice').isVisible(), true);
    assert.equal(await page.locator('#review-status').isVisible(), false);
  });
});
