import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../src/record/run-result.js";
import { runCli, tempDir, writeTemp, type CliResult } from "./helpers/cli.js";

// 12 labelled tickets; `answer` is what the simulated model replies (the ground truth of the test).
const ROWS: Array<[string, string, string]> = [
  ["refund", "refund", "r1"],
  ["refund", "refund", "r2"],
  ["refund", "refund", "r3"],
  ["refund", "shipping", "r4"],
  ["refund", "I am not sure", "r5"],
  ["shipping", "shipping", "s1"],
  ["shipping", "Shipping.", "s2"],
  ["shipping", "refund", "s3"],
  ["shipping", "other", "s4"],
  ["other", "other", "o1"],
  ["other", "other", "o2"],
  ["other", "refund", "o3"],
];
const CSV =
  [
    "id,question,label,answer",
    ...ROWS.map(([label, answer, id]) => `${id},Ticket ${id}: please help,${label},${answer}`),
  ].join("\n") + "\n";

const SUITE = `version: 1
name: classify-e2e
targets:
  model:
    provider: sim
    sim: { ttft_ms: 0, itl_ms: 0, answers_from: { file: tickets.csv, match: question, reply: answer } }
prompts:
  classify: "{{question}}"
cases:
  - from: tickets.csv
    prompt: classify
    label: "{{label}}"
    assert: [{ equals: "{{label}}", case: insensitive }]
thresholds:
  "quality.f1{label:refund}": ">= 0.5"
  "quality.macro_f1": ">= 0.7"
  "quality.recall{label:shipping,target:model}": "== 0.5"
`;

describe("a classification suite over a CSV of labelled cases", () => {
  let r: CliResult;
  let run: RunResult;
  beforeAll(async () => {
    const dir = await tempDir();
    await writeTemp(dir, "tickets.csv", CSV);
    const suite = await writeTemp(dir, "suite.yaml", SUITE);
    const out = path.join(dir, "out");
    r = await runCli(["run", suite, "--out", out]);
    run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
  });

  // By hand, rows expected, columns read (labels sorted: other, refund, shipping, then no label):
  //   other    2 1 0 0     ("refund" for o3)
  //   refund   0 3 1 1     ("shipping" for r4, "I am not sure" for r5)
  //   shipping 1 1 2 0     ("Shipping." reads as shipping)
  // other: TP 2 of 3 predicted, 3 expected -> P 2/3, R 2/3, F1 2/3
  // refund: TP 3 of 5 predicted, 5 expected -> P 3/5, R 3/5, F1 3/5
  // shipping: TP 2 of 3 predicted, 4 expected -> P 2/3, R 1/2, F1 4/7
  // macro F1 = (2/3 + 3/5 + 4/7) / 3 = 193/315; micro: TP 7, 11 predicted as a label, 12 expected
  // -> P 7/11, R 7/12, F1 14/23; accuracy 7/12.
  it("reports the confusion matrix and per-label precision, recall and F1", () => {
    const c = run.quality.tasks![0]!.classification!;
    expect(c.labels).toEqual(["other", "refund", "shipping"]);
    expect(c.confusion).toEqual({
      columns: ["other", "refund", "shipping", "(no label)"],
      counts: [
        [2, 1, 0, 0],
        [0, 3, 1, 1],
        [1, 1, 2, 0],
      ],
    });
    const byLabel = Object.fromEntries(c.perLabel.map((s) => [s.label, [s.precision, s.recall, s.f1]]));
    const close = (xs: number[]) => xs.map((x) => expect.closeTo(x, 12));
    expect(byLabel).toEqual({
      other: close([2 / 3, 2 / 3, 2 / 3]),
      refund: close([3 / 5, 3 / 5, 3 / 5]),
      shipping: close([2 / 3, 1 / 2, 4 / 7]),
    });
    expect(c.macro.f1).toBeCloseTo(193 / 315, 12);
    expect(c.micro).toEqual({
      precision: expect.closeTo(7 / 11, 12),
      recall: expect.closeTo(7 / 12, 12),
      f1: expect.closeTo(14 / 23, 12),
    });
    expect(c.accuracy).toBeCloseTo(7 / 12, 12);
  });

  it("evaluates thresholds on the task metrics and fails the run on macro F1 (exit 99)", () => {
    expect(r.code, r.stderr).toBe(99);
    const verdicts = Object.fromEntries(run.thresholds.map((v) => [v.key, [v.pass, v.observed]]));
    expect(verdicts).toEqual({
      "quality.f1{label:refund}": [true, expect.closeTo(0.6, 12)],
      "quality.macro_f1": [false, expect.closeTo(193 / 315, 12)],
      "quality.recall{label:shipping,target:model}": [true, 0.5],
    });
  });

  it("prints the per-label table and the confusion matrix", () => {
    expect(r.stdout).toContain(
      "classification model: 12 labelled, accuracy 58.3%, macro F1 0.613, micro F1 0.609",
    );
    expect(r.stdout).toMatch(/\n\s+refund\s+5\s+5\s+0\.600\s+0\.600\s+0\.600\n/);
    expect(r.stdout).toMatch(/\n\s+shipping\s+4\s+3\s+0\.667\s+0\.500\s+0\.571\n/);
    expect(r.stdout).toMatch(/expected \\ output\s+other\s+refund\s+shipping\s+\(no label\)/);
    expect(r.stdout).toMatch(/\n\s+refund\s+0\s+3\s+1\s+1\n/);
  });
});

