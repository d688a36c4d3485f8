// The bundled curriculum opens in Chromium under a sub-path with no console
// errors, and the home page links to every area.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveStatic, launch } from './harness.mjs';

test('curriculum home loads under a sub-path and lists its seven areas', async () => {
  const site = buildSite(undefined, { baseUrl: 'https://example.org/curriculum/' });
  const server = await serveStatic(site, '/curriculum/');
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    assert.match(await page.title(), /Study Guide/);
    const areas = await page.locator('.cards > li h3 a').count();
    assert.equal(areas, 7);
    await page.locator('.cards > li h3 a').first().click();
    await page.waitForURL(/product-strategy\/$/);
    assert.equal(await page.locator('h1').textContent(), 'Product strategy alignment');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
