import { describe, expect, it } from "vitest";
import { validateJunit } from "../../test/helpers/junit-xsd.js";
import { fixtureRun } from "../../test/helpers/run-fixture.js";
import type { RunHealth } from "../record/health.js";
import type { RunResult } from "../record/run-result.js";
import { renderConsoleSummary } from "./console-summary.js";
import { renderHtml } from "./html.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { verdictLine } from "./verdict-line.js";

const unhealthy: RunHealth = {
  ok: false,
  checked: 3,
  problems: [
    {
      target: "a",
      phase: "quality",
      kind: "no_success",
      requests: 3,
      reason: "no successful request (3 of 3 failed)",
      errors: [
        {
          kind: "http_4xx",
          status: 401,
          count: 3,
          message: "Incorrect API key provided.",
          hint: "the server refused the key: check api_key of target a",
        },
      ],
    },
    {
      target: "a",
      phase: "steady",
      kind: "fail_fast",
      requests: 20,
      reason: "fail_fast: stopped after its first 20 requests all failed with HTTP 401",
      errors: [{ kind: "http_4xx", status: 401, count: 20, message: "Incorrect API key provided." }],
    },
  ],
};

/** A run whose thresholds all passed, so only health can make it fail. */
const passing = (over: Partial<RunResult> = {}) => {
  const run = fixtureRun(over);
  return { ...run, thresholds: run.thresholds.filter((v) => v.pass) };
};

describe("run health in every report", () => {
  const run = passing({ health: unhealthy });

  it("the verdict line says the run could not complete, whatever the thresholds say", () => {
    expect(verdictLine(run)).toEqual({
      ok: false,
      text: "could not complete: 1 phase had no successful request; 1 phase was stopped by fail_fast (exit 3)",
    });
  });

  it("the console names each phase with the server's words and the hint", () => {
    const text = renderConsoleSummary(run, { colorLevel: 0 });
    expect(text).toContain("run health: 1 phase had no successful request; 1 phase was stopped by fail_fast");
    expect(text).toContain("✗ a/quality: no successful request (3 of 3 failed)");
    expect(text).toContain("http_4xx 401 ×3: Incorrect API key provided.");
    expect(text).toContain("hint: the server refused the key: check api_key of target a");
    expect(text).toContain("✗ a/steady: fail_fast: stopped after its first 20 requests");
    expect(text).not.toContain("all thresholds passed");
    expect(text.trimEnd().endsWith("could not complete (exit 3)")).toBe(true);
  });

  it("summary.md (and so report.html) has a run health table after the verdict", () => {
    const md = renderMarkdown(run);
    expect(md.split("\n")[0]).toContain("❌");
    expect(md).toContain("### Run health");
    expect(md).toContain(
      "| a | quality | no successful request (3 of 3 failed) | http_4xx 401 ×3 | Incorrect API key provided. | the server refused the key: check api_key of target a |",
    );
    expect(md.indexOf("### Run health")).toBeLessThan(md.indexOf("### Quality"));
    expect(renderHtml(run)).toContain("<h3>Run health</h3>");
  });

  it("junit.xml has a run health suite with an error per phase, valid against the XSD", async () => {
    const xml = renderJunit(run);
    expect(xml).toContain('<testsuite name="run health" tests="2" failures="0" errors="2"');
    expect(xml).toMatch(
      /<error type="no_success" message="a\/quality: no successful request \(3 of 3 failed\); http_4xx 401 ×3: Incorrect API key provided\.; hint: the server refused the key/,
    );
    expect(xml).toContain('type="fail_fast"');
    const { valid, errors } = await validateJunit(xml);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it("a healthy run passes its health case and keeps its verdict", async () => {
    const healthy = passing({ health: { ok: true, checked: 2, problems: [] } });
    expect(verdictLine(healthy).ok).toBe(true);
    expect(renderMarkdown(healthy)).not.toContain("Run health");
    expect(renderConsoleSummary(healthy, { colorLevel: 0 })).not.toContain("run health");
    const xml = renderJunit(healthy);
    expect(xml).toContain('<testcase name="every phase had a successful request" classname="health"');
    expect((await validateJunit(xml)).valid).toBe(true);
  });
});

describe("skipped thresholds show as skipped, never passed", () => {
  const run = passing({
    skippedThresholds: [
      {
        key: "ttft.p95{phase:steady}",
        expression: "< 500ms",
        reason: '--only quality does not run phase "steady"',
      },
    ],
  });

  it("in the console, the verdict line, summary.md and junit", async () => {
    const text = renderConsoleSummary(run, { colorLevel: 0 });
    expect(text).toContain(
      '– skip  ttft.p95{phase:steady} < 500ms  --only quality does not run phase "steady"',
    );
    expect(text).toContain("all thresholds passed, 1 skipped");
    expect(verdictLine(run).text).toMatch(/^all \d+ thresholds passed, 1 skipped$/);
    expect(renderMarkdown(run)).toContain(
      '| ⏭ skipped | ttft.p95{phase:steady} | &lt; 500ms | - | --only quality does not run phase "steady" |',
    );
    const xml = renderJunit(run);
    expect(xml).toMatch(/<testsuite name="thresholds" tests="\d+" failures="0" errors="0" skipped="1"/);
    expect(xml).toContain('<skipped message="--only quality does not run phase &quot;steady&quot;"/>');
    expect((await validateJunit(xml)).valid).toBe(true);
  });
});

describe("the cache's part", () => {
  it("is stated in summary.md, and a gate resting entirely on cached answers says so", () => {
    const run = passing({
      cache: { mode: "on", answers: 4, of: 4, targets: [{ target: "a", versioned: true }] },
    });
    expect(renderMarkdown(run)).toContain("cache: 4 of 4 quality answers read from the cache, not timed");
    expect(verdictLine(run).text).toMatch(/; every quality answer was read from the cache, none measured$/);
    expect(renderConsoleSummary(run, { colorLevel: 0 })).toContain(
      "every quality answer was read from the cache, none measured",
    );
  });

  it("says off, and why when it was asked for", () => {
    expect(renderMarkdown(passing({ cache: { mode: "off", answers: 0, of: 4, targets: [] } }))).toContain(
      "cache off: every answer measured",
    );
    const ci = passing({
      cache: {
        mode: "off",
        note: "CI=true: never read in CI unless --cache=force",
        answers: 0,
        of: 4,
        targets: [],
      },
    });
    expect(renderConsoleSummary(ci, { colorLevel: 0 })).toContain(
      "cache: off (CI=true: never read in CI unless --cache=force)",
    );
  });

  it("warns when a server says nothing of its model's version", () => {
    const run = passing({
      cache: { mode: "on", answers: 1, of: 4, targets: [{ target: "a", versioned: false }] },
    });
    expect(renderConsoleSummary(run, { colorLevel: 0 })).toContain(
      "a: its server does not say which version of the model it serves",
    );
  });
});
