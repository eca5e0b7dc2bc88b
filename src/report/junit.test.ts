import { describe, expect, it } from "vitest";
import { validateJunit } from "../../test/helpers/junit-xsd.js";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import { renderJunit } from "./junit.js";

const attrs = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag} ([^>]*?)/?>`, "g"))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );

describe("renderJunit", () => {
  it("has a testsuite per target plus thresholds, a testcase per case and per threshold", async () => {
    const xml = renderJunit(fixtureRun());
    expect(await validateJunit(xml)).toEqual({ valid: true, errors: [] });
    const suites = attrs(xml, "testsuite");
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      ["a", "3", "1", "1"],
      ["b", "1", "0", "0"],
      ["thresholds", "2", "1", "0"],
    ]);
    expect(attrs(xml, "testsuites")[0]).toMatchObject({
      tests: "6",
      failures: "2",
      errors: "1",
      time: "5.500",
    });
    expect(attrs(xml, "testcase").map((c) => c.name)).toEqual([
      "c1",
      "c2",
      "c3",
      "c1@v2",
      "ttft.p95{phase:steady} &lt; 200ms",
      "quality.pass_rate &gt;= 0.9",
    ]);
  });

  it("puts observed vs limit in a failed threshold's message and the assertion in a failed case's", () => {
    const xml = renderJunit(fixtureRun());
    expect(xml).toContain('<failure type="threshold" message="observed 50.00%, limit &gt;= 90.00%">');
    expect(xml).toContain(
      '<failure type="assertion" message="equals: expected &quot;Paris&quot;, got &quot;Lyon&quot;">',
    );
    expect(xml).toContain('<error type="request" message="request failed: timeout: no first token in 60s">');
  });

  it("stays valid whatever a model answers: controls, lone surrogates, markup, huge text", async () => {
    const nasty = `a\u0000b\u0007c\u001b[31m <x> & "q" ]]> \ud800 \udfff 😀 ${"long ".repeat(5000)}`;
    const run = fixtureRun({
      quality: {
        totals: [],
        cases: [
          outcome("a", `id-${nasty.slice(0, 40)}`, {
            output: nasty,
            pass: false,
            score: 0,
            assertions: [{ type: "contains", score: 0, pass: false, reason: nasty }],
          }),
        ],
      },
    });
    const xml = renderJunit(run);
    expect(await validateJunit(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain("😀");
    expect(xml.length).toBeLessThan(20_000);
  });

  it("marks an unreachable target with an error testcase and records an abort", async () => {
    const base = fixtureRun();
    const run = fixtureRun({
      status: "aborted",
      abortedBy: "ttft.p95{phase:steady}",
      targets: [
        {
          ...base.targets[0]!,
          reachable: false,
          unreachableReason: "cannot connect to http://x: ECONNREFUSED",
        },
      ],
      quality: { totals: [], cases: [] },
    });
    const xml = renderJunit(run);
    expect(await validateJunit(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain('<error type="unreachable" message="cannot connect to http://x: ECONNREFUSED">');
    expect(xml).toContain('<property name="status" value="aborted"/>');
    expect(xml).toContain('<property name="aborted_by" value="ttft.p95{phase:steady}"/>');
  });

  it("the validator rejects what the schema forbids (it is not a rubber stamp)", async () => {
    const bad = renderJunit(fixtureRun()).replace(/(<testsuite name="a") tests="\d+"/, "$1");
    const result = await validateJunit(bad);
    expect(result.valid).toBe(false);
    expect(result.errors.join("\n")).toContain("tests");
  });
});
