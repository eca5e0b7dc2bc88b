/**
 * Request traces for a replay phase (`replay: trace.jsonl`), read and checked once at plan time. A
 * trace is one request per row with its arrival time and what it asked for, in one of the shapes
 * recorded serving traces come in:
 * - Gauntlet's own: JSONL or CSV with `timestamp`, and `input_tokens` + `output_tokens` or `messages`;
 * - Mooncake's JSONL: `timestamp` (ms), `input_length`, `output_length`, `hash_ids`;
 * - Azure's LLM inference trace CSV: `TIMESTAMP` (a UTC date-time), `ContextTokens`, `GeneratedTokens`.
 * Times are rebased to the first row, so an excerpt cut from the middle of a day starts at once.
 */
import type { ConfigIssue } from "../errors.js";
import type { ChatMessage } from "../providers/types.js";
import { readDataset, type DatasetRow } from "./dataset.js";
import { formatCount, LIMITS } from "./limits.js";

/** One request of a trace. */
export interface TraceRow {
  /** 1-based line of the trace file. */
  line: number;
  /** When it arrived, ms after the trace's first row (before `speed`). */
  atMs: number;
  /** Prompt length to synthesise (rows without `messages`). */
  inputTokens?: number;
  /** Output length asked for (`max_tokens`); undefined: the target's params decide. */
  outputTokens?: number;
  /** The conversation to send, when the trace has it. */
  messages?: ChatMessage[];
}

export type TraceShape = "gauntlet" | "mooncake" | "azure";

export interface Trace {
  /** The file as the user reads it (relative to the working folder). */
  file: string;
  shape: TraceShape;
  rows: TraceRow[];
  /** From the first row's arrival to the last's (ms, before `speed`). */
  spanMs: number;
}

/** How many row problems are listed one by one; the rest are counted in one more line. */
const MAX_ROW_ISSUES = 20;
const ROLES: ReadonlySet<string> = new Set(["system", "user", "assistant"]);

/** The columns each shape reads: time, input length, output length. */
const COLUMNS: Record<TraceShape, { time: string; input: string; output: string }> = {
  gauntlet: { time: "timestamp", input: "input_tokens", output: "output_tokens" },
  mooncake: { time: "timestamp", input: "input_length", output: "output_length" },
  azure: { time: "TIMESTAMP", input: "ContextTokens", output: "GeneratedTokens" },
};

/** The shape of a trace, from its first row's columns. */
function shapeOf(values: DatasetRow["values"]): TraceShape {
  if (Object.hasOwn(values, "TIMESTAMP") && Object.hasOwn(values, "ContextTokens")) return "azure";
  if (Object.hasOwn(values, "input_length") || Object.hasOwn(values, "hash_ids")) return "mooncake";
  return "gauntlet";
}

/**
 * Azure's `2023-11-16 18:15:46.6805900`: a UTC date-time with up to 7 fractional digits, read to
 * the whole microsecond (Date.parse keeps only 3 and reads a date without a zone as local time).
 * In µs, an integer below 2^53 until the year 2255, so rebasing to the first row loses nothing.
 */
function azureTimeUs(text: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const wholeMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return wholeMs * 1000 + (frac ? Math.round(Number((frac + "000000").slice(0, 9)) / 1000) : 0);
}

