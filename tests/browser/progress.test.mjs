// Learner progress in Chromium, on the fixture site (area "Basics" with one
// lesson of five questions, area "More" with one lesson of one question),
// served under a sub-path: "mark as done", progress on home and area pages,
// the progress page (mastery, missed questions, review, reset), export and
// import into a fresh browser, and axe on the pages that show progress. The
// pages carry no question ids: each area's lessons and ids are fetched from
// progress/<area>/lessons.json when a learner has progress there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serveStatic, launch, axe, REPO, withPage, withBrowser, text, open, settled } from './harness.mjs';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'browser-quiz');
const KEY = 'learn:v1:/course/';
let server;
let url;

before(async () => {
  server = await serveStatic(buildSite(FIXTURE, { baseUrl: 'https://example.org/course/' }), '/course/');
  url = {
    home: server.url,
    basics: server.url + 'basics/',
    lesson: server.url + 'basics/all-types/',
    second: server.url + 'more/second/',
    progress: server.url + 'progress/',
  };
});
after(() => server.close());

const raw = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
const stored = async (page) => JSON.parse(await raw(page));
const cells = async (row) => (await row.locator('td').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());

/** Answers through the page: `choice` is a label to tick, or text to type. */
async function answer(page, id, ...choices) {
  const q = page.locator(`#q-${id}`);
  const field = q.locator('.answer-input');
  // Review mode fetches questions after the click, so wait for the inputs
  // before asking which kind of question this is.
  await q.locator('input').first().waitFor();
  if (await field.count()) await field.fill(choices[0]);
  else for (const c of choices) await q.getByLabel(c, { exact: true }).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await q.locator('.q-verdict strong').waitFor();
  // The answer is stored, and the page marked busy, before the verdict shows.
  await settled(page);
}

/** Basics: single and text right, number wrong, lesson done. More: its question wrong. */
async function someProgress(page) {
  await page.goto(url.lesson);
  await answer(page, 'fx-single', 'Confidence');
  await answer(page, 'fx-text', 'rice');
  await answer(page, 'fx-number', '12');
  await page.getByRole('button', { name: 'Mark as done' }).click();
  await page.goto(url.second);
  await answer(page, 'fx-second', 'False');
}

test('a first-time visitor sees no empty progress lines', async () => {
  await withPage({}, async (page) => {
    await open(page, url.home);
    assert.deepEqual(await page.locator('.cards .progress-line').allTextContents(), ['', '']);
    await open(page, url.basics);
    // Its space is kept (so a returning learner's line moves nothing), but it says nothing.
    assert.equal(await page.locator('p.progress-line').textContent(), '');
    assert.equal(await page.locator('[data-progress-lesson]').textContent(), '');
    assert.equal(await raw(page), null, 'looking around stores nothing');
  });
});

test('mark as done toggles, persists, and shows on the area and home pages', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.lesson);
    const done = page.getByRole('button', { name: 'Mark as done' });
    assert.equal(await done.getAttribute('aria-pressed'), 'false');
    await done.click();
    assert.equal(await done.getAttribute('aria-pressed'), 'true');
    assert.equal(await text(page.locator('.done-note')), 'You marked this lesson as done.');
    await page.reload();
    assert.equal(await done.getAttribute('aria-pressed'), 'true');
    assert.ok(!Number.isNaN(Date.parse((await stored(page)).lessons['basics/all-types/'].at)));

    await open(page, url.basics);
    assert.equal(await text(page.locator('[data-progress-lesson]')), '· ✓ Done');
    assert.equal(await text(page.locator('p.progress-line')), '1 of 1 lesson done · 0 of 5 questions right');
    await open(page, url.home);
    assert.deepEqual((await page.locator('.cards .progress-line').allInnerTexts()).map((s) => s.trim()),
      ['1 of 1 lesson done · 0 of 5 questions right', '0 of 1 lesson done · 0 of 1 question right']);

    await page.goto(url.lesson);
    await done.click();
    assert.equal(await done.getAttribute('aria-pressed'), 'false');
    assert.deepEqual((await stored(page)).lessons, {});
  });
});

test('questions right show per lesson and per area', async () => {
  await withPage({}, async (page) => {
    await someProgress(page);
    await open(page, url.basics);
    assert.equal(await text(page.locator('[data-progress-lesson]')), '· ✓ Done · 2 of 5 right');
    assert.equal(await text(page.locator('p.progress-line')), '1 of 1 lesson done · 2 of 5 questions right');
    assert.equal(await page.locator('p.progress-line .progress-bar > span').evaluate((e) => e.style.width), '40%');
    await open(page, url.home);
    assert.equal(await text(page.locator('.cards .progress-line').nth(1)), '0 of 1 lesson done · 0 of 1 question right');
  });
});

