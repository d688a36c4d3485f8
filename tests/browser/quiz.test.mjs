// Self-check quizzes in Chromium, on the small fixture site (one lesson with a
// question of every type), served under a sub-path as on GitHub Pages: right
// and wrong answers with their feedback words, retry, what is recorded,
// persistence, the no-JavaScript page, keyboard use, axe, layout stability.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serveStatic, launch, axe, REPO, LEARN, withPage, text } from './harness.mjs';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'browser-quiz');
const KEY = 'learn:v1:/course/';
let server;
let lesson;

before(async () => {
  server = await serveStatic(buildSite(FIXTURE, { baseUrl: 'https://example.org/course/' }), '/course/');
  lesson = server.url + 'basics/all-types/';
});
after(() => server.close());

/** Runs `fn` with a page in a fresh browser profile; fails on any console or page error. */
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
/** What the reader sees: rendered text with whitespace collapsed. */
const question = (page, id) => page.locator(`#q-${id}`);
const check = (q) => q.getByRole('button', { name: 'Check' }).click();

test('single choice: wrong, then retry, then right, with the feedback in words', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-single');
    assert.equal(await q.locator('.q-verdict').getAttribute('role'), 'status');
    assert.equal(await q.locator('.q-verdict').getAttribute('aria-live'), 'polite');

    await q.getByLabel('Cost').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite.');
    assert.equal(await text(q.locator('.choice.is-wrong')), 'Cost Wrong', 'the chosen option says Wrong in words');
    assert.equal(await q.locator('.choice.is-wrong svg').count(), 1, 'and carries an icon');
    const described = await q.getByLabel('Cost').getAttribute('aria-describedby');
    assert.equal(await text(page.locator(`#${described}`)), 'Wrong');
    assert.match(await text(q.locator('.q-more')), /^Wrong: Cost — No: cost is part of effort\. Explanation RICE is Reach, Impact, Confidence, Effort\.$/);
    assert.ok(await q.getByRole('button', { name: 'Try again' }).isVisible());

    await q.getByRole('button', { name: 'Try again' }).click();
    assert.equal(await text(q.locator('.q-verdict')), '');
    assert.equal(await q.locator('.choice.is-wrong').count(), 0);
    assert.equal(await q.getByLabel('Cost').isChecked(), false);
    const first = await q.locator('.choice input').first().getAttribute('id');
    assert.equal(await page.evaluate(() => document.activeElement.id), first, 'focus returns to the first option shown');

    await q.getByLabel('Confidence').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
    assert.equal(await text(q.locator('.choice.is-right')), 'Confidence Right');
    assert.match(await text(q.locator('.q-more')), /^Right: Confidence — Right: how sure you are of the estimates\. Explanation RICE is/);
    assert.equal(await q.getByRole('button', { name: 'Try again' }).isVisible(), false);

    const record = (await stored(page)).questions['fx-single'];
    assert.equal(record.attempts, 2);
    assert.equal(record.correct, true);
    assert.deepEqual(record.answer, [0]);
    assert.equal(typeof record.ms, 'number');
    assert.ok(!Number.isNaN(Date.parse(record.at)));
  });
});

test('multiple choice: counts right and wrong picks without naming the missing ones', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-multiple');
    assert.equal(await text(q.locator('.q-help')), 'Select all that apply.');
    await q.getByLabel('Reach').check();
    await q.getByLabel('Revenue').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. You picked 1 of the 3 right choices and 1 wrong one.');
    assert.equal(await text(q.locator('.q-choice-feedback')), 'Right: Reach — Yes: how many people it touches. Wrong: Revenue — No: revenue is not an input.');
    assert.equal(await q.locator('.choice .mark').count(), 2, 'only the chosen options are marked');

    // Changing the answer makes the old verdict stale, so it goes.
    await q.getByLabel('Impact').check();
    assert.equal(await text(q.locator('.q-verdict')), '');
    await q.getByLabel('Effort').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. You picked all the right choices, but also 1 wrong one.');

    await q.getByLabel('Revenue').uncheck();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
    assert.equal(await q.locator('.choice.is-right').count(), 3);
    assert.match(await text(q.locator('.q-more')), /^Right: Reach — Yes: how many people it touches\. Right: Impact Right: Effort Explanation/);
    assert.deepEqual((await stored(page)).questions['fx-multiple'].answer, [0, 1, 3]);
  });
});

