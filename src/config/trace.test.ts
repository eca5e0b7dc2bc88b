import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTrace } from "./trace.js";

async function traceFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-trace-"));
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("readTrace", () => {
  it("reads Gauntlet's rows, rebased to the first row's time, in ms or s", async () => {
    const file = await traceFile(
      "t.jsonl",
      jsonl([
        { timestamp: 1000, input_tokens: 10, output_tokens: 5, extra: "kept out" },
        { timestamp: 1000.5, input_tokens: 20, output_tokens: 6 },
        { timestamp: 2500, messages: [{ role: "user", content: "hi" }] },
      ]),
    );
    const ms = await readTrace(file, "t.jsonl", "ms");
    expect(ms.issues).toEqual([]);
    expect(ms.trace).toEqual({
      file: "t.jsonl",
      shape: "gauntlet",
      spanMs: 1500,
      rows: [
        { line: 1, atMs: 0, inputTokens: 10, outputTokens: 5 },
        { line: 2, atMs: 0.5, inputTokens: 20, outputTokens: 6 },
        { line: 3, atMs: 1500, messages: [{ role: "user", content: "hi" }] },
      ],
    });
    const s = await readTrace(file, "t.jsonl", "s");
    expect(s.trace?.rows.map((r) => r.atMs)).toEqual([0, 500, 1_500_000]);
  });

  it("reads Mooncake's JSONL (ms, input_length, output_length, hash_ids) whatever the unit says", async () => {
    const file = await traceFile(
      "m.jsonl",
      jsonl([
        { timestamp: 0, input_length: 612, output_length: 12, hash_ids: [0, 1] },
        { timestamp: 150, input_length: 1030, output_length: 20, hash_ids: [3, 4, 5] },
      ]),
    );
    const read = await readTrace(file, "m.jsonl", "s");
    expect(read.trace?.shape).toBe("mooncake");
    expect(read.trace?.rows).toEqual([
      { line: 1, atMs: 0, inputTokens: 612, outputTokens: 12 },
      { line: 2, atMs: 150, inputTokens: 1030, outputTokens: 20 },
    ]);
  });

  it("reads Azure's CSV, its UTC date-times to the microsecond", async () => {
    const file = await traceFile(
      "a.csv",
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:47.0301120,91,7\n2023-11-16 18:16:00,5,1\n",
    );
    const read = await readTrace(file, "a.csv", "ms");
    expect(read.trace?.shape).toBe("azure");
    const rows = read.trace?.rows ?? [];
    expect(rows.map((r) => [r.line, r.inputTokens, r.outputTokens])).toEqual([
      [2, 374, 44],
      [3, 91, 7],
      [4, 5, 1],
    ]);
    expect(rows[1]!.atMs).toBeCloseTo(349.522, 6);
    expect(rows[2]!.atMs).toBeCloseTo(13_319.41, 6);
  });

  it("reads Gauntlet's CSV too", async () => {
    const file = await traceFile("g.csv", "timestamp,input_tokens,output_tokens\n0,3,4\n2,5,6\n");
    const read = await readTrace(file, "g.csv", "s");
    expect(read.trace?.rows).toEqual([
      { line: 2, atMs: 0, inputTokens: 3, outputTokens: 4 },
      { line: 3, atMs: 2000, inputTokens: 5, outputTokens: 6 },
    ]);
  });

  it("names the file and line of every bad row, each with all its problems", async () => {
    const file = await traceFile(
      "bad.jsonl",
      jsonl([
        { timestamp: 10, input_tokens: 5, output_tokens: 5 },
        { timestamp: -1, input_tokens: 0, output_tokens: 5 },
        { timestamp: 5, input_tokens: 5, output_tokens: 5 },
        { timestamp: 20, messages: [{ role: "bot", content: "x" }] },
        { timestamp: 30, input_tokens: 5, output_tokens: "many" },
        { timestamp: "soon", input_tokens: 5, output_tokens: 5 },
      ]) + "not json\n",
    );
    const read = await readTrace(file, "bad.jsonl", "ms");
    expect(read.trace).toBeUndefined();
    expect(read.issues.map((i) => [i.file, i.line])).toEqual([
      ["bad.jsonl", 2],
      ["bad.jsonl", 3],
      ["bad.jsonl", 4],
      ["bad.jsonl", 5],
      ["bad.jsonl", 6],
      ["bad.jsonl", 7],
    ]);
    const text = read.issues.map((i) => i.message).join("\n");
    expect(text).toMatch(/invalid JSON/);
    expect(text).toMatch(
      /timestamp: expected a time from the start \(ms\) at or above 0, got -1; input_tokens: expected a whole number of tokens above 0, got 0/,
    );
    expect(text).toMatch(/timestamp: goes back in time \(5 after a later row's\)/);
    expect(text).toMatch(/messages\[0\]\.role: expected system, user or assistant, got "bot"/);
    expect(text).toMatch(/output_tokens: expected a whole number of tokens above 0, got "many"/);
  });

  it("lists the first 20 bad rows and counts the rest", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ timestamp: i, input_tokens: -i, output_tokens: 1 }));
    const read = await readTrace(await traceFile("many.jsonl", jsonl(rows)), "many.jsonl", "ms");
    expect(read.issues).toHaveLength(21);
    expect(read.issues[20]!.message).toBe("and 30 more rows with problems (50 of 50)");
  });

  it("reports a missing file without a line, for the caller to point at the suite", async () => {
    const read = await readTrace("/nonexistent/t.jsonl", "t.jsonl", "ms");
    expect(read.issues).toEqual([{ file: "t.jsonl", message: "trace file not found" }]);
  });
});