/** The progress data files requested since request number `from`, in order asked. */
// Which data files were asked for (each once, sorted): a second request for
// the same file, seen once in CI, is not what these tests are about.
const dataRequests = (from) => [...new Set(server.requests.slice(from).filter((r) => r.startsWith('/course/progress/') && r.endsWith('.json')))].sort();
const cardLines = async (page) => (await page.locator('.cards .progress-line').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
const seed = (page, data) => page.evaluate(([k, d]) => localStorage.setItem(k, JSON.stringify(d)), [KEY, { version: 1, lessons: {}, ...data }]);

test('pages fetch the progress data of the areas a learner has progress in, and only those', async () => {
  await withPage({}, async (page) => {
    let from = server.requests.length;
    for (const u of [url.home, url.basics, url.progress]) await open(page, u);
    assert.deepEqual(dataRequests(from), [], 'a first-time visitor fetches nothing');

    await page.goto(url.second);
    await answer(page, 'fx-second', 'False');
    from = server.requests.length;
    await open(page, url.home);
    assert.deepEqual(dataRequests(from), ['/course/progress/more/lessons.json'], 'only More, under the sub-path');
    assert.deepEqual(await cardLines(page), ['0 of 1 lesson done · 0 of 5 questions right', '0 of 1 lesson done · 0 of 1 question right']);

    from = server.requests.length;
    await open(page, url.basics);
    assert.deepEqual(dataRequests(from), [], 'an area without progress is painted from its counts');
    assert.equal(await text(page.locator('p.progress-line')), '0 of 1 lesson done · 0 of 5 questions right');
    assert.equal(await page.locator('[data-progress-lesson]').textContent(), '');

    from = server.requests.length;
    await open(page, url.progress);
    const asked = dataRequests(from);
    assert.ok(asked.includes('/course/progress/more/questions.json'), `the prompts of More: ${asked}`);
    assert.ok(!asked.some((r) => r.includes('/basics/')), `nothing of Basics: ${asked}`);
    assert.deepEqual(await page.locator('#missed-list a').allInnerTexts(), ['Effort is the divisor in RICE.']);
  });
});

test('records kept before answers named their page still count, from every area', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.home);
    const at = '2024-05-01T10:00:00.000Z';
    await seed(page, { questions: { 'fx-single': { attempts: 1, correct: true, at }, 'fx-second': { attempts: 2, correct: true, at } } });
    const from = server.requests.length;
    await open(page, url.home);
    assert.deepEqual(dataRequests(from).sort(), ['/course/progress/basics/lessons.json', '/course/progress/more/lessons.json']);
    assert.deepEqual(await cardLines(page), ['0 of 1 lesson done · 1 of 5 questions right', '0 of 1 lesson done · 1 of 1 question right']);
  });
});

test('an answer whose lesson moved to another area counts where the lesson is now', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.home);
    // fx-second's record names the page it was on before it moved to More.
    await seed(page, { questions: { 'fx-second': { attempts: 1, correct: true, at: '2024-05-01T10:00:00.000Z', page: 'basics/second/' } } });
    await open(page, url.home);
    assert.deepEqual(await cardLines(page), ['0 of 1 lesson done · 0 of 5 questions right', '0 of 1 lesson done · 1 of 1 question right']);
  });
});

test('progress page: mastery per area and missed questions that link to the question', async () => {
  await withPage({}, async (page) => {
    await someProgress(page);
    await open(page, url.progress);
    const row = (name) => page.locator('tr', { has: page.getByRole('rowheader', { name }) });
    assert.deepEqual(await cells(row('Basics')), ['1 of 1', '2 of 5', 'Developing · 40 %', 'Reset Basics']);
    assert.deepEqual(await cells(row('More')), ['0 of 1', '0 of 1', 'Started · 0 %', 'Reset More']);

    assert.equal(await text(page.locator('#missed-list > p')), 'Your last answer to 2 questions was not right.');
    const links = page.locator('#missed-list a');
    assert.deepEqual(await links.allInnerTexts(), [
      'Reach 2,000, impact 2, confidence 0.8, effort 4. What is the RICE score?',
      'Effort is the divisor in RICE.',
    ]);
    assert.deepEqual(await page.locator('#missed-list .meta').allInnerTexts(), ['All question types · 1 attempt', 'Second lesson · 1 attempt']);
    assert.equal(await page.getByRole('button', { name: 'Review the 2 missed questions' }).isVisible(), true);

    await links.first().click();
    await page.waitForURL(`${url.lesson}#q-fx-number`);
    assert.equal(await page.evaluate(() => document.querySelector(':target').id), 'q-fx-number');
  });
});

