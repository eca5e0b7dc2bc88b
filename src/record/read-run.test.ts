import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { renderRunJson } from "../report/run-json.js";
import { fixtureRun } from "../../test/helpers/run-fixture.js";
import { readRun } from "./read-run.js";

const LEGACY = path.resolve(import.meta.dirname, "../../test/fixtures/saved-runs");

async function written(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), "gauntlet-read-run-")), "run.json");
  await writeFile(file, text);
  return file;
}

const asJson = () => JSON.parse(renderRunJson(fixtureRun())) as Record<string, unknown>;

describe("readRun", () => {
  it("reads a run as run.json writes it (NaN as null)", async () => {
    const run = await readRun(await written(renderRunJson(fixtureRun())));
    expect(run.quality.cases).toHaveLength(fixtureRun().quality.cases.length);
    expect(run.thresholds.map((v) => v.key)).toEqual(fixtureRun().thresholds.map((v) => v.key));
  });

  it.each([
    // The first run.json with a schema: no summaries, no timeline, no comparisons' extras.
    ["legacy-769f0fd.json", 2],
    // Made with --baseline before verdicts kept their definition: keys like "baseline compare...".
    ["legacy-baseline-20600b1.json", 5],
  ])("reads %s, written by an earlier version", async (name, verdicts) => {
    const run = await readRun(path.join(LEGACY, name));
    expect(run.schemaVersion).toBe(1);
    expect(run.thresholds).toHaveLength(verdicts);
    expect(run.phases.length).toBeGreaterThan(0);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ["a missing file", async () => "/nonexistent/run.json", /^\/nonexistent\/run\.json: cannot read a run/],
    ["text that is not JSON", () => written("{ not json"), /run\.json: cannot read a run/],
    [
      "another schema version",
      () => written(JSON.stringify({ ...asJson(), schemaVersion: 2 })),
      /run\.json: not a run\.json of schema version 1 \(found 2\)/,
    ],
    [
      "a JSON array",
      () => written("[]"),
      /run\.json: not a valid run\.json \(run\.schema\.json\): \/: must be object/,
    ],
    [
      "a case without its verdict",
      async () => {
        const run = asJson();
        delete (run.quality as { cases: Array<Record<string, unknown>> }).cases[0]!.pass;
        return written(JSON.stringify(run));
      },
      /run\.json: not a valid run\.json \(run\.schema\.json\): \/quality\/cases\/0: must have required property 'pass'/,
    ],
  ])("rejects %s with a usage error naming the file", async (_name, make, message) => {
    const file = await make();
    const err = await readRun(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(message);
    expect((err as UsageError).exitCode).toBe(2);
  });
});