test('true or false: wrong then right', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-truefalse');
    await q.getByLabel('True').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite.');
    assert.equal(await text(q.locator('.choice.is-wrong')), 'True Wrong');
    assert.equal(await text(q.locator('.q-explanation')), 'Explanation Strong work makes an offer more likely, not certain.');
    await q.getByLabel('False').check();
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
    assert.equal(await text(q.locator('.choice.is-right')), 'False Right');
    const record = (await stored(page)).questions['fx-truefalse'];
    assert.deepEqual([record.attempts, record.correct, record.answer], [2, true, false]);
  });
});

test('text: compared after normalising case, spaces and punctuation', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-text');
    const input = q.getByLabel('Your answer', { exact: true });
    await input.fill('...');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Type a word or two first.');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(await stored(page), null, 'an empty answer is not an attempt');

    await input.fill('ICE');
    await input.press('Enter');
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. “ICE” is not one of the accepted answers.');
    assert.equal(await q.getAttribute('data-result'), 'wrong');
    await input.fill('rice-scores');
    await input.press('Enter');
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. “rice-scores” is not one of the accepted answers.');
    await input.fill('  Rice - SCORE!! ');
    await input.press('Enter');
    assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
    assert.equal(await text(q.locator('.q-explanation')), 'Explanation RICE divides by effort.');
    const record = (await stored(page)).questions['fx-text'];
    assert.deepEqual([record.attempts, record.correct, record.answer], [3, true, 'Rice - SCORE!!']);
  });
});

test('number: within tolerance, as people type numbers, too high or too low', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-number');
    const input = q.getByLabel('Your answer (a number)');
    await input.fill('about eight hundred');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Type a number, such as 12 or 0.5. “about eight hundred” has no digits.');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await input.fill('800 points');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Type a number, such as 12 or 0.5. “points” is not part of a number.');
    await input.fill('1,000');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. 1,000 is too high.');
    assert.ok(await q.getByRole('button', { name: 'Try again' }).isVisible());
    await input.fill('8');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Not quite. 8 is too low.');
    await input.fill('0.8k');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
    assert.equal(await text(q.locator('.q-explanation')), 'Explanation 2,000 × 2 × 0.8 ÷ 4 = 800.');
    assert.equal((await stored(page)).questions['fx-number'].attempts, 3, 'the unreadable answers were not counted');
  });
});

test('checking with nothing chosen asks for an answer and records nothing', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-single');
    await check(q);
    assert.equal(await text(q.locator('.q-verdict')), 'Choose an answer first.');
    assert.equal(await stored(page), null);
  });
});

test('typed answers are read in the browser exactly as in src/quiz/answer.rs (the shared table)', async () => {
  const table = JSON.parse(readFileSync(join(FIXTURE, 'normalise-cases.json'), 'utf8'));
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const got = await page.evaluate((t) => {
      const { normalise, parseNumber } = window.learnQuiz;
      return {
        cases: t.cases.map((c) => normalise(c.input)),
        same: t.same.map((group) => new Set(group.map(normalise)).size),
        different: t.different.map(([a, b]) => normalise(a) !== normalise(b)),
        numbers: t.numbers.map((c) => parseNumber(c.input)),
      };
    }, table);
    assert.deepEqual(got.cases, table.cases.map((c) => c.expected));
    assert.deepEqual(got.same, table.same.map(() => 1), 'each group of `same` is one answer');
    assert.deepEqual(got.different, table.different.map(() => true), 'each pair of `different` stays two answers');
    assert.deepEqual(got.numbers, table.numbers.map((c) => ('value' in c ? c.value : c.refused)));
  });
});

