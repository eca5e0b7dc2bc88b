import { execFileSync } from "node:child_process";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDataset, type DatasetRow } from "./dataset.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-dataset-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `content` to a fresh file named `name` and reads it back as a dataset. */
async function read(name: string, content: string) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return { file, ...(await readDataset(file)) };
}

const rows = (...list: Array<[number, DatasetRow["values"]]>): DatasetRow[] =>
  list.map(([line, values]) => ({ line, values }));

describe("readDataset: CSV", () => {
  it.each<[string, string, DatasetRow[]]>([
    ["plain", "id,q\nr1,hello\nr2,bye\n", rows([2, { id: "r1", q: "hello" }], [3, { id: "r2", q: "bye" }])],
    ["without a final newline", "id,q\nr1,hello", rows([2, { id: "r1", q: "hello" }])],
    ["with a BOM", "\ufeffid,q\nr1,hello\n", rows([2, { id: "r1", q: "hello" }])],
    [
      "with CRLF",
      "id,q\r\nr1,hello\r\nr2,bye\r\n",
      rows([2, { id: "r1", q: "hello" }], [3, { id: "r2", q: "bye" }]),
    ],
    [
      "with quoted commas and quotes",
      'id,q\nr1,"one, two"\nr2,"say ""hi"""\n',
      rows([2, { id: "r1", q: "one, two" }], [3, { id: "r2", q: 'say "hi"' }]),
    ],
    [
      "with a multi-line field (rows keep their first line)",
      'id,q\nr1,"line one\nline two\nline three"\nr2,x\n',
      rows([2, { id: "r1", q: "line one\nline two\nline three" }], [5, { id: "r2", q: "x" }]),
    ],
    [
      "with a multi-line field and CRLF",
      'id,q\r\nr1,"a\r\nb"\r\nr2,c\r\nr3,d\r\n',
      rows([2, { id: "r1", q: "a\r\nb" }], [4, { id: "r2", q: "c" }], [5, { id: "r3", q: "d" }]),
    ],
    [
      "with empty lines between rows",
      "id,q\n\nr1,a\n\n\nr2,b\n",
      rows([3, { id: "r1", q: "a" }], [6, { id: "r2", q: "b" }]),
    ],
    ["with spaces around header names", " id , q \nr1, keep \n", rows([2, { id: "r1", q: " keep " }])],
    ["with a BOM, CRLF and quotes", '\ufeffid,q\r\nr1,"a, b"\r\n', rows([2, { id: "r1", q: "a, b" }])],
    ["with empty values", "id,q,label\nr1,,x\n", rows([2, { id: "r1", q: "", label: "x" }])],
    [
      "with CR alone between lines",
      "id,q\rr1,a\rr2,b",
      rows([2, { id: "r1", q: "a" }], [3, { id: "r2", q: "b" }]),
    ],
    ["with a trailing empty field", "id,q\nr1,", rows([2, { id: "r1", q: "" }])],
    [
      'with a "__proto__" column (a column like any other)',
      "__proto__,constructor\nr1,r2\n",
      rows([2, JSON.parse('{"__proto__":"r1","constructor":"r2"}') as DatasetRow["values"]]),
    ],
  ])("reads a file %s", async (_what, content, expected) => {
    const result = await read("data.csv", content);
    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual(expected);
  });

  it("reads .CSV (any case) as CSV", async () => {
    expect((await read("DATA.CSV", "id\nr1\n")).rows).toEqual(rows([2, { id: "r1" }]));
  });

  it.each<[string, string, number, string]>([
    [
      "a quote never closed",
      'id,q\nr1,a\nr2,"open\nr3,c\n',
      3,
      "CSV: the quote opened on line 3 is never closed",
    ],
    [
      "a quote never closed after CRLF and empty lines",
      'id,q\r\nr1,a\r\n\r\nr2,"open\r\nr3,c\r\n',
      4,
      "never closed",
    ],
    ["too few columns", "id,q,label\nr1,a,x\nr2,b\n", 3, "CSV: Invalid Record Length"],
    ["too many columns", "id,q\nr1,a\nr2,b,extra\nr3,c\n", 3, "CSV: Invalid Record Length"],
    ["a quote inside an unquoted field", 'id,q\nr1,a\nr2,b"c"\n', 3, "CSV: Invalid Opening Quote"],
    ["text after a closing quote", 'id,q\nr1,"a"b\n', 2, "CSV: Invalid Closing Quote"],
    ["a column twice in the header (the second would win)", "q,q\nr1,r2\n", 1, 'column "q" appears twice'],
    ["a header column with no name", "id,,q\nr1,a,b\n", 1, "column 2 of the header has no name"],
    ["no rows under the header", "id,q\n", 1, "dataset has no rows"],
    ["nothing at all", "", 1, "dataset has no rows"],
  ])("reports %s with its line", async (_what, content, line, message) => {
    const { file, rows: got, issues } = await read("bad.csv", content);
    expect(got).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, line });
    expect(issues[0]!.message).toContain(message);
  });
});

