// Search in the browser. site.js loads this file the first time the reader
// uses the search box (or at once on the search page); it then fetches the
// index built by src/search/ piece by piece: a manifest, the term chunks the
// query's words fall in, and a fragment per result on screen.
//
// The first part (fold, tokens, spelling, stem, term) is a twin of
// src/search/tokenise.rs, spelling.rs and stem.rs: change both together. The
// parity test (src/search/parity.rs) runs it under Node against the Rust code.
(function () {
  "use strict";

  // ------------------------------------------------------------------ words

  var MAX_WORD_CHARS = 40;
  var MAX_COMPOUND_PARTS = 4;
  var WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;
  var NUMERIC = /\p{N}/u;
  var ASCII_DIGIT = /^[0-9]$/;
  var APOSTROPHES = "'\u2019\u02BC";
  var HYPHENS = "-\u2010\u2011";
  var FOLD_FROM = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ";
  var FOLD_TO = "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy";
  var FOLD = { "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĳ": "ij" };
  Array.from(FOLD_FROM).forEach(function (c, i) { FOLD[c] = FOLD_TO[i]; });
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  /** Lowercases a word and folds the accents of Latin letters. */
  function fold(raw) {
    var out = "";
    for (var c of raw.toLowerCase()) out += c < "\x80" ? c : has(FOLD, c) ? FOLD[c] : c;
    return out;
  }

  function charCount(s) {
    var n = 0;
    for (var _ of s) n++; // eslint-disable-line no-unused-vars
    return n;
  }

  /**
   * The words of `text` as {start, end, word}, start and end being UTF-16
   * offsets. With `compounds`, hyphen-joined words are followed by their join.
   */
  function tokens(text, compounds) {
    var cs = [], offs = [], o = 0;
    for (var ch of text) { cs.push(ch); offs.push(o); o += ch.length; }
    var n = cs.length;
    var w = cs.map(function (c) { return WORD_CHAR.test(c); });
    var out = [], chain = [], i = 0;
    while (i < n) {
      if (!w[i]) { i++; continue; }
      var start = i, raw = "";
      while (i < n) {
        var c = cs[i];
        if (w[i]) { raw += c; i++; continue; }
        if (i < 1 || i + 1 >= n || !w[i + 1]) break;
        var prev = cs[i - 1], next = cs[i + 1];
        if (APOSTROPHES.indexOf(c) >= 0 || (c === "," && ASCII_DIGIT.test(prev) && ASCII_DIGIT.test(next))) {
          i++;
        } else if (c === "." && ASCII_DIGIT.test(prev) && ASCII_DIGIT.test(next)) {
          raw += ".";
          i++;
        } else {
          break;
        }
      }
      var word = fold(raw);
      var kept = charCount(word) <= MAX_WORD_CHARS;
      if (kept) out.push({ start: offs[start], end: i < n ? offs[i] : text.length, word: word });
      var joined = start >= 2 && HYPHENS.indexOf(cs[start - 1]) >= 0 && w[start - 2];
      if (!joined) chain = [];
      chain.push(kept ? out.length - 1 : -1);
      var continues = i + 1 < n && HYPHENS.indexOf(cs[i]) >= 0 && w[i + 1];
      if (compounds && !continues && chain.length >= 2) {
        var compound = compoundOf(chain, out);
        if (compound) out.push(compound);
      }
    }
    return out;
  }

  function compoundOf(chain, out) {
    if (chain.length > MAX_COMPOUND_PARTS || chain.indexOf(-1) >= 0) return null;
    var parts = chain.map(function (k) { return out[k]; });
    if (parts.some(function (t) { return NUMERIC.test(t.word); })) return null;
    var word = parts.map(function (t) { return t.word; }).join("");
    if (charCount(word) > MAX_WORD_CHARS) return null;
    return { start: parts[0].start, end: parts[parts.length - 1].end, word: word };
  }

  // British and American spellings made one (src/search/spelling.rs).
  var WHOLE = {
    licence: "license", licences: "licenses", licenced: "licensed", licencing: "licensing",
    defence: "defense", defences: "defenses", offence: "offense", offences: "offenses",
    pretence: "pretense", pretences: "pretenses", programme: "program", programmes: "programs",
    grey: "gray", greys: "grays", judgement: "judgment", judgements: "judgments",
    acknowledgement: "acknowledgment", acknowledgements: "acknowledgments", ageing: "aging",
    enrol: "enroll", enrols: "enrolls", enrolment: "enrollment", enrolments: "enrollments",
    fulfil: "fulfill", fulfils: "fulfills", fulfilment: "fulfillment", skilful: "skillful",
    wilful: "willful", instalment: "installment", instalments: "installments",
    jewellery: "jewelry", mould: "mold", moulds: "molds", sceptical: "skeptical",
    aluminium: "aluminum", manoeuvre: "maneuver"
  };
  function same(list) { return list.map(function (e) { return [e, e]; }); }
  var OUR_ENDINGS = same(["", "s", "ed", "ing", "er", "ers", "ite", "ites", "itism", "able", "ably", "ful", "fully", "less", "al", "ally", "hood", "hoods", "y", "ism", "ist", "ists"]);
  var IZE_ENDINGS = same(["e", "es", "ed", "ing", "er", "ers", "ation", "ations", "ational", "able"]);
  var YZE_ENDINGS = same(["e", "es", "ed", "ing", "er", "ers"]);
  var TRE_ENDINGS = same(["", "s"]);
  var RULES = [
    { from: "our", to: "or", endings: OUR_ENDINGS, min: 2, consonant: false },
    { from: "iz", to: "is", endings: IZE_ENDINGS, min: 3, consonant: true },
    { from: "yz", to: "ys", endings: YZE_ENDINGS, min: 2, consonant: false },
    { from: "tre", to: "ter", endings: TRE_ENDINGS, min: 2, consonant: false },
    { from: "bre", to: "ber", endings: TRE_ENDINGS, min: 2, consonant: false },
    { from: "tr", to: "ter", endings: [["ed", "ed"]], min: 3, consonant: false },
    { from: "ogu", to: "og", endings: [["e", ""], ["es", "s"], ["ed", "ed"], ["ing", "ing"]], min: 3, consonant: false }
  ];

  function applyRule(rule, word) {
    for (var k = 0; k < rule.endings.length; k++) {
      var ending = rule.endings[k][0];
      if (!word.endsWith(ending)) continue;
      var rest = word.slice(0, word.length - ending.length);
      if (!rest.endsWith(rule.from)) continue;
      var stemPart = rest.slice(0, rest.length - rule.from.length);
      if (stemPart.length < rule.min) continue;
      if (rule.consonant && /[aeiouy]$/.test(stemPart)) continue;
      return stemPart + rule.to + rule.endings[k][1];
    }
    return null;
  }

  /** One spelling for words English spells two ways. */
  function spelling(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    if (has(WHOLE, word)) return WHOLE[word];
    var out = word;
    RULES.forEach(function (rule) {
      var changed = applyRule(rule, out);
      if (changed !== null) out = changed;
    });
    return out;
  }

  // Snowball English (Porter2), as rust-stemmers 1.2 implements it; the
  // comments name the Snowball routines. Works on code points, like Rust.
  var stem = (function () {
    var EXCEPTION1 = {
      skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
      ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
      atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
    };
    var EXCEPTION2 = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];
    var STEP2 = {
      tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
      ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
      ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
      fulli: "ful", lessli: "less", li: ""
    };
    var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
    var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];
    var STEP1B_END = ["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
    var STEP2_KEYS = Object.keys(STEP2), STEP3_KEYS = Object.keys(STEP3);
    function isV(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
    function isVWXY(c) { return isV(c) || c === "w" || c === "x" || c === "Y"; }
    // Index just past the first non-vowel that follows a vowel, from `from`; -1 if none.
    function pastVowelThenNonVowel(w, from) {
      var i = from;
      while (i < w.length && !isV(w[i])) i++;
      if (i >= w.length) return -1;
      i++;
      while (i < w.length && isV(w[i])) i++;
      return i >= w.length ? -1 : i + 1;
    }

    return function stem(word) {
      if (has(EXCEPTION1, word)) return EXCEPTION1[word];
      var w = Array.from(word);
      if (w.length < 3) return word;
      // prelude
      if (w[0] === "'") w.shift();
      var yFound = false;
      if (w[0] === "y") { w[0] = "Y"; yFound = true; }
      for (var i = 1; i < w.length; i++) if (w[i] === "y" && isV(w[i - 1])) { w[i] = "Y"; yFound = true; }
      // mark_regions
      var p1 = w.length, p2 = w.length;
      var joined = w.join("");
      var special = ["gener", "commun", "arsen"].filter(function (p) { return joined.startsWith(p); })[0];
      var r = special ? special.length : pastVowelThenNonVowel(w, 0);
      if (r >= 0) {
        p1 = r;
        var r2 = pastVowelThenNonVowel(w, r);
        if (r2 >= 0) p2 = r2;
      }

      function endsWith(suffix) {
        var L = suffix.length, n = w.length;
        if (L > n) return false;
        for (var j = 0; j < L; j++) if (w[n - L + j] !== suffix[j]) return false;
        return true;
      }
      function longest(list) {
        var best = null;
        for (var j = 0; j < list.length; j++) {
          if ((best === null || list[j].length > best.length) && endsWith(list[j])) best = list[j];
        }
        return best;
      }
      function replace(length, by) {
        w.splice(w.length - length, length);
        for (var j = 0; j < by.length; j++) w.push(by[j]);
      }
      // A short syllable ends at `end`.
      function shortv(end) {
        if (end >= 3 && !isVWXY(w[end - 1]) && isV(w[end - 2]) && !isV(w[end - 3])) return true;
        return end === 2 && !isV(w[1]) && isV(w[0]);
      }
      function hasVowelBefore(end) {
        for (var j = 0; j < end; j++) if (isV(w[j])) return true;
        return false;
      }

      // Step_1a
      var apos = longest(["'", "'s", "'s'"]);
      if (apos) replace(apos.length, "");
      var s1a = longest(["sses", "ied", "ies", "s", "us", "ss"]);
      if (s1a === "sses") replace(4, "ss");
      else if (s1a === "ied" || s1a === "ies") replace(3, w.length - 3 > 1 ? "i" : "ie");
      else if (s1a === "s" && w.length >= 2 && hasVowelBefore(w.length - 2)) replace(1, "");

      if (EXCEPTION2.indexOf(w.join("")) < 0) {
        // Step_1b
        var s1b = longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]);
        if (s1b === "eed" || s1b === "eedly") {
          if (w.length - s1b.length >= p1) replace(s1b.length, "ee");
        } else if (s1b && hasVowelBefore(w.length - s1b.length)) {
          replace(s1b.length, "");
          var end = longest(STEP1B_END);
          if (end === "at" || end === "bl" || end === "iz") w.push("e");
          else if (end) w.pop();
          else if (w.length === p1 && shortv(w.length)) w.push("e");
        }
        // Step_1c
        var n = w.length;
        if (n >= 3 && (w[n - 1] === "y" || w[n - 1] === "Y") && !isV(w[n - 2])) w[n - 1] = "i";
        // Step_2
        var s2 = longest(STEP2_KEYS);
        if (s2 && w.length - s2.length >= p1) {
          var at2 = w.length - s2.length;
          if (s2 === "ogi") { if (w[at2 - 1] === "l") replace(3, "og"); }
          else if (s2 === "li") { if (at2 >= 1 && "cdeghkmnrt".indexOf(w[at2 - 1]) >= 0) replace(2, ""); }
          else replace(s2.length, STEP2[s2]);
        }
        // Step_3
        var s3 = longest(STEP3_KEYS);
        if (s3 && w.length - s3.length >= p1) {
          if (s3 !== "ative") replace(s3.length, STEP3[s3]);
          else if (w.length - 5 >= p2) replace(5, "");
        }
        // Step_4
        var s4 = longest(STEP4);
        if (s4 && w.length - s4.length >= p2) {
          if (s4 !== "ion") replace(s4.length, "");
          else if (w[w.length - 4] === "s" || w[w.length - 4] === "t") replace(3, "");
        }
        // Step_5
        n = w.length;
        if (w[n - 1] === "e") {
          if (n - 1 >= p2 || (n - 1 >= p1 && !shortv(n - 1))) w.pop();
        } else if (w[n - 1] === "l") {
          if (n - 1 >= p2 && w[n - 2] === "l") w.pop();
        }
      }
      // postlude
      var out = w.join("");
      return yFound ? out.replace(/Y/g, "y") : out;
    };
  })();

  /** The index term of a word from `tokens`. */
  function term(word) {
    return NUMERIC.test(word) ? word : stem(spelling(word));
  }

  var termCache = new Map();
  function termOf(word) {
    var t = termCache.get(word);
    if (t === undefined) { t = term(word); termCache.set(word, t); }
    return t;
  }

  // ------------------------------------------------------------------ index

  var FORMAT = 1;
  /** Chunks a prefix may pull in beyond the first one. */
  var MAX_PREFIX_CHUNKS = 2;
  /** Terms a word being typed may expand to. */
  var MAX_EXPANSIONS = 16;
  /** Rest-of-list files one query may fetch while the reader types. */
  var MAX_RESTS_WHILE_TYPING = 3;
  /** Letters a word being typed needs before it matches the terms it starts. */
  var MIN_PREFIX = 3;

  /** The index files under `base` (a URL ending in `search-index/`), fetched once each. */
  function Index(base) {
    this.base = base;
    this.files = new Map();
    this.chunks = new Map();
  }

  Index.prototype.json = function (path) {
    var self = this, files = this.files, got = files.get(path);
    if (!got) {
      var revalidate = path === "manifest.json" && this.stale;
      got = fetch(new URL(path, this.base).href, revalidate ? { cache: "no-cache" } : undefined).then(function (r) {
        if (!r.ok) {
          var err = new Error("cannot load the search index (" + path + ": HTTP " + r.status + ")");
          // A file the manifest names is gone: the site was rebuilt since the
          // manifest was read. Forget everything and read it again.
          if (r.status === 404 && path !== "manifest.json") { self.reset(); err.stale = true; }
          throw err;
        }
        return r.json();
      });
      got.catch(function () { if (files.get(path) === got) files.delete(path); });
      files.set(path, got);
    }
    return got;
  };

  Index.prototype.reset = function () {
    this.files = new Map();
    this.chunks = new Map();
    this.stale = true;
  };

  Index.prototype.manifest = function () {
    return this.json("manifest.json").then(function (m) {
      if (m.version !== FORMAT) throw new Error("the search index was built by another version of learn");
      return m;
    });
  };

  /** The number of the chunk `term` falls in. */
  function chunkFor(manifest, term) {
    var lo = 0, hi = manifest.chunks.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (manifest.chunks[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** Chunk `i`, decoded: its terms in order and a map from term to entry. */
  Index.prototype.chunk = function (manifest, i) {
    var got = this.chunks.get(i);
    if (!got) {
      got = this.json("c/" + manifest.chunks[i][1] + ".json").then(function (rows) {
        var list = rows.map(decodeEntry);
        return { list: list, byTerm: new Map(list.map(function (e) { return [e.term, e]; })) };
      });
      var chunks = this.chunks;
      got.catch(function () { chunks.delete(i); }); // try again on the next query
      chunks.set(i, got);
    }
    return got;
  };

  function decodeEntry(row) {
    var ids = new Array(row[3].length), at = 0;
    for (var i = 0; i < ids.length; i++) { at += row[3][i]; ids[i] = at; }
    var floor = 0;
    if (row[5]) floor = Math.min.apply(null, row[4]);
    return { term: row[0], df: row[1], scale: row[2], ids: ids, imps: row[4], rest: row[5], full: !row[5], floor: floor };
  }

  Index.prototype.lookup = function (term) {
    var self = this;
    return this.manifest().then(function (m) {
      return self.chunk(m, chunkFor(m, term)).then(function (c) { return c.byTerm.get(term) || null; });
    });
  };

  /** Entries whose term starts with `prefix`, from at most MAX_PREFIX_CHUNKS chunks. */
  Index.prototype.withPrefix = function (prefix) {
    var self = this;
    return this.manifest().then(function (m) {
      var first = chunkFor(m, prefix), last = first;
      while (last + 1 < m.chunks.length && last - first + 1 < MAX_PREFIX_CHUNKS && m.chunks[last + 1][0].startsWith(prefix)) last++;
      var loads = [];
      for (var i = first; i <= last; i++) loads.push(self.chunk(m, i));
      return Promise.all(loads).then(function (chunks) {
        var out = [];
        chunks.forEach(function (c) { c.list.forEach(function (e) { if (e.term.startsWith(prefix)) out.push(e); }); });
        return out;
      });
    });
  };

  /** Loads the rest of an entry's postings, after which it is complete. */
  Index.prototype.loadRest = function (entry) {
    if (entry.full) return Promise.resolve(entry);
    return this.json("r/" + entry.rest + ".json").then(function (rest) {
      if (entry.full) return entry;
      var at = 0, ids = entry.ids.slice(), imps = entry.imps.slice();
      for (var i = 0; i < rest[0].length; i++) { at += rest[0][i]; ids.push(at); imps.push(rest[1][i]); }
      entry.ids = ids;
      entry.imps = imps;
      entry.full = true;
      entry.floor = 0;
      return entry;
    });
  };

  /** The fragment of page `id`: title, url, area, kind, summary, sections. */
  Index.prototype.fragment = function (id) {
    var self = this;
    return this.manifest().then(function (m) {
      var block = Math.floor(id / m.block);
      return self.json("t/" + m.tables[block] + ".json").then(function (names) {
        return self.json("f/" + names[id % m.block] + ".json");
      });
    });
  };

  // ------------------------------------------------------------------ query

  var STOP_WORDS = new Set(("a an and are as at be but by can do does for from has have how i if in into is it its " +
    "me my of on or our so than that the their them then there these they this to was we what when where which " +
    "who why will with you your").split(" "));
  // Endings a reader may be part-way through typing past a term (`prioriti…`).
  var ENDINGS = ["e", "ed", "er", "ers", "es", "s", "ing", "ings", "ly", "y", "ies", "ied", "ment", "ments",
    "ness", "ity", "ities", "ise", "ised", "ises", "ising", "isation", "isations", "ation", "ations", "ational",
    "able", "ability", "ably", "ful", "fully", "ous", "ously", "ive", "ively", "al", "ally", "ic", "ical",
    "ically", "ism", "ist", "ists", "ence", "ance", "ency", "ancy", "ent", "ant", "ify", "ified", "ification"];

  /**
   * The words of a query: {word, term, prefix, required}. The last word is a
   * prefix while the reader is still typing it; common words are dropped
   * when the query has others.
   */
  function parseQuery(q) {
    var toks = tokens(q, false);
    var typing = toks.length > 0 && toks[toks.length - 1].end === q.length;
    var words = [], byTerm = new Map();
    toks.forEach(function (t, i) {
      var prefix = typing && i === toks.length - 1;
      var term = termOf(t.word);
      var known = byTerm.get(term);
      if (known) { known.prefix = known.prefix || prefix; return; }
      var w = { word: t.word, term: term, prefix: prefix, stop: STOP_WORDS.has(t.word) };
      byTerm.set(term, w);
      words.push(w);
    });
    // Two letters of a new word say little: until a third, search for the others.
    if (words.length > 1) {
      words = words.filter(function (w) { return !(w.prefix && charCount(w.word) < MIN_PREFIX); });
    }
    if (words.some(function (w) { return !w.stop; })) {
      words = words.filter(function (w) { return !w.stop || w.prefix; });
    }
    return words;
  }

  /** Spellings of a half-typed word worth a prefix search (`prioritiz` → `prioritis`). */
  function prefixVariants(typed) {
    var out = [typed, spelling(typed)];
    RULES.forEach(function (rule) {
      rule.endings.forEach(function (e) {
        for (var k = 0; k < e[0].length; k++) {
          var partial = e[0].slice(0, k);
          var changed = applyRule({ from: rule.from, to: rule.to, endings: [[partial, partial]], min: rule.min, consonant: rule.consonant }, typed);
          if (changed) out.push(changed);
        }
      });
    });
    var m = /^([a-z]{2,}o)u$/.exec(typed);
    if (m) out.push(m[1]);
    return out.filter(function (v, i) { return out.indexOf(v) === i; });
  }

  /**
   * The index entries a query word matches, each with a weight: [{entry, weight}].
   * A word being typed also matches the terms it is the start of (a term
   * equal to a spelling of what is typed counts nearly in full), and, when no
   * term starts with it, the term it runs past (`prioriti` → `priorit`).
   */
  function resolveWord(index, w) {
    var found = new Map();
    function add(entry, weight) {
      if (!entry) return;
      var had = found.get(entry.term);
      if (!had || had.weight < weight) found.set(entry.term, { entry: entry, weight: weight });
    }
    var exact = index.lookup(w.term).then(function (e) { add(e, 1); });
    var done;
    // One or two letters are a word of their own (`UX`, `PM`), not yet a prefix:
    // completing them would fetch much and mean little.
    if (!w.prefix || charCount(w.word) < MIN_PREFIX) {
      done = exact;
    } else {
      var variants = prefixVariants(w.word).concat([w.term]);
      var prefixed = Promise.all(variants.map(function (v) {
        return index.withPrefix(v).then(function (entries) {
          entries.forEach(function (e) { add(e, e.term === v ? 0.95 : Math.min(0.9, 0.5 + 0.4 * v.length / e.term.length)); });
        });
      }));
      done = Promise.all([exact, prefixed]).then(function () {
        if (found.size) return null;
        return Promise.all(variants.map(function (v) {
          return termTypedPast(index, v).then(function (e) { add(e, 0.8); });
        }));
      });
    }
    return Promise.all([done, index.manifest()]).then(function (got) {
      var pages = got[1].pages;
      var idf = function (df) { return Math.log(1 + (pages - df + 0.5) / (df + 0.5)); };
      var lists = Array.from(found.values());
      // A completion counts no more for being rare than the word itself (or,
      // when that is no term, than its most common completion): `test` must
      // not lose to a page that happens to say `testable`.
      var own = found.get(w.term), base = Infinity;
      lists.forEach(function (l) { base = Math.min(base, idf(l.entry.df)); });
      if (own) base = idf(own.entry.df);
      lists.forEach(function (l) {
        if (l !== own) l.weight *= Math.min(1, base / idf(l.entry.df));
      });
      lists.sort(function (a, b) { return b.weight - a.weight || b.entry.df - a.entry.df || (a.entry.term < b.entry.term ? -1 : 1); });
      return lists.slice(0, 1 + MAX_EXPANSIONS);
    });
  }

  /** The longest term the typed word runs past by the start of a common ending. */
  function termTypedPast(index, typed) {
    var lengths = [];
    for (var L = typed.length - 1; L >= 4; L--) {
      var tail = typed.slice(L);
      if (ENDINGS.some(function (e) { return e.startsWith(tail); })) lengths.push(L);
    }
    function next(i) {
      if (i >= lengths.length) return Promise.resolve(null);
      return index.lookup(typed.slice(0, lengths[i])).then(function (e) { return e || next(i + 1); });
    }
    return next(0);
  }

  var EPSILON = 1e-9;

  /**
   * Ranks pages for the words and their lists and returns the best `k`:
   * {top: [{id, score}], total (or null when unknown), missing: [word]}.
   * A page's score is the sum over words of its best weighted impact; pages
   * must match every word still in the query. Long posting lists arrive in
   * two tiers; the rest of a list is fetched only while a page not yet seen
   * could still beat the k-th result (the "no random access" algorithm of
   * Fagin et al.), so the top k is exact for the words' own terms and
   * usually costs one tier. Completions of a half-typed word count with
   * their best tier only, and while the reader types a query fetches at
   * most MAX_RESTS_WHILE_TYPING rest files (then shows its best so far).
   */
  function rank(index, words, listsByWord, k, exactCompletions) {
    // While the reader types, only a word's own term is worth fetching the
    // rest of a long list for: the terms a half-typed word may become count
    // with their best postings. The search page ranks completions exactly too.
    var lists = [];
    listsByWord.forEach(function (ls, wi) {
      ls.forEach(function (l) { lists.push({ w: wi, weight: l.weight, entry: l.entry, closed: !exactCompletions && l.weight < 1 }); });
    });
    // While typing, a query of many common words stops after a few long
    // lists and shows its best so far; the search page always goes on.
    var budget = exactCompletions ? Infinity : MAX_RESTS_WHILE_TYPING;
    function step() {
      var r = evaluate(words.length, lists, k, false);
      if (!r.next) return r;
      if (budget-- > 0) return index.loadRest(r.next.entry).then(step);
      return evaluate(words.length, lists, k, true);
    }
    return Promise.resolve().then(step);
  }

  /**
   * One round of `rank` over what is loaded: the top k if it is settled, else
   * the list to read next. `roughly` ranks pages by what is known of them,
   * counting a page that may still hold a word whose list is not read whole.
   */
  function evaluate(nWords, lists, k, roughly) {
    var floors = new Float64Array(nWords), open = new Array(nWords).fill(false);
    var rows = new Map();
    lists.forEach(function (l) {
      var e = l.entry, f = l.weight * e.scale;
      if (!e.full && !l.closed) {
        open[l.w] = true;
        if (f * e.floor > floors[l.w]) floors[l.w] = f * e.floor;
      }
      for (var j = 0; j < e.ids.length; j++) {
        var row = rows.get(e.ids[j]);
        if (!row) { row = new Float64Array(nWords).fill(-1); rows.set(e.ids[j], row); }
        var v = f * e.imps[j];
        if (v > row[l.w]) row[l.w] = v;
      }
    });
    var unseen = 0;
    for (var wi = 0; wi < nWords; wi++) {
      if (open[wi]) unseen += floors[wi]; else unseen = -Infinity;
    }
    var candidates = [];
    rows.forEach(function (row, id) {
      var lo = 0, hi = 0, complete = true, possible = true;
      for (var i = 0; i < nWords; i++) {
        var v = row[i];
        if (v >= 0) { lo += v; hi += Math.max(v, floors[i]); }
        else { complete = false; if (open[i]) hi += floors[i]; else possible = false; }
      }
      if (possible) candidates.push({ id: id, lo: complete || roughly ? lo : -Infinity, hi: hi });
    });
    candidates.sort(function (a, b) { return b.lo - a.lo || a.id - b.id; });
    var top = candidates.slice(0, k).filter(function (c) { return c.lo > -Infinity; });
    var threshold = top.length === k ? top[k - 1].lo : -Infinity;
    var settled = top.every(function (c) { return c.hi <= c.lo + EPSILON; });
    var rival = unseen;
    for (var c = top.length; c < candidates.length; c++) rival = Math.max(rival, candidates[c].hi);
    var anyOpen = open.some(Boolean);
    var next = null;
    if (anyOpen && !roughly && !(settled && rival <= threshold + EPSILON)) {
      lists.forEach(function (l) {
        if (l.entry.full || l.closed) return;
        var f = l.weight * l.entry.scale * l.entry.floor;
        if (!next || f > next.f) next = { entry: l.entry, f: f };
      });
    }
    // The count is known only when every list was read whole.
    var partial = anyOpen || lists.some(function (l) { return l.closed && !l.entry.full; });
    var total = partial ? null : candidates.filter(function (cd) { return cd.lo > -Infinity; }).length;
    return { top: top.map(function (cd) { return { id: cd.id, score: cd.lo }; }), total: total, next: next };
  }

  /**
   * Runs a query: {words, missing, top, total, terms}. `terms` maps each
   * matched index term to the word it stands for and its weight, for
   * highlighting. With `exactCompletions` (the search page), the terms the
   * last word may become are ranked as exactly as its own term; without (the
   * popup, as the reader types), by their best postings.
   */
  function search(index, q, k, exactCompletions, retried) {
    return searchOnce(index, q, k, exactCompletions).catch(function (err) {
      if (err.stale && !retried) return search(index, q, k, exactCompletions, true);
      throw err;
    });
  }

  function searchOnce(index, q, k, exactCompletions) {
    var words = parseQuery(q);
    if (!words.length) return Promise.resolve({ words: [], missing: [], top: [], total: 0, terms: new Map() });
    return Promise.all(words.map(function (w) { return resolveWord(index, w); })).then(function (lists) {
      var missing = [], keptWords = [], keptLists = [];
      words.forEach(function (w, i) {
        if (lists[i].length) { keptWords.push(w); keptLists.push(lists[i]); } else missing.push(w.word);
      });
      var terms = new Map();
      keptLists.forEach(function (ls, wi) {
        ls.forEach(function (l) {
          var had = terms.get(l.entry.term);
          if (!had || had.weight < l.weight) terms.set(l.entry.term, { w: wi, weight: l.weight });
        });
      });
      if (!keptWords.length) return { words: words, missing: missing, top: [], total: 0, terms: terms };
      return rank(index, keptWords, keptLists, k, exactCompletions).then(function (r) {
        return { words: keptWords, missing: missing, top: r.top, total: r.total, terms: terms };
      });
    });
  }

  // ---------------------------------------------------------------- results

  var SNIPPET_WORDS = 26;
  var MAX_SECTIONS = 3;

  /** Tokens of `text` and which of them match the query: {toks, hits: [token index], words: Set}. */
  function matchText(text, terms) {
    var toks = tokens(text, true), hits = [], words = new Set(), weight = 0;
    toks.forEach(function (t, i) {
      var m = terms.get(termOf(t.word));
      if (m) { hits.push(i); words.add(m.w); weight += m.weight; }
    });
    return { toks: toks, hits: hits, words: words, weight: weight };
  }

  /** What to show for one result page: title marks, page snippet and up to three sections. */
  function describe(frag, terms) {
    var title = matchText(frag.t, terms);
    var sections = frag.s.map(function (s, i) {
      var head = matchText(s[1], terms), body = matchText(s[2], terms);
      var covered = new Set(Array.from(head.words).concat(Array.from(body.words)));
      var score = covered.size * 100 + head.weight * 3 + Math.log(1 + body.weight);
      return { i: i, id: s[0], heading: s[1], text: s[2], kind: s[3], head: head, body: body, covered: covered.size, score: score };
    });
    var summary = frag.d ? matchText(frag.d, terms) : null;
    var intro = sections.filter(function (s) { return s.id === null; })[0];
    var lead = null;
    if (summary && summary.hits.length) lead = { text: frag.d, m: summary };
    else if (intro && intro.body.hits.length) lead = { text: intro.text, m: intro.body };
    else if (summary) lead = { text: frag.d, m: summary };
    else if (intro) lead = { text: intro.text, m: intro.body };
    var subs = sections
      .filter(function (s) { return s.id !== null && s.covered > 0; })
      .sort(function (a, b) { return b.score - a.score || a.i - b.i; })
      .slice(0, MAX_SECTIONS);
    return { frag: frag, title: title, lead: lead, subs: subs };
  }

  /** Text with the matched words in <mark>, cut to a window around the best matches. */
  function highlighted(text, m, limit) {
    var out = document.createDocumentFragment();
    var toks = m.toks;
    var from = 0, to = toks.length;
    if (limit && toks.length > limit) {
      from = bestWindow(m, limit);
      to = Math.min(toks.length, from + limit);
    }
    var start = from > 0 ? toks[from].start : 0;
    var end = to < toks.length ? toks[to - 1].end : text.length;
    if (from > 0) out.appendChild(document.createTextNode("… "));
    var at = start;
    m.hits.forEach(function (h) {
      if (h < from || h >= to) return;
      var t = toks[h];
      if (t.start < at) return; // a compound overlapping a part already marked
      if (t.start > at) out.appendChild(document.createTextNode(text.slice(at, t.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(t.start, t.end);
      out.appendChild(mark);
      at = t.end;
    });
    if (end > at) out.appendChild(document.createTextNode(text.slice(at, end)));
    if (to < toks.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  /** The first token of the earliest window of `size` tokens holding the most distinct matched words. */
  function bestWindow(m, size) {
    var best = 0, bestScore = -1;
    m.hits.forEach(function (h) {
      var from = h < size * 0.6 ? 0 : h - 4, seen = new Set();
      m.hits.forEach(function (g) { if (g >= from && g < from + size) seen.add(m.toks[g].word); });
      if (seen.size > bestScore) { bestScore = seen.size; best = from; }
    });
    return best;
  }

  function el(tag, cls, children) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  var KIND_LABEL = { 1: "FAQ", 2: "Quiz question" };
  var PAGE_LABEL = { area: "Area", home: "Home", page: "Page" };

  function pageHref(root, frag, anchor) {
    return root + encodeURI(frag.u) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  /** The parts of one result, as nodes: {title, meta, snippet, subs: [{href, label, heading, snippet}]}. */
  function resultParts(root, d) {
    var frag = d.frag;
    var meta = frag.a || PAGE_LABEL[frag.k] || "";
    return {
      href: pageHref(root, frag, null),
      title: highlighted(frag.t, d.title, 0),
      titleText: frag.t,
      meta: meta,
      snippet: d.lead ? highlighted(d.lead.text, d.lead.m, SNIPPET_WORDS) : null,
      subs: d.subs.map(function (s) {
        return {
          href: pageHref(root, frag, s.id),
          label: KIND_LABEL[s.kind] || "",
          heading: s.heading ? highlighted(s.heading, s.head, 0) : null,
          snippet: s.text ? highlighted(s.text, s.body, SNIPPET_WORDS) : null
        };
      })
    };
  }

  function loadResults(index, r) {
    return Promise.all(r.top.map(function (t) {
      return index.fragment(t.id).then(function (frag) { return describe(frag, r.terms); });
    }));
  }

  /** A query and the fragments of its results; once more from a fresh manifest if the site changed under it. */
  function searchAndLoad(index, q, k, exactCompletions, live, first) {
    function attempt(retried) {
      return search(index, q, k, exactCompletions).then(function (r) {
        if (!live()) return null;
        var now = { top: r.top.slice(0, first || r.top.length), terms: r.terms };
        return loadResults(index, now).then(function (results) { return { r: r, results: results }; });
      }).catch(function (err) {
        if (err.stale && !retried) return attempt(true);
        throw err;
      });
    }
    return attempt(false);
  }

  function summaryLine(r, q, shown) {
    if (!r.words.length && !r.missing.length) return "";
    var missing = r.missing.length ? "No matches for " + r.missing.map(function (w) { return "“" + w + "”"; }).join(", ") + ". " : "";
    if (!shown) return missing + "No results for “" + q.trim() + "”.";
    var count = r.total === null ? "Top " + shown + " results" : r.total === 1 ? "1 result" : r.total + " results";
    return missing + count + " for “" + q.trim() + "”.";
  }

  var core = { fold: fold, tokens: tokens, spelling: spelling, stem: stem, term: term, Index: Index, search: search };
  if (typeof document === "undefined") {
    // Under Node (the parity and ranking tests): no page, only the functions.
    globalThis.learnSearchCore = core;
    return;
  }

  // ---------------------------------------------------------------- the box

  var POPUP_RESULTS = 5;
  /** Results whose fragments load at once; the others when scrolled to. */
  var POPUP_FIRST = 3;
  var PAGE_RESULTS = 10;

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  /** The search box in the header: a combobox with a listbox of results. */
  function Popup(index, root, input, popup) {
    var self = this;
    this.index = index; this.root = root; this.input = input; this.popup = popup;
    this.seq = 0; this.active = -1; this.options = []; this.ids = 0; this.more = null; this.observer = null;
    this.status = el("div", "visually-hidden", []);
    this.status.setAttribute("role", "status");
    input.parentNode.appendChild(this.status);
    var run = debounce(function () { self.run(); }, 100);
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (e) { self.key(e); });
    input.addEventListener("focus", function () { if (input.value.trim() && self.options.length) self.open(); });
    window.addEventListener("resize", function () { if (!popup.hidden) self.place(); });
    input.addEventListener("blur", function () { setTimeout(function () { if (document.activeElement !== input) self.close(); }, 150); });
    // Keep focus in the box when an option is clicked, so the click lands.
    popup.addEventListener("mousedown", function (e) { e.preventDefault(); });
    if (input.value.trim() && document.activeElement === input) this.run();
  }

  Popup.prototype.run = function () {
    var self = this, q = this.input.value, seq = ++this.seq, started = performance.now();
    if (!q.trim()) { this.close(); this.options = []; this.status.textContent = ""; return; }
    // Once the reader has typed on, no fragments are fetched for this query.
    var live = function () { return seq === self.seq; };
    searchAndLoad(this.index, q, POPUP_RESULTS, false, live, POPUP_FIRST).then(function (got) {
      if (!got || !live()) return;
      self.render(q, got.r, got.results, null, live);
      self.input.dispatchEvent(new CustomEvent("learn:search", { detail: { query: q, results: got.results.length, ms: performance.now() - started } }));
    }).catch(function (err) {
      if (seq !== self.seq) return;
      self.render(q, null, [], err, live);
    });
  };

  /** A listbox option: a link the arrow keys can choose. */
  Popup.prototype.option = function (href, cls, children) {
    var a = el("a", "search-option " + cls, children);
    a.href = href;
    a.id = "search-option-" + this.ids++;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.tabIndex = -1;
    return a;
  };

  /** The group of options for one result page. */
  Popup.prototype.group = function (d) {
    var self = this, p = resultParts(this.root, d);
    var group = el("div", "search-group", []);
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", p.titleText);
    group.appendChild(this.option(p.href, "search-top", [
      el("span", "search-title", [p.title]),
      p.meta ? el("span", "search-meta", [p.meta]) : null,
      p.snippet ? el("span", "search-snippet", [p.snippet]) : null
    ]));
    p.subs.forEach(function (s) {
      group.appendChild(self.option(s.href, "search-sub", [
        s.label ? el("span", "search-label", [s.label]) : null,
        s.heading ? el("span", "search-heading", [s.heading]) : null,
        s.snippet ? el("span", "search-snippet", [s.snippet]) : null
      ]));
    });
    return group;
  };

  Popup.prototype.render = function (q, r, results, err, live) {
    var self = this, popup = this.popup;
    if (this.observer) { this.observer.disconnect(); this.observer = null; }
    this.more = null;
    if (!err && !r.words.length && !r.missing.length) {
      // Only punctuation so far: nothing to search for.
      this.close();
      this.options = [];
      this.status.textContent = "";
      return;
    }
    popup.replaceChildren();
    var searchPage = this.root + "search/?q=" + encodeURIComponent(q.trim());
    if (err) {
      popup.appendChild(this.option(searchPage, "search-message", ["Search could not load. Open the search page"]));
      this.status.textContent = "Search could not load.";
    } else {
      results.forEach(function (d) { popup.appendChild(self.group(d)); });
      if (r.top.length > results.length) this.later(r, results.length, live);
      var line = summaryLine(r, q, results.length);
      popup.appendChild(this.option(searchPage, "search-all", [results.length ? "See all results" : line]));
      this.status.textContent = summaryLine(r, q, r.top.length);
    }
    this.options = Array.from(popup.querySelectorAll("[role=option]"));
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    popup.setAttribute("data-query", q);
    this.open();
  };

  /**
   * The results below the first few load when they would come on screen: a
   * placeholder option fetches their fragments once it is scrolled into view
   * or chosen with the arrow keys.
   */
  Popup.prototype.later = function (r, from, live) {
    var self = this, popup = this.popup;
    var placeholder = el("div", "search-option search-later", ["Loading more results…"]);
    placeholder.id = "search-option-" + this.ids++;
    placeholder.setAttribute("role", "option");
    placeholder.setAttribute("aria-selected", "false");
    placeholder.setAttribute("aria-disabled", "true");
    popup.appendChild(placeholder);
    var started = false;
    this.more = function () {
      if (started) return;
      started = true;
      loadResults(self.index, { top: r.top.slice(from), terms: r.terms }).then(function (results) {
        if (!live() || !placeholder.isConnected) return;
        var wasActive = self.options[self.active] === placeholder;
        results.forEach(function (d) { popup.insertBefore(self.group(d), placeholder); });
        placeholder.remove();
        self.more = null;
        self.options = Array.from(popup.querySelectorAll("[role=option]"));
        if (wasActive) self.setActive(self.options.indexOf(popup.querySelectorAll(".search-group")[from].firstChild));
        else if (self.active >= 0) self.active = self.options.indexOf(popup.querySelector("[aria-selected=true]"));
      }).catch(function () {
        placeholder.textContent = "More results could not load.";
      });
    };
    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver(function (seen) {
        if (seen.some(function (e) { return e.isIntersecting; }) && self.more) self.more();
      }, { root: popup });
      this.observer.observe(placeholder);
    } else {
      this.more();
    }
  };

  Popup.prototype.open = function () {
    this.popup.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.place();
  };

  /** Keeps the popup inside the viewport: it hangs from the box's left edge and moves left if it must. */
  Popup.prototype.place = function () {
    var popup = this.popup, margin = 8;
    popup.style.left = "";
    var r = popup.getBoundingClientRect(), width = document.documentElement.clientWidth;
    var shift = Math.min(0, width - margin - r.right);
    shift = Math.max(shift, margin - r.left);
    if (shift) popup.style.left = shift + "px";
    // No taller than the room below the box, so the last results can be scrolled to.
    var room = window.innerHeight - r.top - margin;
    popup.style.maxHeight = Math.max(160, Math.min(room, 0.7 * window.innerHeight)) + "px";
  };

  Popup.prototype.close = function () {
    this.popup.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Popup.prototype.setActive = function (i) {
    if (this.active >= 0 && this.options[this.active]) this.options[this.active].setAttribute("aria-selected", "false");
    this.active = i;
    if (i < 0) { this.input.removeAttribute("aria-activedescendant"); return; }
    var opt = this.options[i];
    if (opt.classList.contains("search-later") && this.more) this.more();
    opt.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", opt.id);
    opt.scrollIntoView({ block: "nearest" });
  };

  Popup.prototype.key = function (e) {
    var open = !this.popup.hidden, n = this.options.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n) return;
      e.preventDefault();
      if (!open) { this.open(); }
      var down = e.key === "ArrowDown";
      var i = this.active < 0 ? (down ? 0 : n - 1) : (this.active + (down ? 1 : n - 1)) % n;
      this.setActive(i);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (open && this.active >= 0) {
        var chosen = this.options[this.active];
        if (!chosen.classList.contains("search-later")) window.location.href = chosen.href;
        return;
      }
      var q = this.input.value.trim();
      if (q) window.location.href = this.root + "search/?q=" + encodeURIComponent(q);
    } else if (e.key === "Escape") {
      if (open) { e.preventDefault(); this.close(); }
      else if (this.input.value) { e.preventDefault(); this.input.value = ""; this.options = []; }
    } else if (e.key === "Tab") {
      this.close();
    }
  };

  // ---------------------------------------------------------- search page

  /** The search page: results for `?q=` as a list, kept in the URL as the reader types. */
  function SearchPage(index, root, input, out, statusEl) {
    var self = this;
    this.index = index; this.root = root; this.input = input; this.out = out; this.status = statusEl;
    this.seq = 0; this.k = PAGE_RESULTS;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (q && !input.value) input.value = q;
    input.form.addEventListener("submit", function (e) { e.preventDefault(); self.k = PAGE_RESULTS; self.run(true); });
    input.addEventListener("input", debounce(function () { self.k = PAGE_RESULTS; self.run(false); }, 80));
    if (input.value.trim()) this.run(false);
  }

  SearchPage.prototype.run = function (push) {
    var self = this, q = this.input.value, seq = ++this.seq;
    var url = new URL(window.location.href);
    if (q.trim()) url.searchParams.set("q", q.trim()); else url.searchParams.delete("q");
    window.history[push ? "pushState" : "replaceState"](null, "", url.href);
    if (!q.trim()) { this.out.replaceChildren(); this.status.textContent = ""; return; }
    this.status.textContent = "Searching…";
    var started = performance.now();
    var live = function () { return seq === self.seq; };
    searchAndLoad(this.index, q, this.k, true, live).then(function (got) {
      if (!got || !live()) return;
      self.render(q, got.r, got.results);
      self.input.dispatchEvent(new CustomEvent("learn:search", { detail: { query: q, results: got.results.length, ms: performance.now() - started } }));
    }).catch(function (err) {
      if (seq !== self.seq) return;
      self.status.textContent = "Search could not load: " + err.message;
    });
  };

  SearchPage.prototype.render = function (q, r, results) {
    var self = this;
    var list = el("ol", "search-list", []);
    results.forEach(function (d) {
      var p = resultParts(self.root, d);
      var link = el("a", "search-title", [p.title]);
      link.href = p.href;
      var item = el("li", "search-result", [
        el("h2", "search-result-title", [link]),
        p.meta ? el("p", "search-meta", [p.meta]) : null,
        p.snippet ? el("p", "search-snippet", [p.snippet]) : null
      ]);
      if (p.subs.length) {
        var subs = el("ul", "search-subs", []);
        p.subs.forEach(function (s) {
          var a = el("a", "search-heading", [s.label ? el("span", "search-label", [s.label]) : null, s.heading || (s.label ? null : "Section")]);
          a.href = s.href;
          subs.appendChild(el("li", "", [a, s.snippet ? el("p", "search-snippet", [s.snippet]) : null]));
        });
        item.appendChild(subs);
      }
      list.appendChild(item);
    });
    this.out.replaceChildren(list);
    if (results.length >= this.k && (r.total === null || r.total > results.length)) {
      var more = el("button", "secondary search-more", ["More results"]);
      more.type = "button";
      more.addEventListener("click", function () { self.k += PAGE_RESULTS; self.run(false); });
      this.out.appendChild(more);
    }
    this.status.textContent = summaryLine(r, q, results.length);
    this.out.setAttribute("data-query", q);
  };

  // ---------------------------------------------------------------- start

  function start() {
    var root = document.body.dataset.root || "./";
    var base = new URL(root, window.location.href);
    if (!document.querySelector("link[data-search-css]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = root + "assets/search.css";
      css.setAttribute("data-search-css", "");
      document.head.appendChild(css);
    }
    var index = new Index(new URL("search-index/", base));
    index.manifest().catch(function () { /* reported when a query needs it */ });
    var input = document.getElementById("search-input"), popup = document.getElementById("search-popup");
    if (input && popup) new Popup(index, root, input, popup);
    var pageInput = document.getElementById("search-page-input"), results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (pageInput && results && status) new SearchPage(index, root, pageInput, results, status);
    window.learnSearch = { search: function (q, k, exact) { return search(index, q, k || PAGE_RESULTS, Boolean(exact)); }, core: core };
  }

  start();
})();
