import { mkdtemp, rm, writeFile } from "node:fs/promises";
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
  ])("reports %s with its line", async (_what, content, expected) => {
    const { file, issues } = await read("bad.jsonl", content);
    expect(issues).toHaveLength(expected.length);
    expected.forEach(([line, message], i) => {
      expect(issues[i]).toMatchObject({ file, line });
      expect(issues[i]!.message).toContain(message);
    });
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
    expect(issues).toEqual([{ file: dir, message: expect.stringMatching(/^cannot read dataset \(E\w+\)$/) }]);
  });
});