describe("an extraction suite over JSONL: set precision and recall against expected items", () => {
  const rows = [
    { id: "e1", question: "Item e1: which cities?", cities: "Paris|Rome|Oslo", answer: "Paris, Rome" },
    { id: "e2", question: "Item e2: which cities?", cities: "Lima", answer: '["Lima", "Quito"]' },
    { id: "e3", question: "Item e3: which cities?", cities: "Kyiv|Minsk", answer: "none" },
  ];
  let r: CliResult;
  let run: RunResult;
  beforeAll(async () => {
    const dir = await tempDir();
    await writeTemp(dir, "items.jsonl", rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: extract-e2e
targets:
  model:
    provider: sim
    sim: { ttft_ms: 0, itl_ms: 0, answers_from: { file: items.jsonl, match: question, reply: answer } }
prompts:
  extract: "{{question}}"
cases:
  - from: items.jsonl
    prompt: extract
    expected: "{{cities}}"
thresholds:
  "quality.set_recall": ">= 0.5"
  "quality.set_precision": "> 0.7"
`,
    );
    const out = path.join(dir, "out");
    r = await runCli(["run", suite, "--out", out]);
    run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8")) as RunResult;
  });

  // By hand: e1 2 of 2 right, 2 of 3 found; e2 1 of 2 right, 1 of 1 found; e3 0 of 1, 0 of 2.
  // Pooled: 3 matched of 5 predicted and 6 expected -> P 3/5, R 1/2, F1 6/11. Per-case means:
  // P (1 + 1/2 + 0)/3 = 1/2, R (2/3 + 1 + 0)/3 = 5/9, F1 (4/5 + 2/3 + 0)/3 = 22/45.
  it("pools matched, predicted and expected items, and averages per case", () => {
    const x = run.quality.tasks![0]!.extraction!;
    const close = (v: number) => expect.closeTo(v, 12);
    expect(x).toEqual({
      cases: 3,
      micro: { precision: close(3 / 5), recall: close(1 / 2), f1: close(6 / 11) },
      macro: { precision: close(1 / 2), recall: close(5 / 9), f1: close(22 / 45) },
    });
    expect(r.code, r.stderr).toBe(99);
    expect(run.thresholds.map((v) => [v.key, v.pass])).toEqual([
      ["quality.set_recall", true],
      ["quality.set_precision", false],
    ]);
    expect(r.stdout).toContain(
      "extraction model: 3 cases, set precision 0.600, recall 0.500, F1 0.545 (pooled; per-case mean F1 0.489)",
    );
  });
});