test('time spent on a question is recorded', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const q = question(page, 'fx-text');
    await q.getByLabel('Your answer', { exact: true }).focus();
    await page.waitForTimeout(400);
    await q.getByLabel('Your answer', { exact: true }).fill('rice');
    await check(q);
    const ms = (await stored(page)).questions['fx-text'].ms;
    assert.ok(ms >= 350 && ms < 60000, `ms = ${ms}`);
  });
});

test('answers and verdicts survive a reload', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson);
    const single = question(page, 'fx-single');
    await single.getByLabel('Confidence').check();
    await check(single);
    const number = question(page, 'fx-number');
    await number.getByLabel('Your answer (a number)').fill('12');
    await check(number);

    await page.reload();
    assert.equal(await single.getByLabel('Confidence').isChecked(), true);
    assert.equal(await text(single.locator('.q-verdict')), 'Correct last time (1 attempt).');
    assert.equal(await text(single.locator('.choice.is-right')), 'Confidence Right');
    assert.equal(await number.getByLabel('Your answer (a number)').inputValue(), '12');
    assert.equal(await text(number.locator('.q-verdict')), 'Not right last time (1 attempt). Try again.');
    assert.ok(await number.getByRole('button', { name: 'Try again' }).isVisible());
    assert.equal(await text(question(page, 'fx-text').locator('.q-verdict')), '', 'unanswered questions stay blank');

    await number.getByLabel('Your answer (a number)').fill('800');
    await check(number);
    assert.equal(await text(number.locator('.q-verdict')), 'Correct.');
    assert.equal((await stored(page)).questions['fx-number'].attempts, 2);
  });
});

test('progress survives an edit of the page while the question ids stay', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'learn-edit-')), 'site');
  cpSync(FIXTURE, root, { recursive: true });
  const out = join(mkdtempSync(join(tmpdir(), 'learn-edit-out-')), 'public');
  const build = () => execFileSync(LEARN, ['build', '--root', root, '--output', out, '--base-url', '/'], { stdio: 'pipe' });
  build();
  const local = await serveStatic(out, '/');
  try {
    await withPage({}, async (page) => {
      await page.goto(local.url + 'basics/all-types/');
      await question(page, 'fx-text').getByLabel('Your answer', { exact: true }).fill('rice');
      await check(question(page, 'fx-text'));

      // The author rewords the prompt and adds a question in front of it.
      const file = join(root, 'content', '01-basics', '01-all-types.md');
      const source = readFileSync(file, 'utf8')
        .replace('prompt: Name the framework that divides by effort.', 'prompt: Which scoring framework divides by effort?')
        .replace('quiz:\n', 'quiz:\n  - id: fx-new\n    type: truefalse\n    prompt: A new question.\n    answer: true\n');
      writeFileSync(file, source);
      build();

      await page.reload();
      const q = question(page, 'fx-text');
      assert.match(await q.locator('legend').textContent(), /^Question 5 Which scoring framework divides by effort\?$/);
      assert.equal(await text(q.locator('.q-verdict')), 'Correct last time (1 attempt).');
      assert.equal(await text(question(page, 'fx-new').locator('.q-verdict')), '');
    });
  } finally {
    await local.close();
  }
});

