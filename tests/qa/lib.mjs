// Helpers shared by the quality gates: the pages of a built site, Debian's
// chromium with the flags this machine needs, and the one-line summaries.
import { mkdtempSync, readdirSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROME = process.env.CHROMIUM || '/usr/bin/chromium';
/** Offline-safe flags: no background traffic (this machine refuses it), no GPU, no sandbox as root. */
export const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions'];

/** HTML pages of a built site as URL paths relative to its root: `''`, `faq/`, `404.html`. */
export function sitePages(siteDir) {
  const out = [];
  const walk = (dir, rel) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else if (name.endsWith('.html')) out.push(name === 'index.html' ? rel : rel + name);
    }
  };
  walk(path.resolve(siteDir), '');
  return out;
}

/** A fresh scratch folder under the system temp dir; removed by the caller. */
export function scratch(prefix) {
  const base = path.join(tmpdir(), 'learn-qa');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}

/** Launches chromium (playwright-core, no browser download) with a fresh profile. */
export async function launchBrowser(options = {}) {
  const { chromium } = await import('playwright-core');
  const profile = scratch('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME, headless: true, args: CHROME_FLAGS, ...options,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** `usage: ...` and exit 2 unless a site folder is given. */
export function siteArgs(usage) {
  const [site, base = '/', ...rest] = process.argv.slice(2);
  if (!site || !statSync(site, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { site: path.resolve(site), base, rest };
}

export const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1);
