/**
 * Reference-based text metrics, each 0..1. Pure functions over code points or word tokens. The
 * quadratic ones (Levenshtein, LCS) refuse inputs beyond MAX_CELLS cells and return undefined, so a
 * huge output costs a bounded time instead of minutes.
 */
export const MAX_CELLS = 50_000_000;

const codePoints = (s: string): Uint32Array => Uint32Array.from(s, (c) => c.codePointAt(0)!);

// Words, and each Han/Hiragana/Katakana character on its own (those scripts do not space words).
const TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu;

/** Word tokens as rouge-l and bleu see them: punctuation and whitespace are separators. */
export function wordTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Edit distance in code points (insert, delete, substitute), or undefined when too large to compute. */
export function levenshtein(a: string, b: string): number | undefined {
  let x = codePoints(a);
  let y = codePoints(b);
  // A shared prefix and suffix never need edits; stripping them keeps near-identical texts cheap.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  x = x.subarray(start, endX);
  y = y.subarray(start, endY);
  if (x.length < y.length) [x, y] = [y, x];
  if (y.length === 0) return x.length;
  if (x.length * y.length > MAX_CELLS) return undefined;
  const row = new Uint32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) row[j] = j;
  for (let i = 1; i <= x.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (xi === y[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[y.length]!;
}

/** Length of the longest common subsequence of two token lists, or undefined when too large. */
export function lcsLength(a: readonly string[], b: readonly string[]): number | undefined {
  if (a.length === 0 || b.length === 0) return 0;
  if (a.length * b.length > MAX_CELLS) return undefined;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const row = new Uint32Array(short.length + 1);
  for (const token of long) {
    let diagonal = 0;
    for (let j = 1; j <= short.length; j++) {
      const above = row[j]!;
      row[j] = token === short[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[short.length]!;
}

/** ROUGE-L F1 (beta 1) of a hypothesis against a reference, over word tokens. */
export function rougeL(hypothesis: string, reference: string): number | undefined {
  const h = wordTokens(hypothesis);
  const r = wordTokens(reference);
  if (h.length === 0 && r.length === 0) return 1;
  const lcs = lcsLength(h, r);
  if (lcs === undefined) return undefined;
  if (lcs === 0) return 0;
  const p = lcs / h.length;
  const rec = lcs / r.length;
  return (2 * p * rec) / (p + rec);
}

/** A sequence whose n-gram at i can be read as a string key cheaply. */
interface Grams {
  length: number;
  key(i: number, n: number): string;
}

const tokenGrams = (items: readonly string[]): Grams => ({
  length: items.length,
  key: (i, n) => (n === 1 ? items[i]! : items.slice(i, i + n).join("\u0001")),
});

/** Code points of a text; keys are slices of the string itself (no arrays per n-gram). */
function charGrams(text: string): Grams {
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    offsets.push(i);
    if (text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff) i++;
  }
  offsets.push(text.length);
  return { length: offsets.length - 1, key: (i, n) => text.slice(offsets[i], offsets[i + n]) };
}

function ngramCounts(g: Grams, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= g.length; i++) {
    const key = g.key(i, n);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Matches of the hypothesis' n-grams against reference counts (clipped), counting only n-grams the
 * reference has, so a long hypothesis costs one pass and no large map.
 */
function clippedMatches(hyp: Grams, n: number, ref: Map<string, number>): number {
  const seen = new Map<string, number>();
  let matches = 0;
  for (let i = 0; i + n <= hyp.length; i++) {
    const key = hyp.key(i, n);
    const limit = ref.get(key);
    if (limit === undefined) continue;
    const used = seen.get(key) ?? 0;
    if (used < limit) {
      matches++;
      seen.set(key, used + 1);
    }
  }
  return matches;
}

/**
 * Sentence BLEU-4 over word tokens: clipped n-gram precisions (max count over references), the
 * brevity penalty against the reference closest in length, and sacrebleu's sentence defaults:
 * "exp" smoothing of zero counts and effective order (orders the hypothesis is too short for are
 * left out). Tokenisation differs from sacrebleu's 13a (punctuation is dropped, not split off).
 */
export function bleu(hypothesis: string, refs: readonly string[]): number {
  const h = wordTokens(hypothesis);
  const rs = refs.map(wordTokens);
  if (h.length === 0) return rs.some((r) => r.length === 0) ? 1 : 0;
  const hg = tokenGrams(h);
  let logSum = 0;
  let order = 0;
  let smooth = 1;
  for (let n = 1; n <= 4; n++) {
    const total = h.length - n + 1;
    if (total <= 0) break;
    const maxRef = new Map<string, number>();
    for (const r of rs)
      for (const [k, c] of ngramCounts(tokenGrams(r), n)) maxRef.set(k, Math.max(c, maxRef.get(k) ?? 0));
    const correct = clippedMatches(hg, n, maxRef);
    if (n === 1 && correct === 0) return 0;
    let p: number;
    if (correct === 0) {
      smooth *= 2;
      p = 1 / (smooth * total);
    } else p = correct / total;
    logSum += Math.log(p);
    order = n;
  }
  const refLen = rs
    .map((r) => r.length)
    .reduce((best, len) =>
      Math.abs(len - h.length) < Math.abs(best - h.length) ||
      (Math.abs(len - h.length) === Math.abs(best - h.length) && len < best)
        ? len
        : best,
    );
  const bp = h.length < refLen ? Math.exp(1 - refLen / h.length) : 1;
  return bp * Math.exp(logSum / order);
}

/**
 * chrF (Popović 2015, sacrebleu's defaults): character 1..6-grams with whitespace removed,
 * precision and recall averaged over the orders both texts have, then F-beta with beta = 2.
 */
export function chrf(hypothesis: string, reference: string, beta = 2): number {
  const h = charGrams(hypothesis.replace(/\s+/g, ""));
  const r = charGrams(reference.replace(/\s+/g, ""));
  if (h.length === 0 && r.length === 0) return 1;
  let precision = 0;
  let recall = 0;
  let orders = 0;
  for (let n = 1; n <= 6; n++) {
    const hypTotal = h.length - n + 1;
    const refTotal = r.length - n + 1;
    if (hypTotal <= 0 || refTotal <= 0) continue;
    const matches = clippedMatches(h, n, ngramCounts(r, n));
    precision += matches / hypTotal;
    recall += matches / refTotal;
    orders++;
  }
  if (orders === 0) return 0;
  precision /= orders;
  recall /= orders;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return ((1 + b2) * precision * recall) / (b2 * precision + recall);
}
