import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/cli.js";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import { createRedactor, NO_SECRETS } from "../util/redact.js";
import { REPORT_FILES, SUMMARY_MAX_BYTES, writeReports } from "./write-reports.js";

const none = NO_SECRETS;

describe("writeReports", () => {
  it("writes every report, redacted, and prints annotations only on GitHub Actions", async () => {
    const out = await tempDir();
    const run = fixtureRun();
    run.quality.cases.push(
      outcome("a", "secret", { pass: false, score: 0, output: "the key is sk-abcdef123456" }),
    );
    const redact = createRedactor(["sk-abcdef123456"]);
    expect(await writeReports(out, run, { redact, env: {} })).toBe("");
    expect((await readdir(out)).sort()).toEqual([...REPORT_FILES].sort());
    for (const f of REPORT_FILES) {
      const text = await readFile(path.join(out, f), "utf8");
      expect(text, f).not.toContain("sk-abcdef123456");
    }
    expect(await readFile(path.join(out, "review.jsonl"), "utf8")).toContain("the key is ***");
    const annotations = await writeReports(out, run, { redact, env: { GITHUB_ACTIONS: "true" } });
    expect(annotations).toMatch(/^::error file=suites\/fixture\.yaml,title=.*quality\.pass_rate::/);
  });

  it("keeps $GITHUB_STEP_SUMMARY under 1 MiB however much is already there", async () => {
    const out = await tempDir();
    const stepSummary = path.join(out, "..", `${path.basename(out)}-step.md`);
    // A run with enough failed cases and thresholds to make a big summary.
    const run = fixtureRun();
    run.quality.cases = Array.from({ length: 30 }, (_, i) =>
      outcome("a", `c${i}`, { pass: false, score: 0 }),
    );
    run.thresholds = Array.from({ length: 5000 }, (_, i) => ({
      ...run.thresholds[1]!,
      key: `quality.pass_rate${"x".repeat(i % 50)}${i}`,
    }));
    const earlier = "x".repeat(SUMMARY_MAX_BYTES - 50_000) + "\n";
    await writeFile(stepSummary, earlier);
    await writeReports(out, run, { redact: none, env: { GITHUB_STEP_SUMMARY: stepSummary } });
    const size = (await stat(stepSummary)).size;
    expect(size).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(size).toBeGreaterThan(SUMMARY_MAX_BYTES - 50_000 + 1000);
    const appended = (await readFile(stepSummary, "utf8")).slice(earlier.length);
    expect(appended).toContain("## ❌ Gauntlet fixture");
    expect(appended).toContain("The summary was cut to fit its size limit");
    // summary.md itself is cut only at the 1 MiB mark.
    const summary = await readFile(path.join(out, "summary.md"), "utf8");
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(appended.length).toBeLessThan(summary.length);
  });
});
