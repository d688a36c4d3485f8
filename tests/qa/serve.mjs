// A static server that behaves like GitHub Pages serving a project site, so the
// quality gates see the site the way learners will:
//
// * the site lives under a base path (`/curriculum/`); anything outside it is a
//   plain 404, so a root-relative link (`/assets/x.css`) breaks here as it would there;
// * `/base` and `/dir` redirect (301) to `/base/` and `/dir/`; `/dir/` serves
//   `dir/index.html`; `/page` serves `page.html` when it exists; no listings;
// * a missing file gets status 404 with the site's `404.html` as the body;
// * text is gzipped when the client accepts it and cached for ten minutes.
//
// Binds 127.0.0.1 only and refuses `..` (encoded or not) and symlinks that leave the site.
//
//   node tests/qa/serve.mjs SITE_DIR [BASE=/] [--port N]   (prints the root URL)
import { createServer } from 'node:http';
import { readFile, stat, realpath } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif',
  '.ico': 'image/x-icon', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2', '.wasm': 'application/wasm', '.pdf': 'application/pdf',
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|javascript)|image\/svg)/;

/** Normalises a base path to `/x/y/` form (`/` stays `/`). */
export function normaliseBase(base = '/') {
  const t = base.replace(/^\/+|\/+$/g, '');
  return t ? `/${t}/` : '/';
}

async function fileInfo(p) {
  try { return await stat(p); } catch { return null; }
}

/**
 * Serves `siteDir` under `base` on a free loopback port.
 * Returns { url (root URL, ends with the base path), origin, requests, close() }.
 */
export async function startServer(siteDir, base = '/', { port = 0 } = {}) {
  const root = await realpath(siteDir);
  base = normaliseBase(base);
  const requests = [];
  const notFoundPage = path.join(root, '404.html');

  const send = (req, res, status, type, body, headers = {}) => {
    const h = { 'Content-Type': type, 'Cache-Control': 'max-age=600', ...headers };
    if (COMPRESSIBLE.test(type) && body.length > 256 && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      body = gzipSync(body, { level: 6 });
      h['Content-Encoding'] = 'gzip';
      h.Vary = 'Accept-Encoding';
    }
    h['Content-Length'] = body.length;
    res.writeHead(status, h);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const plain404 = (req, res) =>
    send(req, res, 404, TYPES['.html'], Buffer.from('<!DOCTYPE html><html lang="en"><title>404</title><h1>404 Not Found</h1></html>'));
  const site404 = async (req, res) => {
    const body = await readFile(notFoundPage).catch(() => null);
    if (!body) return plain404(req, res);
    return send(req, res, 404, TYPES['.html'], body);
  };
  const redirect = (req, res, location) => {
    res.writeHead(301, { Location: location, 'Content-Length': 0 });
    res.end();
  };

  const handle = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 });
      return res.end();
    }
    const url = new URL(req.url, 'http://localhost');
    requests.push(url.pathname + url.search);
    let pathname;
    try { pathname = decodeURIComponent(url.pathname); } catch { return plain404(req, res); }
    if (pathname + '/' === base) return redirect(req, res, base + url.search);
    if (!pathname.startsWith(base) || pathname.includes('\0')) return plain404(req, res);
    const rel = pathname.slice(base.length);
    if (rel.split('/').includes('..') || rel.includes('\\')) return plain404(req, res);
    let file = path.join(root, rel);
    // Refuse symlinks that lead out of the site.
    const real = await realpath(file).catch(() => null);
    if (real && real !== root && !real.startsWith(root + path.sep)) return plain404(req, res);
    let info = await fileInfo(file);
    if (info && info.isDirectory()) {
      if (!pathname.endsWith('/')) return redirect(req, res, url.pathname + '/' + url.search);
      file = path.join(file, 'index.html');
      info = await fileInfo(file);
    } else if (!info && !pathname.endsWith('/')) {
      const html = await fileInfo(file + '.html');
      if (html && html.isFile()) { file += '.html'; info = html; }
    }
    if (!info || !info.isFile()) return site404(req, res);
    const body = await readFile(file);
    return send(req, res, 200, TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream', body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: origin + base,
    origin,
    base,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args.splice(portAt, 2)[1]) : 0;
  const [site, base = '/'] = args;
  if (!site) { console.error('usage: node tests/qa/serve.mjs SITE_DIR [BASE=/] [--port N]'); process.exit(2); }
  const srv = await startServer(site, base, { port });
  console.log(srv.url);
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