test('without JavaScript every question reads well and its answer is in a <details>', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto(lesson);
    assert.equal(await page.locator('form.question').count(), 5);
    for (const id of ['fx-single', 'fx-multiple', 'fx-truefalse', 'fx-text', 'fx-number']) {
      const q = question(page, id);
      assert.equal(await q.locator('fieldset > legend').count(), 1, `${id} has a legend`);
      assert.equal(await q.getByRole('button', { name: 'Check' }).isVisible(), false, `${id}: no Check button that cannot work`);
      assert.equal(await q.locator('.q-feedback').isVisible(), false);
      assert.equal(await q.locator('details.q-answer').getAttribute('open'), null, 'answers start closed');
      for (const input of await q.locator('fieldset input').all()) {
        const label = page.locator(`label[for="${await input.getAttribute('id')}"]`);
        assert.equal(await label.count(), 1, `${id}: every input has a label`);
      }
    }
    assert.ok(await page.getByText('open Show the answer to compare').isVisible());
    assert.equal(await page.getByText('then press Check').isVisible(), false);

    const single = question(page, 'fx-single');
    await single.getByText('Show the answer').click();
    assert.equal(await text(single.locator('details.q-answer')),
      'Show the answer Answer: Confidence Right: Confidence — Right: how sure you are of the estimates. ' +
      'Wrong: Cost — No: cost is part of effort. Wrong: Customers RICE is Reach, Impact, Confidence, Effort.');
    const answers = [];
    for (const id of ['fx-truefalse', 'fx-text', 'fx-number']) {
      await question(page, id).getByText('Show the answer').click();
      answers.push(await text(question(page, id).locator('details.q-answer p').first()));
    }
    assert.deepEqual(answers, ['Answer: False', 'Answer: RICE / rice score', 'Answer: 800']);
    await question(page, 'fx-number').getByText('Hint').click();
    assert.ok(await page.getByText('Multiply the first three, divide by effort.').isVisible());
  });
});

test('with answers_without_js = false the answer stays hidden until the learner has tried', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'learn-nojs-answers-')), 'site');
  cpSync(FIXTURE, root, { recursive: true });
  writeFileSync(join(root, 'site.toml'), readFileSync(join(root, 'site.toml'), 'utf8') + '\n[quiz]\nanswers_without_js = false\n');
  const local = await serveStatic(buildSite(root, { baseUrl: '/' }), '/');
  try {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(local.url + 'basics/all-types/');
      assert.equal(await page.locator('details.q-answer:visible').count(), 0);
      assert.ok(await page.getByText('Checking answers needs JavaScript').isVisible());
      assert.ok(await question(page, 'fx-single').getByLabel('Confidence').isVisible(), 'the questions themselves still show');
    });
    await withPage({}, async (page) => {
      await page.goto(local.url + 'basics/all-types/');
      const q = question(page, 'fx-single');
      assert.equal(await q.locator('details.q-answer').isVisible(), false);
      await check(q);
      assert.equal(await q.locator('details.q-answer').isVisible(), false, 'an empty answer is not a try');
      await q.getByLabel('Cost').check();
      await check(q);
      assert.ok(await q.locator('details.q-answer').isVisible());
      await page.reload();
      assert.ok(await q.locator('details.q-answer').isVisible(), 'still shown for a question tried before');
      assert.equal(await question(page, 'fx-text').locator('details.q-answer').isVisible(), false);
    });
  } finally {
    await local.close();
  }
});