/** A number cell: JSONL gives numbers, CSV gives text. */
function numberOf(v: string | number | boolean | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function messagesOf(raw: string | number | boolean): ChatMessage[] | string {
  let value: unknown;
  try {
    value = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return "messages: expected an array of { role, content }";
  }
  if (!Array.isArray(value) || value.length === 0)
    return "messages: expected a non-empty array of { role, content }";
  const out: ChatMessage[] = [];
  for (const [i, m] of value.entries()) {
    const role: unknown = typeof m === "object" && m !== null ? (m as { role?: unknown }).role : undefined;
    const content: unknown =
      typeof m === "object" && m !== null ? (m as { content?: unknown }).content : undefined;
    if (typeof role !== "string" || !ROLES.has(role))
      return `messages[${i}].role: expected system, user or assistant, got ${JSON.stringify(role) ?? "nothing"}`;
    if (typeof content !== "string") return `messages[${i}].content: expected text`;
    out.push({ role: role as ChatMessage["role"], content });
  }
  return out;
}

/** A token count in [1, max]; a message when it is not one. */
function tokenCount(
  v: string | number | boolean | undefined,
  column: string,
  limit: "inputTokens" | "outputTokens",
): number | string {
  const n = numberOf(v);
  if (n === undefined || !Number.isInteger(n) || n < 1)
    return `${column}: expected a whole number of tokens above 0, got ${JSON.stringify(v) ?? "nothing"}`;
  if (n > LIMITS[limit].max) return `${column}: ${n} is over ${formatCount(LIMITS[limit].max)} tokens`;
  return n;
}

/**
 * Reads a trace file. `unit` is how `timestamp` counts (ms unless the phase says `timestamp_unit:
 * s`; Mooncake's are ms, Azure's are date-times). Returns the rows, or issues naming the file and
 * line of each bad row (the first MAX_ROW_ISSUES, then a count); never throws for bad content. An
 * issue without a line is about the file itself, for the caller to point at the suite's `replay`.
 */
export async function readTrace(
  file: string,
  shown: string,
  unit: "ms" | "s",
): Promise<{ trace?: Trace; issues: ConfigIssue[] }> {
  const read = await readDataset(file, "trace");
  // Lines that are not JSON are listed with the rows' own problems; a file that cannot be read ends here.
  const unread = read.issues.map((i) => ({ ...i, file: shown }));
  if (unread.some((i) => i.line === undefined) || read.rows.length === 0)
    return {
      issues: unread.length > 0 ? unread : [{ file: shown, line: 1, message: "the trace has no rows" }],
    };
  const first = read.rows[0]!;
  const shape = shapeOf(first.values);
  const cols = COLUMNS[shape];
  const scale = shape === "gauntlet" && unit === "s" ? 1000 : 1;
  const rows: TraceRow[] = [];
  const issues: ConfigIssue[] = [];
  let bad = 0;
  for (const issue of unread) if (++bad <= MAX_ROW_ISSUES) issues.push(issue);
  let originUs: number | undefined;
  let lastUs = Number.NEGATIVE_INFINITY;
  for (const { line, values } of read.rows) {
    const problems: string[] = [];
    const rawTime = values[cols.time];
    const timeUs =
      shape === "azure"
        ? typeof rawTime === "string"
          ? azureTimeUs(rawTime)
          : undefined
        : (numberOf(rawTime) ?? Number.NaN) * scale * 1000;
    const validUs = timeUs !== undefined && Number.isFinite(timeUs) && timeUs >= 0 ? timeUs : undefined;
    if (validUs === undefined)
      problems.push(
        `${cols.time}: expected ${shape === "azure" ? "a date-time such as 2023-11-16 18:15:46.6805900" : `a time from the start (${unit === "s" ? "seconds" : "ms"}) at or above 0`}, got ${JSON.stringify(rawTime) ?? "nothing"}`,
      );
    else if (validUs < lastUs)
      problems.push(
        `${cols.time}: goes back in time (${rawTime} after a later row's): a trace lists requests in the order they arrived`,
      );
    else lastUs = validUs;
    const row: TraceRow = { line, atMs: 0 };
    const rawMessages = values.messages;
    if (shape === "gauntlet" && rawMessages !== undefined) {
      const messages = messagesOf(rawMessages);
      if (typeof messages === "string") problems.push(messages);
      else row.messages = messages;
    } else {
      const input = tokenCount(values[cols.input], cols.input, "inputTokens");
      if (typeof input === "string") problems.push(shape === "gauntlet" ? `${input} (or messages)` : input);
      else row.inputTokens = input;
    }
    // A row with its conversation may leave the output length to the target's params.
    if (row.messages === undefined || values[cols.output] !== undefined) {
      const output = tokenCount(values[cols.output], cols.output, "outputTokens");
      if (typeof output === "string") problems.push(output);
      else row.outputTokens = output;
    }
    if (problems.length > 0 || validUs === undefined) {
      bad++;
      if (bad <= MAX_ROW_ISSUES) issues.push({ file: shown, line, message: problems.join("; ") });
      continue;
    }
    originUs ??= validUs;
    row.atMs = (validUs - originUs) / 1000;
    rows.push(row);
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (bad > MAX_ROW_ISSUES)
    issues.push({
      file: shown,
      line: issues[issues.length - 1]?.line ?? 1,
      message: `and ${formatCount(bad - MAX_ROW_ISSUES)} more rows with problems (${formatCount(bad)} of ${formatCount(read.rows.length + unread.length)})`,
    });
  if (issues.length > 0) return { issues };
  return { trace: { file: shown, shape, rows, spanMs: rows[rows.length - 1]!.atMs }, issues };
}