test('review mode asks every missed question again on one page', async () => {
  await withPage({}, async (page) => {
    await someProgress(page);
    await page.goto(url.lesson);
    await answer(page, 'fx-multiple', 'Reach');
    await open(page, url.progress);
    await page.getByRole('button', { name: 'Review the 3 missed questions' }).click();

    const review = page.locator('#review-questions');
    await page.locator('#review:not([hidden])').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'review-title', 'focus moves to the review');
    assert.deepEqual(await review.locator('form.question').evaluateAll((fs) => fs.map((f) => f.dataset.id)),
      ['fx-multiple', 'fx-number', 'fx-second'], 'the missed questions, in course order, and only those');
    assert.deepEqual(await review.locator('.q-number').allTextContents(), ['Question 1 of 3', 'Question 2 of 3', 'Question 3 of 3']);
    assert.deepEqual(await review.locator('.q-source').allInnerTexts(), ['From All question types', 'From All question types', 'From Second lesson']);
    assert.equal(await review.locator('.q-verdict strong').count(), 0, 'asked afresh, not with the old answers');
    assert.equal(await review.locator('input:checked').count(), 0);

    await answer(page, 'fx-number', '800');
    assert.equal(await text(review.locator('#q-fx-number .q-verdict')), 'Correct.');
    assert.equal(await text(page.locator('#review-score')), '1 of 3 now right.');
    assert.deepEqual(await page.locator('#missed-list a').allInnerTexts(), ['Which of these are RICE inputs?', 'Effort is the divisor in RICE.']);

    await answer(page, 'fx-second', 'False');
    assert.equal(await text(review.locator('#q-fx-second .q-verdict')), 'Not quite.');
    assert.deepEqual(await page.locator('#missed-list .meta').allInnerTexts(), ['All question types · 1 attempt', 'Second lesson · 2 attempts']);
    await answer(page, 'fx-second', 'True');
    await answer(page, 'fx-multiple', 'Reach', 'Impact', 'Effort');
    assert.equal(await text(page.locator('#review-score')), '3 of 3 now right.');
    assert.equal(await text(page.locator('#missed-list')), 'Nothing to review: every question you have answered is right.');
    assert.equal(await page.locator('#start-review').isVisible(), false);

    const data = await stored(page);
    assert.deepEqual([data.questions['fx-number'].attempts, data.questions['fx-number'].correct], [2, true]);
  });
});

test('reset clears one area and leaves the others', async () => {
  await withPage({}, async (page) => {
    await someProgress(page);
    await open(page, url.progress);
    const before = await raw(page);

    page.once('dialog', (d) => d.dismiss());
    await page.getByRole('button', { name: 'Reset Basics' }).click();
    assert.equal(await raw(page), before, 'cancelling changes nothing');

    let message = '';
    page.once('dialog', (d) => { message = d.message(); d.accept(); });
    await page.getByRole('button', { name: 'Reset Basics' }).click();
    assert.equal(message, 'Reset your progress in “Basics”? This cannot be undone.');
    await page.locator('#progress-status', { hasText: 'was reset' }).waitFor();
    await settled(page);
    assert.equal(await text(page.locator('#progress-status')), 'Your progress in Basics was reset.');
    const data = await stored(page);
    assert.deepEqual(Object.keys(data.questions), ['fx-second']);
    assert.deepEqual(data.lessons, {});
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Basics' }) });
    assert.deepEqual(await cells(row), ['0 of 1', '0 of 5', 'Not started', 'Reset Basics']);

    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Reset all progress' }).click();
    await settled(page);
    assert.deepEqual(await stored(page), { version: 1, questions: {}, lessons: {} });
    assert.equal(await text(page.locator('#missed-list')), 'No missed questions yet.');
  });
});

/** Clicks Export on the progress page and returns the file's text. */
async function exportFile(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress (JSON)' }).click()]);
  assert.match(download.suggestedFilename(), /^quiz-fixture-progress-\d{4}-\d\d-\d\d\.json$/);
  const path = join(mkdtempSync(join(tmpdir(), 'learn-export-')), download.suggestedFilename());
  await download.saveAs(path);
  return { path, text: readFileSync(path, 'utf8') };
}

