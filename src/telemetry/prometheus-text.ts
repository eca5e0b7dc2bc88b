/**
 * The Prometheus text exposition format (version 0.0.4), read exactly: `# HELP` and `# TYPE`
 * lines, samples `name{label="value",...} value [timestamp]` with escaped label values (\\, \",
 * \n), and the float spellings Go and Python write (NaN, +Inf, -Inf, 1.5e+06). No library fitted:
 * the one on npm for it is unmaintained since 2019 and pulls a dependency for an equality check.
 * A line that does not parse is reported with its number and skipped, never thrown: a scrape
 * reads what it can.
 */

export type PromType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromParse {
  samples: PromSample[];
  /** Declared types by family name (`# TYPE`). */
  types: Map<string, PromType>;
  /** Lines that did not parse: 1-based line number and why. */
  errors: Array<{ line: number; message: string }>;
}

/** At most this many samples are read from one body: a scrape never holds more. */
export const MAX_SAMPLES = 20_000;

const NAME = /^[A-Za-z_:][A-Za-z0-9_:]*/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const TYPES: ReadonlySet<string> = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/** A sample value as the format spells it; undefined when it is not a number. */
export function parsePromValue(text: string): number | undefined {
  if (text === "NaN") return Number.NaN;
  if (text === "+Inf" || text === "Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Reads `{a="x",b="y"}` from `s` at `i` (just past the brace); returns the labels and where they end. */
function readLabels(s: string, start: number): { labels: Record<string, string>; end: number } | string {
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = start;
  const skipSpace = () => {
    while (s[i] === " " || s[i] === "\t") i++;
  };
  for (;;) {
    skipSpace();
    if (s[i] === "}") return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(s.slice(i));
    if (!name) return `expected a label name at column ${i + 1}`;
    i += name[0].length;
    skipSpace();
    if (s[i] !== "=") return `expected = after label ${name[0]}`;
    i++;
    skipSpace();
    if (s[i] !== '"') return `expected a quoted value for label ${name[0]}`;
    i++;
    let value = "";
    for (;;) {
      const c = s[i];
      if (c === undefined) return `unterminated value for label ${name[0]}`;
      i++;
      if (c === '"') break;
      if (c !== "\\") {
        value += c;
        continue;
      }
      const e = s[i++];
      if (e === "n") value += "\n";
      else if (e === "\\" || e === '"') value += e;
      else return `unknown escape \\${e ?? ""} in label ${name[0]}`;
    }
    labels[name[0]] = value;
    skipSpace();
    if (s[i] === ",") i++;
    else if (s[i] !== "}") return `expected , or } after label ${name[0]}`;
  }
}

function parseSample(line: string): PromSample | string {
  const name = NAME.exec(line);
  if (!name) return "expected a metric name";
  let i = name[0].length;
  let labels: Record<string, string> = {};
  if (line[i] === "{") {
    const read = readLabels(line, i + 1);
    if (typeof read === "string") return read;
    labels = read.labels;
    i = read.end;
  }
  const rest = line
    .slice(i)
    .trim()
    .split(/[ \t]+/);
  if (rest.length === 0 || rest[0] === "") return `no value for ${name[0]}`;
  if (rest.length > 2) return `unexpected text after the value of ${name[0]}`;
  const value = parsePromValue(rest[0]!);
  if (value === undefined) return `value "${rest[0]}" of ${name[0]} is not a number`;
  if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) return `timestamp "${rest[1]}" is not an integer`;
  return { name: name[0], labels, value };
}

/** Parses a whole /metrics body. Pure; never throws. */
export function parsePrometheusText(body: string): PromParse {
  const out: PromParse = { samples: [], types: new Map(), errors: [] };
  const lines = body.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const m = /^#[ \t]+TYPE[ \t]+(\S+)[ \t]+(\S+)[ \t]*$/.exec(line);
      if (m) {
        if (TYPES.has(m[2]!)) out.types.set(m[1]!, m[2] as PromType);
        else out.errors.push({ line: n + 1, message: `unknown type "${m[2]}" for ${m[1]}` });
      }
      continue;
    }
    if (out.samples.length >= MAX_SAMPLES) {
      out.errors.push({ line: n + 1, message: `more than ${MAX_SAMPLES} samples: the rest is not read` });
      break;
    }
    const s = parseSample(line.trimStart());
    if (typeof s === "string") out.errors.push({ line: n + 1, message: s });
    else out.samples.push(s);
  }
  return out;
}

/**
 * The family a sample belongs to: its own name, or for `_bucket`, `_sum`, `_count`, `_total` and
 * `_created` the declared family they extend (a Python client declares `vllm:num_preemptions` a
 * counter and writes `vllm:num_preemptions_total`).
 */
export function familyOf(name: string, types: ReadonlyMap<string, PromType>): string {
  if (types.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count|total|created)$/.exec(name);
  return m && types.has(m[1]!) ? m[1]! : name;
}
