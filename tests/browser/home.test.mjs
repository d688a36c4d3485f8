// The learner's first screen on a phone (390 × 844), on the quiz fixture
// served under a sub-path: "Start here" above the fold for a new learner,
// "Continue: <next unfinished lesson>" for a returning one, in the same space
// (no layout shift), the areas right after and the introduction last; and a
// site navigation that hides nothing off-screen without a sign (the
// curriculum's, which is wider than a phone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serveStatic, launch, axe, REPO, withPage } from './harness.mjs';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'browser-quiz');
const KEY = 'learn:v1:/course/';
const PHONE = { viewport: { width: 390, height: 844 } };
let fixture;
let curriculum;

before(async () => {
  fixture = await serveStatic(buildSite(FIXTURE, { baseUrl: 'https://example.org/course/' }), '/course/');
  curriculum = await serveStatic(buildSite(REPO, { baseUrl: 'https://example.org/curriculum/' }), '/curriculum/');
});
after(async () => {
  await fixture.close();
  await curriculum.close();
});

/** The page's cumulative layout shift so far, as Chromium measures it. */
function layoutShift(page) {
  return page.evaluate(() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  }));
}

/** The box of what the home page says to do next, which must be whole above the fold. */
async function nextStep(page, name) {
  const link = page.getByRole('link', { name, exact: true });
  await link.waitFor();
  const box = await link.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, `"${name}" is above the fold: ${JSON.stringify(box)}`);
  return box;
}

const seed = (page, lessons, questions = {}) =>
  page.evaluate(([k, data]) => localStorage.setItem(k, JSON.stringify(data)), [KEY, { version: 1, questions, lessons }]);

test('a new learner sees Start here above the fold, then the areas, then the introduction', async () => {
  await withPage(PHONE, async (page) => {
    await page.goto(fixture.url);
    const box = await nextStep(page, 'Start here: All question types');
    assert.equal(await page.getByRole('link', { name: 'Start here: All question types' }).getAttribute('href'), './basics/all-types/');
    const order = await page.evaluate(() => {
      const at = (sel) => [...document.querySelectorAll('main *')].indexOf(document.querySelector(sel));
      return [at('#home-next'), at('#areas'), at('.cards'), at('#home-introduction'), at('main .prose')];
    });
    assert.deepEqual([...order].sort((a, b) => a - b), order, `next step, areas, introduction: ${order}`);
    assert.ok(order.every((i) => i >= 0), `${order}`);
    assert.equal(await page.locator('#home-next').evaluate((s) => s.nextElementSibling.id), 'areas', 'the areas come right after');
    const areas = await page.locator('#areas').boundingBox();
    assert.ok(areas.y < 844, 'the areas start on the first screen');
    assert.equal(await page.locator('#review-count').textContent(), '', 'room for the review count, empty');
    assert.equal(await layoutShift(page), 0);
    assert.ok(box.height > 0);
  });
});

test('a returning learner sees Continue with the next unfinished lesson, in the same space', async () => {
  await withPage(PHONE, async (page) => {
    await page.goto(fixture.url);
    const start = await nextStep(page, 'Start here: All question types');
    // Marked done through the lesson page, as a learner would.
    await page.goto(fixture.url + 'basics/all-types/');
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await page.goto(fixture.url);
    const next = await nextStep(page, 'Continue: Second lesson');
    assert.equal(await page.getByRole('link', { name: 'Continue: Second lesson' }).getAttribute('href'), './more/second/');
    assert.match(await page.locator('#home-next .next-where').innerText(), /^More · \d+ min read$/);
    assert.deepEqual([next.y, next.height], [start.y, start.height], 'the same space as Start here');
    assert.equal(await layoutShift(page), 0, 'no layout shift when Continue replaces Start here');
    // A lesson worked on but not done is where to continue.
    await seed(page, { 'more/second/': { done: true, at: '2024-05-02T10:00:00.000Z' } },
      { 'fx-single': { attempts: 1, correct: true, at: '2024-05-03T10:00:00.000Z' } });
    await page.reload();
    await nextStep(page, 'Continue: All question types');
    // The last lesson of the last area done: round to the first one not done
    // (the areas' lessons are fetched as the search reaches them).
    await seed(page, { 'more/second/': { done: true, at: '2024-05-02T10:00:00.000Z' } });
    await page.reload();
    await nextStep(page, 'Continue: All question types');
    assert.equal(await page.getByRole('link', { name: 'Continue: All question types' }).getAttribute('href'), './basics/all-types/');
    // Everything done: the progress page.
    await seed(page, { 'basics/all-types/': { done: true, at: '2024-05-01T10:00:00.000Z' }, 'more/second/': { done: true, at: '2024-05-02T10:00:00.000Z' } });
    await page.reload();
    await nextStep(page, 'All lessons done: See your progress');
    assert.equal(await layoutShift(page), 0);
    // Progress reset in another tab: back to Start here.
    await page.evaluate((k) => { localStorage.removeItem(k); window.dispatchEvent(new StorageEvent('storage', { key: k })); }, KEY);
    await nextStep(page, 'Start here: All question types');
  });
});

test('without JavaScript the first screen says Start here and offers no Save button', async () => {
  await withPage({ ...PHONE, javaScriptEnabled: false }, async (page) => {
    await page.goto(fixture.url);
    await nextStep(page, 'Start here: All question types');
    assert.equal(await page.locator('#home-offline').isVisible(), false);
  });
  await withPage({ ...PHONE, javaScriptEnabled: false }, async (page) => {
    await page.goto(curriculum.url);
    for (const link of await page.locator('.site-nav a').all()) {
      const box = await link.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${await link.innerText()} is on the screen`);
    }
  });
});

test('on a phone the site navigation shows More when it overflows, and More shows every link', async () => {
  for (const colorScheme of ['light', 'dark']) {
    await withPage({ ...PHONE, colorScheme }, async (page) => {
      await page.goto(curriculum.url);
      const list = page.locator('#site-nav-list');
      const more = page.getByRole('button', { name: 'More' });
      const overflows = await list.evaluate((ul) => ul.scrollWidth > ul.clientWidth + 1);
      assert.ok(overflows, 'the curriculum has more links than a phone is wide');
      await more.waitFor();
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      assert.equal(await more.getAttribute('aria-controls'), 'site-nav-list');
      const moreBox = await more.boundingBox();
      assert.ok(moreBox.x + moreBox.width <= 390, 'More itself is on the screen');
      assert.equal(await layoutShift(page), 0);
      await more.click();
      const less = page.getByRole('button', { name: 'Less' });
      assert.equal(await less.getAttribute('aria-expanded'), 'true');
      for (const link of await page.locator('.site-nav a').all()) {
        const box = await link.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 390 - moreBox.width + 1, `${await link.innerText()} is on the screen, clear of Less`);
      }
      assert.deepEqual(await axe(page), [], `axe with the navigation open (${colorScheme})`);
      await page.getByRole('link', { name: 'Progress', exact: true }).focus();
      await page.keyboard.press('Escape');
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'nav-more', 'Escape folds it and focuses More');
    });
  }
  await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
    await page.goto(curriculum.url);
    assert.equal(await page.locator('.nav-more').isVisible(), false, 'a wide screen has room for every link');
  });
});

test('on the progress page the current link is scrolled into view', async () => {
  await withPage(PHONE, async (page) => {
    await page.goto(curriculum.url + 'progress/');
    const box = await page.locator('.site-nav a[aria-current=page]').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `Progress is on the screen: ${JSON.stringify(box)}`);
  });
});
