// A small HTML scanner for the link gate: start tags with their attributes, and
// the ids a `#fragment` can point at. It follows the HTML tokenizer closely
// enough for pages the Nu checker has passed: comments are skipped, and so is
// the text of raw-text elements (script, style, textarea, title).

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp']);

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references an attribute value may hold. */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (m, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

/** Yields { tag, attrs: Map, line } for every start tag of `html`. */
export function* startTags(html) {
  let i = 0;
  const n = html.length;
  const lineAt = (pos) => {
    let line = 1;
    for (let k = html.indexOf('\n'); k !== -1 && k < pos; k = html.indexOf('\n', k + 1)) line++;
    return line;
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) return;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const m = /^<([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(lt, lt + 64));
    if (!m) { i = lt + 1; continue; }
    const tag = m[1].toLowerCase();
    let j = lt + m[0].length;
    const attrs = new Map();
    while (j < n) {
      while (j < n && /[\s/]/.test(html[j])) j++;
      if (j >= n || html[j] === '>') break;
      let k = j;
      while (k < n && !/[\s=>/]/.test(html[k])) k++;
      const name = html.slice(j, k).toLowerCase();
      j = k;
      while (j < n && /\s/.test(html[j])) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j])) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          value = html.slice(j + 1, end === -1 ? n : end);
          j = end === -1 ? n : end + 1;
        } else {
          k = j;
          while (k < n && !/[\s>]/.test(html[k])) k++;
          value = html.slice(j, k);
          j = k;
        }
      }
      if (name && !attrs.has(name)) attrs.set(name, decodeEntities(value));
    }
    yield { tag, attrs, line: lineAt(lt) };
    i = j + 1;
    if (RAW_TEXT.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, i);
      i = close === -1 ? n : close;
    }
  }
}

/** The URLs a tag refers to, as [attribute, url] pairs. */
export function urlsOf({ tag, attrs }) {
  const out = [];
  const one = (name) => { if (attrs.has(name)) out.push([name, attrs.get(name).trim()]); };
  const set = (name) => {
    if (!attrs.has(name)) return;
    for (const part of attrs.get(name).split(',')) {
      const url = part.trim().split(/\s+/)[0];
      if (url) out.push([name, url]);
    }
  };
  switch (tag) {
    case 'a': case 'area': case 'link': case 'use': one('href'); one('xlink:href'); break;
    case 'img': case 'source': one('src'); set('srcset'); break;
    case 'script': case 'iframe': case 'audio': case 'video': case 'track': case 'embed': one('src'); one('poster'); break;
    case 'object': one('data'); break;
    case 'form': one('action'); break;
    case 'image': one('href'); one('xlink:href'); break;
    default: break;
  }
  // A `<link>` to a search engine's canonical copy is checked like any other link.
  if (attrs.has('style')) for (const u of cssUrls(attrs.get('style'))) out.push(['style', u]);
  return out;
}

/** Every `url(...)` and `@import "..."` of a stylesheet. */
export function cssUrls(css) {
  const out = [];
  const noComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of noComments.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  for (const m of noComments.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/g)) out.push(m[1] ?? m[2]);
  return out.filter((u) => u && !u.startsWith('data:'));
}

/** The ids of a page a fragment can point at: `id` on any element, `name` on `<a>`. */
export function anchorsOf(html) {
  const ids = new Set();
  for (const t of startTags(html)) {
    if (t.attrs.has('id')) ids.add(t.attrs.get('id'));
    if (t.tag === 'a' && t.attrs.has('name')) ids.add(t.attrs.get('name'));
  }
  return ids;
}