test('a quiz can be done with the keyboard alone', async () => {
  await withPage({}, async (page) => {
    await page.goto(lesson + '#quiz');
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return e.id || (e.tagName === 'SUMMARY' ? `summary:${e.textContent}` : e.className || e.tagName);
    });
    const press = async (key, expect) => {
      await page.keyboard.press(key);
      if (expect) assert.equal(await focused(), expect, `after ${key}`);
    };
    // Options are shown in a random order: the keys follow what is on screen.
    const shown = (id) => page.evaluate((q) => [...document.querySelectorAll(`#q-${q} .choice input`)].map((i) => i.id), id);
    // Question 1, single: pick a wrong option with the arrow keys, check with Enter on the button.
    const order = await shown('fx-single');
    await press('Tab', order[0]);
    await press('ArrowDown', order[1]);
    if (order[1] === 'fx-single-c0') await press('ArrowDown', order[2]);
    await press('Tab', 'summary:Hint');
    await press('Enter');
    assert.ok(await page.getByText('Think about uncertainty.').isVisible());
    await press('Tab', 'check');
    await press('Enter');
    assert.equal(await text(question(page, 'fx-single').locator('.q-verdict')), 'Not quite.');
    await press('Tab', 'retry secondary');
    await page.keyboard.press('Enter');
    const again = await shown('fx-single');
    assert.equal(await focused(), again[0], 'Try again focuses the first option shown');
    const right = again.indexOf('fx-single-c0');
    if (right === 0) await press('Space');
    for (let i = 1; i <= right; i++) await press('ArrowDown', again[i]);
    await press('Tab', 'summary:Hint');
    await press('Tab', 'check');
    await press('Space');
    assert.equal(await text(question(page, 'fx-single').locator('.q-verdict')), 'Correct.');
    await press('Tab', 'summary:Show the answer');
    // Question 2, multiple: Space toggles each box.
    for (const id of await shown('fx-multiple')) {
      await press('Tab', id);
      if (id !== 'fx-multiple-c2') await press('Space');
    }
    await press('Tab', 'check');
    await press('Enter');
    assert.equal(await text(question(page, 'fx-multiple').locator('.q-verdict')), 'Correct.');
    await press('Tab', 'summary:Show the answer');
    // Question 3, true or false.
    await press('Tab', 'fx-truefalse-true');
    await press('ArrowDown', 'fx-truefalse-false');
    await press('Tab', 'check');
    await press('Enter');
    assert.equal(await text(question(page, 'fx-truefalse').locator('.q-verdict')), 'Correct.');
    await press('Tab', 'summary:Show the answer');
    // Questions 4 and 5: type, then Enter in the field checks.
    await press('Tab', 'fx-text-input');
    await page.keyboard.type('rice');
    await press('Enter', 'fx-text-input');
    assert.equal(await text(question(page, 'fx-text').locator('.q-verdict')), 'Correct.');
    await press('Tab', 'check');
    await press('Tab', 'summary:Show the answer');
    await press('Tab', 'fx-number-input');
    await page.keyboard.type('800');
    await press('Enter');
    assert.equal(await text(question(page, 'fx-number').locator('.q-verdict')), 'Correct.');
    const data = await stored(page);
    assert.deepEqual(Object.keys(data.questions).sort(), ['fx-multiple', 'fx-number', 'fx-single', 'fx-text', 'fx-truefalse']);
    assert.ok(Object.values(data.questions).every((r) => r.correct));
  });
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violations on a lesson with answered questions (${colorScheme})`, async () => {
    await withPage({ colorScheme }, async (page) => {
      await page.goto(lesson);
      const single = question(page, 'fx-single');
      await single.getByLabel('Cost').check();
      await check(single);
      const multiple = question(page, 'fx-multiple');
      for (const c of ['Reach', 'Impact', 'Effort']) await multiple.getByLabel(c).check();
      await check(multiple);
      await question(page, 'fx-text').getByLabel('Your answer', { exact: true }).fill('!');
      await check(question(page, 'fx-text'));
      await question(page, 'fx-number').getByLabel('Your answer (a number)').fill('9');
      await check(question(page, 'fx-number'));
      await single.getByText('Hint').click();
      await single.getByText('Show the answer').click();
      await page.locator('.mark-done').click();
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
      assert.deepEqual(await axe(page), []);
    });
  });
}

/** Records every layout shift not caused by input, with whether it moved anything inside <main>. */
function recordShifts(page) {
  return page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        const nodes = e.sources.map((s) => s.node).filter(Boolean);
        window.__shifts.push({ value: e.value, inMain: nodes.some((n) => n.closest && n.closest('main')),
          nodes: nodes.map((n) => `${n.nodeName}.${n.className}`) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 300))));
const shiftsInMain = (page) => page.evaluate(() => window.__shifts.filter((s) => s.inMain));

test('the quiz does not move the page: not on load, not with restored answers, not above the feedback', async () => {
  await withPage({}, async (page) => {
    await recordShifts(page);
    await page.goto(lesson);
    await settle(page);
    assert.deepEqual(await shiftsInMain(page), [], 'fresh load');

    const q = question(page, 'fx-single');
    await q.scrollIntoViewIfNeeded();
    const boxes = () => Promise.all([q.locator('legend'), q.locator('.choices'), q.getByRole('button', { name: 'Check' })].map((l) => l.boundingBox()));
    const before = await boxes();
    const scroll = await page.evaluate(() => window.scrollY);
    await q.getByLabel('Cost').check();
    await check(q);
    assert.deepEqual(await boxes(), before, 'what is above the feedback keeps its place');
    assert.equal(await page.evaluate(() => window.scrollY), scroll);

    // With saved answers and "done" restored on load, still nothing moves.
    await question(page, 'fx-number').getByLabel('Your answer (a number)').fill('3');
    await check(question(page, 'fx-number'));
    await page.locator('.mark-done').click();
    await page.reload();
    await settle(page);
    assert.equal(await text(q.locator('.q-verdict')), 'Not right last time (1 attempt). Try again.');
    assert.deepEqual(await shiftsInMain(page), [], 'load with restored answers');
  });
});

// The issue asks for CLS 0 on a quiz page: nothing on the page moves while it
// loads, including the header when site.js shows the dark-mode toggle (its
// space is reserved by style.css).
test('a lesson page has no layout shift at all on load', async () => {
  await withPage({}, async (page) => {
    await recordShifts(page);
    await page.goto(lesson);
    await settle(page);
    assert.deepEqual(await page.evaluate(() => window.__shifts), []);
  });
});

test('quizzes make no requests beyond the site\'s own files', async () => {
  await withPage({}, async (page) => {
    const requests = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await page.goto(lesson);
    const q = question(page, 'fx-single');
    await q.getByLabel('Confidence').check();
    await check(q);
    await page.locator('.mark-done').click();
    await page.waitForTimeout(200);
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((r) => !r.startsWith(`GET ${origin}/course/`));
    assert.deepEqual(foreign, []);
  });
});

// Shuffled choices, on a site of their own (tests/fixtures/browser-shuffle):
// four choice questions of five options that move, two lists pinned with
// `shuffle: false` (an ordered scale, "both of the above"), and a true/false.
const SHUFFLE = join(REPO, 'tests', 'fixtures', 'browser-shuffle');
const WRITTEN = {
  'sh-metric': ['Retention', 'Reach', 'Conversion', 'Average order value', 'Bounce rate'],
  'sh-rice': ['Reach', 'Impact', 'Revenue', 'Effort', 'Margin'],
  'sh-ceremony': ['Sprint review', 'Sprint retrospective', 'Sprint planning', 'Daily scrum', 'Backlog refinement'],
  'sh-owner': ['The scrum master', 'The developers', 'The product owner', 'The stakeholders', 'The designer'],
  'sh-scale': ['Never', 'Rarely', 'Monthly', 'Weekly', 'Hourly'],
  'sh-both': ['Better onboarding', 'Fewer failed payments', 'Both of the above'],
  'sh-truefalse': ['True', 'False'],
};
const MOVING = ['sh-metric', 'sh-rice', 'sh-ceremony', 'sh-owner'];
const PINNED = ['sh-scale', 'sh-both', 'sh-truefalse'];

/** Serves the shuffle fixture, with `extraToml` added to its site.toml; returns the lesson's URL and a close(). */
async function shuffleSite(extraToml = '') {
  const root = join(mkdtempSync(join(tmpdir(), 'learn-shuffle-')), 'site');
  cpSync(SHUFFLE, root, { recursive: true });
  writeFileSync(join(root, 'site.toml'), readFileSync(join(root, 'site.toml'), 'utf8') + extraToml);
  const local = await serveStatic(buildSite(root, { baseUrl: '/' }), '/');
  return { lesson: local.url + 'orders/choices/', close: local.close };
}

/**
 * Each question's options as the learner sees them, top to bottom, and what
 * must hold whatever the order: every input keeps its written index as its
 * value and id, and its label stays bound to it inside the same option.
 */
function shownOrders(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('form.question')].map((form) => {
    const options = [...form.querySelectorAll('.choice')].map((li) => {
      const input = li.querySelector('input');
      const label = li.querySelector(`label[for="${input.id}"]`);
      const index = li.dataset.index;
      const bound = !!label && input.value === index && input.id === `${form.dataset.id}-${/^\d+$/.test(index) ? 'c' : ''}${index}`;
      return { text: label ? label.textContent.trim() : null, bound };
    });
    const answer = [...form.querySelectorAll('.answer-choices .answer-text')].map((e) => e.textContent.trim());
    return [form.dataset.id, { order: options.map((o) => o.text), bound: options.every((o) => o.bound), answer,
      shuffle: form.hasAttribute('data-shuffle') }];
  })));
}

const sorted = (list) => [...list].sort();

test('shuffle: without JavaScript, and in the answer, every list keeps its written order', async () => {
  const site = await shuffleSite();
  try {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(site.lesson);
      const shown = await shownOrders(page);
      for (const [id, written] of Object.entries(WRITTEN)) {
        assert.deepEqual(shown[id].order, written, `${id} reads in its written order`);
        assert.equal(shown[id].shuffle, MOVING.includes(id), `${id}: data-shuffle only on lists that may move`);
      }
    });
  } finally {
    await site.close();
  }
});

test('shuffle: two fresh learners see the options in different orders; pinned lists never move', async () => {
  const site = await shuffleSite();
  try {
    const seen = [];
    // Four lists of five options: two learners get the same orders with a
    // chance of 1 in 120⁴; a third learner is asked only if they did.
    for (let learner = 0; learner < 3; learner++) {
      await withPage({}, async (page) => {
        await page.goto(site.lesson);
        const shown = await shownOrders(page);
        for (const [id, written] of Object.entries(WRITTEN)) {
          assert.ok(shown[id].bound, `${id}: each label stays bound to its input, which keeps its written index`);
          assert.deepEqual(shown[id].answer, written.length > 2 ? written : [], `${id}: the answer lists the options as written`);
          if (PINNED.includes(id)) assert.deepEqual(shown[id].order, written, `${id} is pinned`);
          else assert.deepEqual(sorted(shown[id].order), sorted(written), `${id} shows every option once`);
        }
        seen.push(MOVING.map((id) => shown[id].order.join(' | ')));
      });
      if (seen.length >= 2 && seen.slice(1).some((s) => s.join() !== seen[0].join())) break;
    }
    assert.ok(seen.slice(1).some((s) => s.join() !== seen[0].join()), `fresh learners saw the same orders: ${seen.join('\n')}`);
    assert.ok(seen.some((s) => MOVING.some((id, i) => s[i] !== WRITTEN[id].join(' | '))), 'some list left its written order');
  } finally {
    await site.close();
  }
});

test('shuffle: the right option is judged right wherever it is shown, and Try again shows a new order', async () => {
  const site = await shuffleSite();
  try {
    await withPage({}, async (page) => {
      await page.goto(site.lesson);
      const q = question(page, 'sh-metric');
      const before = (await shownOrders(page))['sh-metric'].order;
      let changed = false;
      // Each attempt is a new order (1 in 120 that it repeats): a few wrong tries must show one.
      for (let attempt = 0; attempt < 5 && !changed; attempt++) {
        await q.getByLabel('Reach', { exact: true }).check();
        await check(q);
        assert.equal(await text(q.locator('.q-verdict')), 'Not quite.');
        assert.equal(await text(q.locator('.choice.is-wrong')), 'Reach Wrong');
        await q.getByRole('button', { name: 'Try again' }).click();
        const now = await shownOrders(page);
        assert.ok(now['sh-metric'].bound);
        assert.equal(await page.evaluate(() => document.activeElement.id), await q.locator('.choice input').first().getAttribute('id'),
          'focus goes to the first option shown');
        changed = now['sh-metric'].order.join() !== before.join();
      }
      assert.ok(changed, 'Try again shows the options in a new order');
      await q.getByLabel('Retention').check();
      await check(q);
      assert.equal(await text(q.locator('.q-verdict')), 'Correct.');
      assert.equal(await text(q.locator('.choice.is-right')), 'Retention Right');
      assert.match(await text(q.locator('.q-more')), /^Right: Retention — Yes: the share who return\./);

      const rice = question(page, 'sh-rice');
      for (const c of ['Effort', 'Reach', 'Impact']) await rice.getByLabel(c).check();
      await check(rice);
      assert.equal(await text(rice.locator('.q-verdict')), 'Correct.');
      assert.deepEqual(sorted(await rice.locator('.choice.is-right label').allTextContents()), ['Effort', 'Impact', 'Reach']);
      assert.equal(await text(rice.locator('.q-choice-feedback')), 'Right: Reach Right: Impact Right: Effort', 'feedback in written order');

      const data = await page.evaluate(() => JSON.parse(localStorage.getItem('learn:v1:/')));
      assert.deepEqual(data.questions['sh-metric'].answer, [0], 'answers are stored by written index, not by place on screen');
      assert.deepEqual(data.questions['sh-rice'].answer, [0, 1, 3]);
    });
  } finally {
    await site.close();
  }
});

test('shuffle: progress survives a new order and a reload, and still marks the chosen options', async () => {
  const site = await shuffleSite();
  try {
    await withPage({}, async (page) => {
      await page.goto(site.lesson);
      const rice = question(page, 'sh-rice');
      for (const c of ['Reach', 'Revenue']) await rice.getByLabel(c).check();
      await check(rice);
      await rice.getByRole('button', { name: 'Try again' }).click();
      for (const c of ['Impact', 'Effort', 'Reach']) await rice.getByLabel(c).check();
      await check(rice);
      const owner = question(page, 'sh-owner');
      await owner.getByLabel('The designer').check();
      await check(owner);
      const scale = question(page, 'sh-scale');
      await scale.getByLabel('Weekly').check();
      await check(scale);

      for (let load = 0; load < 2; load++) {
        await page.reload();
        const shown = await shownOrders(page);
        assert.deepEqual(shown['sh-scale'].order, WRITTEN['sh-scale']);
        assert.equal(await text(rice.locator('.q-verdict')), 'Correct last time (2 attempts).');
        assert.deepEqual(sorted(await rice.locator('.choice.is-right label').allTextContents()), ['Effort', 'Impact', 'Reach']);
        assert.deepEqual(sorted(await rice.locator('input:checked + label').allTextContents()), ['Effort', 'Impact', 'Reach']);
        assert.equal(await text(owner.locator('.q-verdict')), 'Not right last time (1 attempt). Try again.');
        assert.equal(await text(owner.locator('.choice.is-wrong')), 'The designer Wrong');
        assert.equal(await owner.getByLabel('The designer').isChecked(), true);
        assert.equal(await text(scale.locator('.choice.is-right')), 'Weekly Right');
      }
      await owner.getByRole('button', { name: 'Try again' }).click();
      await owner.getByLabel('The product owner').check();
      await check(owner);
      const data = await page.evaluate(() => JSON.parse(localStorage.getItem('learn:v1:/')));
      assert.deepEqual([data.questions['sh-owner'].attempts, data.questions['sh-owner'].correct, data.questions['sh-owner'].answer], [2, true, [2]]);
      assert.deepEqual(data.questions['sh-rice'].answer, [0, 1, 3]);
      assert.deepEqual(data.questions['sh-scale'].answer, [3]);
    });
  } finally {
    await site.close();
  }
});

test('shuffle: `[quiz] shuffle = false` keeps every list in its written order', async () => {
  const site = await shuffleSite('\n[quiz]\nshuffle = false\n');
  try {
    await withPage({}, async (page) => {
      await page.goto(site.lesson);
      const shown = await shownOrders(page);
      for (const [id, written] of Object.entries(WRITTEN)) {
        assert.deepEqual(shown[id].order, written, `${id} keeps its written order`);
        assert.equal(shown[id].shuffle, false);
      }
      const q = question(page, 'sh-metric');
      await q.getByLabel('Reach', { exact: true }).check();
      await check(q);
      await q.getByRole('button', { name: 'Try again' }).click();
      assert.deepEqual((await shownOrders(page))['sh-metric'].order, WRITTEN['sh-metric'], 'Try again does not move them either');
    });
  } finally {
    await site.close();
  }
});
