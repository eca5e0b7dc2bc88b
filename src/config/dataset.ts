/**
 * Dataset files (`from:`, a simulator's `answers_from`): CSV with a header row, or JSONL with one
 * object per line. Read in one pass, in time and memory linear in the file: each record becomes a row
 * as the reader meets it, with the line it starts on.
 */
import { ConfigError, type ConfigIssue } from "../errors.js";
import { readInputFile } from "./input-file.js";
import { CsvSyntaxError, readCsv } from "./csv.js";
import { LIMITS, overLimit } from "./limits.js";

export interface DatasetRow {
  /** 1-based line in the dataset file where the row starts. */
  line: number;
  values: Record<string, string | number | boolean>;
}

type Read = { rows: DatasetRow[]; issues: ConfigIssue[] };

/**
 * Reads a CSV (header row = column names) or JSONL (one object per line) dataset (a `what`: "trace"
 * names it in the messages). Returns the rows,
 * or issues naming the dataset file and line; never throws for bad content. An issue without a line
 * is about the file itself (missing, not a regular file, too large): the caller points at the suite.
 */
export async function readDataset(file: string, what = "dataset"): Promise<Read> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, { what, maxBytes: LIMITS.datasetBytes.max });
  } catch (err) {
    if (err instanceof ConfigError) return { rows: [], issues: err.issues };
    throw err;
  }
  return file.toLowerCase().endsWith(".jsonl") ? parseJsonl(file, bytes) : parseCsv(file, bytes);
}

/** Header problems: a column twice (the second would silently win) or a column with no name. */
function headerIssues(file: string, header: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === "")
      issues.push({ file, line: 1, message: `CSV: column ${i + 1} of the header has no name` });
    const first = seen.get(name);
    if (first !== undefined && name !== "")
      issues.push({
        file,
        line: 1,
        message: `CSV: column "${name}" appears twice in the header (columns ${first + 1} and ${i + 1})`,
      });
    else seen.set(name, i);
  });
  return issues;
}

function parseCsv(file: string, bytes: Buffer): Read {
  const rows: DatasetRow[] = [];
  let header: string[] | undefined;
  try {
    readCsv(new TextDecoder("utf-8").decode(bytes), ({ fields, line }) => {
      if (header === undefined) {
        header = fields.map((h) => h.trim());
        const problems = headerIssues(file, header);
        if (problems.length > 0) throw new HeaderError(problems);
        return;
      }
      if (fields.length !== header.length)
        throw new CsvSyntaxError(
          `Invalid Record Length: the header has ${header.length} columns, this row ${fields.length}`,
          line,
        );
      rows.push({ line, values: valuesOf(header, fields) });
    });
  } catch (err) {
    if (err instanceof HeaderError) return { rows: [], issues: err.issues };
    if (!(err instanceof CsvSyntaxError)) throw err;
    return { rows: [], issues: [{ file, line: err.line, message: `CSV: ${err.message}` }] };
  }
  if (rows.length === 0) return { rows: [], issues: [{ file, line: 1, message: "dataset has no rows" }] };
  return { rows, issues: [] };
}

/** A row's values by column; assignment would make a "__proto__" column the object's prototype. */
function valuesOf(header: readonly string[], fields: readonly string[]): DatasetRow["values"] {
  if (header.includes("__proto__")) return Object.fromEntries(header.map((h, j) => [h, fields[j]!]));
  const values: Record<string, string> = {};
  for (let j = 0; j < header.length; j++) values[header[j]!] = fields[j]!;
  return values;
}

/** Ends reading at a header that cannot name the columns. */
class HeaderError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super("bad CSV header");
  }
}

/** How deep a JSON value nests, without recursion (a value nested 100,000 deep is a stack to spare). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > LIMITS.nesting.max) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function parseJsonl(file: string, bytes: Buffer): Read {
  const rows: DatasetRow[] = [];
  const issues: ConfigIssue[] = [];
  const lines = new TextDecoder("utf-8").decode(bytes).split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    const issue = (message: string) => issues.push({ file, line: i + 1, message });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return issue(`JSONL: invalid JSON (${(err as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return issue("JSONL: expected one JSON object per line");
    if (nestingDepth(value) > LIMITS.nesting.max)
      return issue(`JSONL: the object nests too deeply: ${overLimit("nesting")}`);
    // JSON.parse makes "__proto__" an own key; fromEntries keeps it one (assigning would drop it).
    const values: DatasetRow["values"] = Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v),
      ]),
    );
    rows.push({ line: i + 1, values });
  });
  if (rows.length === 0 && issues.length === 0)
    issues.push({ file, line: 1, message: "dataset has no rows" });
  return { rows, issues };
}