describe("readDataset: JSONL", () => {
  it.each<[string, string, DatasetRow[]]>([
    [
      "plain",
      '{"id":"r1","q":"a"}\n{"id":"r2","q":"b"}\n',
      rows([1, { id: "r1", q: "a" }], [2, { id: "r2", q: "b" }]),
    ],
    [
      "with CRLF and empty lines",
      '{"id":"r1"}\r\n\r\n{"id":"r2"}\r\n',
      rows([1, { id: "r1" }], [3, { id: "r2" }]),
    ],
    [
      "with numbers, booleans and nested values",
      '{"n":3,"ok":true,"tags":["a","b"],"meta":{"k":1},"none":null}\n',
      rows([1, { n: 3, ok: true, tags: '["a","b"]', meta: '{"k":1}', none: "null" }]),
    ],
  ])("reads a file %s", async (_what, content, expected) => {
    const result = await read("data.jsonl", content);
    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual(expected);
  });

  it.each<[string, string, Array<[number, string]>]>([
    ["invalid JSON on line 3", '{"id":"r1"}\n{"id":"r2"}\n{"id": r3}\n', [[3, "JSONL: invalid JSON"]]],
    [
      "a list instead of an object",
      '{"id":"r1"}\n["r2"]\n',
      [[2, "JSONL: expected one JSON object per line"]],
    ],
    [
      "a string and a null",
      '"r1"\n{"id":"r2"}\nnull\n',
      [
        [1, "expected one JSON object"],
        [3, "expected one JSON object"],
      ],
    ],
    ["no rows", "\n\n", [[1, "dataset has no rows"]]],
    [
      "a value nested deeper than a parser's stack allows",
      `{"ok":1}\n{"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}\n`,
      [[2, "JSONL: the object nests too deeply: at most 64"]],
    ],
  ])("reports %s with its line", async (_what, content, expected) => {
    const { file, issues } = await read("bad.jsonl", content);
    expect(issues).toHaveLength(expected.length);
    expected.forEach(([line, message], i) => {
      expect(issues[i]).toMatchObject({ file, line });
      expect(issues[i]!.message).toContain(message);
    });
  });

  it('keeps a "__proto__" key as a column (assigning it would have dropped it)', async () => {
    const { rows: got, issues } = await read("proto.jsonl", '{"__proto__":"x","q":"y"}\n');
    expect(issues).toEqual([]);
    expect(Object.keys(got[0]!.values)).toEqual(["__proto__", "q"]);
    expect(Object.getOwnPropertyDescriptor(got[0]!.values, "__proto__")?.value).toBe("x");
  });

  it("keeps the good rows of a file with a bad line", async () => {
    const { rows: got, issues } = await read("mixed.jsonl", '{"id":"r1"}\nnope\n{"id":"r3"}\n');
    expect(got).toEqual(rows([1, { id: "r1" }], [3, { id: "r3" }]));
    expect(issues.map((i) => i.line)).toEqual([2]);
  });
});

describe("readDataset: the file itself", () => {
  it("reports a missing file without a line (the caller points at the suite's `from`)", async () => {
    const file = path.join(dir, "does-not-exist.csv");
    expect(await readDataset(file)).toEqual({
      rows: [],
      issues: [{ file, message: "dataset file not found" }],
    });
  });

  it("reports a folder as unreadable", async () => {
    const { issues } = await readDataset(dir);
    expect(issues).toEqual([{ file: dir, message: "cannot read dataset: a folder, not a regular file" }]);
  });
});

describe("readDataset: hostile files", () => {
  it.each<[string, Buffer, number, string]>([
    ["Latin-1 text", Buffer.from("id,q\nr1,caf\xe9\n", "latin1"), 2, "byte 0xE9 is not UTF-8"],
    ["UTF-16 with a byte-order mark", Buffer.from("\ufeffid,q\nr1,a\n", "utf16le"), 1, "UTF-16"],
    ["UTF-16 without one", Buffer.from("id,q\nr1,a\n", "utf16le"), 1, "NUL bytes"],
  ])("%s is refused at its first bad byte, not read as U+FFFD", async (_what, bytes, line, message) => {
    const file = path.join(dir, "encoded.csv");
    await writeFile(file, bytes);
    const { rows: got, issues } = await readDataset(file);
    expect(got).toEqual([]);
    expect(issues).toEqual([
      { file, line, column: expect.any(Number), message: expect.stringContaining(message) },
    ]);
    expect(issues[0]!.message).toContain("save the dataset as UTF-8");
  });

  it("refuses a FIFO at once instead of blocking on it for ever", async () => {
    const fifo = path.join(dir, "pipe.csv");
    execFileSync("mkfifo", [fifo]);
    expect(await readDataset(fifo)).toEqual({
      rows: [],
      issues: [{ file: fifo, message: "cannot read dataset: a FIFO (named pipe), not a regular file" }],
    });
  });

  it("refuses a file over the size cap before reading it", async () => {
    const file = path.join(dir, "huge.csv");
    await writeFile(file, "id\n");
    await truncate(file, 257 * 1024 * 1024); // sparse: costs no disk
    const { issues } = await readDataset(file);
    expect(issues).toEqual([{ file, message: expect.stringContaining("over 256 MiB") }]);
  });

  it("reads 200,000 rows in linear time (the per-row line lookup made 40,000 take 399 s)", async () => {
    const parts = ["id,question,label\n"];
    for (let i = 0; i < 200_000; i++) parts.push(`r${i},"What is, the capital of ""${i}""?",l${i % 7}\n`);
    const file = path.join(dir, "big.csv");
    await writeFile(file, parts.join(""));
    const started = performance.now();
    const { rows: got, issues } = await readDataset(file);
    const seconds = (performance.now() - started) / 1000;
    expect(issues).toEqual([]);
    expect(got).toHaveLength(200_000);
    expect(got[199_999]).toEqual({
      line: 200_001,
      values: { id: "r199999", question: 'What is, the capital of "199999"?', label: "l2" },
    });
    // Generous for a loaded 2-core box (about 1 s there); the strict figure is in `npm run bench`.
    expect(seconds).toBeLessThan(30);
  }, 90_000);
});
