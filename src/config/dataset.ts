import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import type { ConfigIssue } from "../errors.js";

export interface DatasetRow {
  /** 1-based line in the dataset file where the row starts. */
  line: number;
  values: Record<string, string | number | boolean>;
}

/**
 * Reads a CSV (header row = column names) or JSONL (one object per line) dataset. Returns the rows,
 * or issues naming the dataset file and line; never throws for bad content.
 */
export async function readDataset(file: string): Promise<{ rows: DatasetRow[]; issues: ConfigIssue[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      rows: [],
      issues: [
        { file, message: code === "ENOENT" ? "dataset file not found" : `cannot read dataset (${code})` },
      ],
    };
  }
  return file.toLowerCase().endsWith(".jsonl") ? parseJsonl(file, text) : parseCsv(file, text);
}

function parseCsv(file: string, text: string): { rows: DatasetRow[]; issues: ConfigIssue[] } {
  // csv-parse's info.lines is where a record ends (and counts CRLF inside quotes twice), so rows
  // are located from byte offsets instead: a record starts where the previous one ended.
  const bytes = Buffer.from(text, "utf8");
  const lineAt = (offset: number) => {
    let start = offset;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++; // skipped empty lines
    return bytes.subarray(0, start).filter((b) => b === 0x0a).length + 1;
  };
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      trim: false,
    }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
    if (records.length < 2) return { rows: [], issues: [{ file, line: 1, message: "dataset has no rows" }] };
    const header = records[0]!.record.map((h) => h.trim());
    const rows = records.slice(1).map((r, i) => ({
      line: lineAt(records[i]!.info.bytes),
      values: Object.fromEntries(header.map((h, j) => [h, r.record[j]!])),
    }));
    return { rows, issues: [] };
  } catch (err) {
    const e = err as { message?: string; lines?: number; code?: string; bytes_records?: number };
    // An unclosed quote is reported where the file ends; point at the record that opened it.
    if (e.code === "CSV_QUOTE_NOT_CLOSED" && e.bytes_records !== undefined) {
      const line = lineAt(e.bytes_records);
      return {
        rows: [],
        issues: [{ file, line, message: `CSV: the quote opened on line ${line} is never closed` }],
      };
    }
    const message = (e.message ?? String(err)).replace(
      /^Invalid (Record|Opening Quote|Closing Quote)[^:]*:\s*/,
      (m) => m,
    );
    return { rows: [], issues: [{ file, line: e.lines, message: `CSV: ${message}` }] };
  }
}

function parseJsonl(file: string, text: string): { rows: DatasetRow[]; issues: ConfigIssue[] } {
  const rows: DatasetRow[] = [];
  const issues: ConfigIssue[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      issues.push({ file, line: i + 1, message: `JSONL: invalid JSON (${(err as Error).message})` });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.push({ file, line: i + 1, message: "JSONL: expected one JSON object per line" });
      return;
    }
    const values: DatasetRow["values"] = {};
    for (const [k, v] of Object.entries(value)) {
      values[k] =
        typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v);
    }
    rows.push({ line: i + 1, values });
  });
  if (rows.length === 0 && issues.length === 0)
    issues.push({ file, line: 1, message: "dataset has no rows" });
  return { rows, issues };
}
