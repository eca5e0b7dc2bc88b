/** Strips credentials and query strings (which may carry keys) from a URL before it is shown. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "<invalid url>";
  }
}

/** What a redacted secret reads as. */
export const REDACTED = "***";

/**
 * The shortest piece of a secret masked where a text was cut: a cut that leaves four characters
 * of a key has leaked too little to matter, five or more it masks.
 */
const MIN_PIECE = 4;

/** Removes every known secret from text; see createRedactor. */
export interface Redactor {
  (text: string): string;
  /** False when the suite has no secrets: then every call returns its input. */
  readonly active: boolean;
  /**
   * Redacts `text`, then keeps at most `maxChars` characters of it, followed by `mark` when it
   * was cut. Redacting first is what keeps a cut from leaving a secret's first characters behind.
   * `partial`: the text was already cut at its end before it got here (a capped read of a body),
   * so an end that begins a secret is masked as well.
   */
  cut(text: string, maxChars: number, options?: { mark?: string; partial?: boolean }): string;
}

/**
 * The forms a secret takes once a renderer has escaped it: JSON strings, XML and HTML text and
 * attributes, CSV fields, Markdown table cells. Text is redacted raw before it is escaped; these
 * only make the last pass over a rendered file find a secret that reached it some other way.
 */
function escapedForms(secret: string): string[] {
  const entities = secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return [
    JSON.stringify(secret).slice(1, -1),
    entities,
    entities.replace(/"/g, "&quot;"),
    entities.replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
    secret.replace(/"/g, '""'),
    entities.replace(/\|/g, "\\|"),
    JSON.stringify(entities.replace(/\|/g, "\\|")).slice(1, -1),
  ];
}

/**
 * Replaces every known secret value in a text, in its raw form and in each escaped form a report
 * gives it. Built once from the suite's interpolated secrets and applied where text enters the
 * run's record (answers, server error bodies, error messages) and again to everything that leaves
 * the process: console output, reports, error messages.
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const raw = [...new Set(secrets)].filter((s) => s.length >= MIN_PIECE);
  const values = [...new Set(raw.flatMap((s) => [s, ...escapedForms(s)]))].sort(
    (a, b) => b.length - a.length,
  );
  const redact = (text: string): string => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  };
  /** Masks an end of `text` that is the start of a secret (the text was cut inside it). */
  const maskTail = (text: string): string => {
    for (const v of raw) {
      for (let k = Math.min(v.length - 1, text.length); k >= MIN_PIECE; k--) {
        if (text.endsWith(v.slice(0, k))) return text.slice(0, text.length - k) + REDACTED;
      }
    }
    return text;
  };
  const cut: Redactor["cut"] = (text, maxChars, options = {}) => {
    let clean = redact(text);
    if (options.partial) clean = maskTail(clean);
    if (clean.length <= maxChars) return clean;
    // Never split a surrogate pair: half a character garbles every format that shows it.
    const end = /[\ud800-\udbff]/.test(clean[maxChars - 1] ?? "") ? maxChars - 1 : maxChars;
    return clean.slice(0, end) + (options.mark ?? "");
  };
  if (values.length === 0) {
    const same = (text: string) => text;
    return Object.assign(same, {
      active: false,
      cut: (text: string, maxChars: number, options: { mark?: string } = {}) =>
        text.length <= maxChars ? text : text.slice(0, maxChars) + (options.mark ?? ""),
    });
  }
  return Object.assign(redact, { active: true, cut });
}

/** A redactor that removes nothing (no secrets): for code paths outside a suite's run. */
export const NO_SECRETS: Redactor = createRedactor([]);

/**
 * Every string in `value` (objects and arrays walked, anything else kept) passed through
 * `redact`, in a copy; `value` is not changed. Run on the run's record before any renderer cuts
 * or escapes it.
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (!redact.active) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Runs `fn`; an error it throws leaves with its message (and stack) passed through `redact`, so a
 * secret that reached an error message never reaches the terminal. The error's class and fields are
 * kept: main() still maps it to its exit code.
 */
export async function redactErrors<T>(redact: (text: string) => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error) {
      err.message = redact(err.message);
      if (err.stack) err.stack = redact(err.stack);
    }
    throw err;
  }
}