test('export, then import into a fresh browser, round-trips the progress exactly', async () => {
  let exported;
  let original;
  await withPage({}, async (page) => {
    await someProgress(page);
    await open(page, url.progress);
    original = await raw(page);
    exported = await exportFile(page);
    assert.equal(await text(page.locator('#import-status')), 'Exported 4 answered questions and 1 lesson marked done.');
  });
  const file = JSON.parse(exported.text);
  assert.deepEqual(Object.keys(file), ['format', 'version', 'site', 'exported', 'progress']);
  assert.equal(file.format, 'learn-progress');
  assert.equal(file.site, KEY);
  assert.deepEqual(file.progress, JSON.parse(original));

  await withPage({}, async (page) => {
    await open(page, url.progress);
    assert.equal(await raw(page), null, 'a new profile starts empty');
    await page.locator('#import-progress').setInputFiles(exported.path);
    await page.locator('#import-status', { hasText: 'Imported' }).waitFor();
    await settled(page);
    assert.equal(await text(page.locator('#import-status')), 'Imported 4 answered questions and 1 lesson marked done.');
    assert.equal(await raw(page), original, 'byte for byte what the first browser stored');
    assert.equal(await page.locator('#missed-list a').count(), 2, 'the page shows the imported progress at once');

    const again = JSON.parse((await exportFile(page)).text);
    assert.deepEqual(again.progress, file.progress);

    await page.goto(url.lesson);
    assert.equal(await text(page.locator('#q-fx-single .q-verdict')), 'Correct last time (1 attempt).');
    assert.equal(await page.getByRole('button', { name: 'Mark as done' }).getAttribute('aria-pressed'), 'true');
  });
});

test('import refuses files that are not progress, and asks before replacing progress', async () => {
  await withPage({}, async (page) => {
    await someProgress(page);
    await open(page, url.progress);
    const before = await raw(page);
    const status = page.locator('#import-status');
    const upload = (name, content) => page.locator('#import-progress').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });

    await upload('notes.json', 'not json at all');
    await status.filter({ hasText: 'Not imported' }).waitFor();
    assert.equal(await text(status), 'Not imported: notes.json is not a progress file exported from this site.');

    await upload('broken.json', JSON.stringify({ format: 'learn-progress', version: 1, progress: { version: 1, questions: { q: { attempts: 'two', correct: true } }, lessons: {} } }));
    await status.filter({ hasText: 'damaged' }).waitFor();
    assert.equal(await text(status), 'Not imported: the record for question q is damaged.');

    await upload('future.json', JSON.stringify({ format: 'learn-progress', version: 2, progress: { version: 2, questions: {}, lessons: {} } }));
    await status.filter({ hasText: 'newer' }).waitFor();
    assert.equal(await raw(page), before);

    const other = { format: 'learn-progress', version: 1, site: 'learn:v1:/elsewhere/', exported: '2024-01-01T00:00:00.000Z',
      progress: { version: 1, questions: { 'fx-text': { attempts: 1, correct: true, answer: 'RICE', ms: 1000, at: '2024-01-01T00:00:00.000Z' } }, lessons: {} } };
    page.once('dialog', (d) => d.dismiss());
    await upload('other.json', JSON.stringify(other));
    await status.filter({ hasText: 'cancelled' }).waitFor();
    assert.equal(await raw(page), before, 'declining keeps the current progress');

    page.once('dialog', (d) => d.accept());
    await upload('other.json', JSON.stringify(other));
    await status.filter({ hasText: 'Imported' }).waitFor();
    assert.equal(await text(status), 'Imported 1 answered question and 0 lessons marked done. The file came from a copy of the site at another address.');
    assert.deepEqual(await stored(page), other.progress);
  });
});

test('progress made in one tab shows in another without a reload', async () => {
  await withBrowser({}, async (browser) => {
    const home = await browser.context.newPage();
    await home.goto(url.home);
    const lesson = await browser.context.newPage();
    await lesson.goto(url.lesson);
    await answer(lesson, 'fx-single', 'Confidence');
    await home.locator('.cards .progress-line', { hasText: '1 of 5 questions right' }).waitFor({ timeout: 5000 });
  });
});

test('progress is stored under the site\'s own versioned key', async () => {
  await withPage({}, async (page) => {
    await page.goto(url.lesson);
    assert.equal(await page.locator('body').getAttribute('data-storage-key'), KEY);
    await answer(page, 'fx-single', 'Confidence');
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [KEY]);
  });
});

test('when the browser blocks storage, quizzes still work for the visit and the progress page says so', async () => {
  await withPage({}, async (page) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
    });
    await page.goto(url.lesson);
    await answer(page, 'fx-single', 'Cost');
    assert.equal(await text(page.locator('#q-fx-single .q-verdict')), 'Not quite.');
    await open(page, url.progress);
    assert.ok(await page.locator('#storage-note').isVisible());
  });
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violations on the progress, home and area pages with progress (${colorScheme})`, async () => {
    await withPage({ colorScheme }, async (page) => {
      await someProgress(page);
      await open(page, url.progress);
      await page.getByRole('button', { name: /^Review/ }).click();
      await answer(page, 'fx-number', '5');
      assert.deepEqual(await axe(page), [], 'progress page with review open');
      for (const u of [url.home, url.basics]) {
        await page.goto(u);
        assert.deepEqual(await axe(page), [], u);
      }
    });
  });
}
