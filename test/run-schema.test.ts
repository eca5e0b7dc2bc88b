import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { summarizePhase } from "../src/metrics/aggregate.js";
import { renderRunJson } from "../src/report/run-json.js";
import { figuresOf, judge } from "../src/thresholds/judge.js";
import { parseThreshold } from "../src/thresholds/parse.js";
import { ROOT } from "./helpers/cli.js";
import { fixtureRun } from "./helpers/run-fixture.js";

const schema = JSON.parse(await readFile(path.join(ROOT, "run.schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const asJson = () => JSON.parse(renderRunJson(fixtureRun())) as Record<string, unknown>;

describe("run.schema.json", () => {
  it("accepts a run as run.json writes it (NaN as null)", () => {
    const run = asJson();
    (run.quality as { totals: Array<{ passRate: unknown }> }).totals[0]!.passRate = null;
    expect(validate(run), JSON.stringify(validate.errors)).toBe(true);
  });

  it("accepts verdicts with their threshold and source, as judge writes them", () => {
    const run = asJson();
    run.thresholds = judge(
      [parseThreshold("ttft.p95{phase:steady}", "< 200ms", { abortOnFail: true, delayAbortEvalMs: 1000 })],
      figuresOf(fixtureRun()),
      "baseline",
    );
    expect(validate(JSON.parse(JSON.stringify(run))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("accepts run health, the cache's use and skipped thresholds", () => {
    const run = asJson();
    run.health = {
      ok: false,
      checked: 2,
      problems: [
        {
          target: "a",
          phase: "steady",
          kind: "fail_fast",
          requests: 20,
          reason: "fail_fast: stopped after its first 20 requests all failed with HTTP 401",
          errors: [{ kind: "http_4xx", status: 401, count: 20, message: "bad key", hint: "check api_key" }],
        },
      ],
    };
    run.cache = {
      mode: "on",
      answers: 2,
      of: 4,
      targets: [{ target: "a", versioned: true, identity: { id: "m", created: 1_700_000_000 } }],
    };
    run.skippedThresholds = [{ key: "ttft.p95", expression: "< 1s", reason: "--only quality" }];
    expect(validate(run), JSON.stringify(validate.errors)).toBe(true);
    (run.health as { problems: Array<{ kind: string }> }).problems[0]!.kind = "broken";
    expect(validate(run)).toBe(false);
  });

  it("writes each phase's derived figures beside its aggregate, as summarizePhase reads them", () => {
    const run = fixtureRun();
    const json = asJson() as { summaries: Array<Record<string, unknown>> };
    expect(json.summaries).toHaveLength(run.phases.length);
    run.phases.forEach((p, i) => {
      const expected = summarizePhase(p, run.targets.find((t) => t.name === p.target)?.economics);
      // Through JSON: NaN (no samples) is written as null.
      expect(json.summaries[i]).toEqual(
        JSON.parse(
          JSON.stringify(expected, (_k, v: unknown) =>
            typeof v === "number" && !Number.isFinite(v) ? null : v,
          ),
        ),
      );
      expect(json.summaries[i]!.requests).toBe(p.requests);
    });
    const load = json.summaries[1] as { latencyMs: { ttft: { count: number } }; requestThroughput: number };
    expect(load.latencyMs.ttft.count).toBeGreaterThan(0);
    expect(load.requestThroughput).toBeGreaterThan(0);
  });

  it.each<[string, (run: Record<string, unknown>) => void, string]>([
    ["an unknown status", (r) => (r.status = "done"), "/status"],
    ["a missing field", (r) => delete r.thresholds, "thresholds"],
    ["another schema version", (r) => (r.schemaVersion = 2), "/schemaVersion"],
    [
      "a text where a count goes",
      (r) => ((r.phases as Array<Record<string, unknown>>)[0]!.requests = "3"),
      "/phases/0/requests",
    ],
    [
      "a case without its verdict",
      (r) => delete (r.quality as { cases: Array<Record<string, unknown>> }).cases[0]!.pass,
      "/quality/cases/0",
    ],
    [
      "a verdict with an unknown unit",
      (r) => ((r.thresholds as Array<Record<string, unknown>>)[0]!.unit = "furlongs"),
      "/thresholds/0/unit",
    ],
    ["a local timestamp", (r) => (r.startedAt = "2026-11-24 10:30"), "/startedAt"],
    [
      "a verdict from nowhere",
      (r) => ((r.thresholds as Array<Record<string, unknown>>)[0]!.source = "elsewhere"),
      "/thresholds/0/source",
    ],
    [
      "a verdict's threshold without its operator",
      (r) =>
        ((r.thresholds as Array<Record<string, unknown>>)[0]!.threshold = {
          metric: "ttft",
          tags: {},
          limit: 1,
        }),
      "/thresholds/0/threshold",
    ],
  ])("rejects %s", (_name, breakIt, where) => {
    const run = asJson();
    breakIt(run);
    expect(validate(run)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain(where);
  });
});
