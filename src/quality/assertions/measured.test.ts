import { describe, expect, it } from "vitest";
import { bareContext, runAssertion } from "../assertions.js";
import { planAssertion } from "../../../test/helpers/plan-assertion.js";
import { firstNumber } from "./measured.js";

const ctx = bareContext();

describe("firstNumber", () => {
  it.each<[string, number | undefined]>([
    ["42", 42],
    ["The answer is 42.", 42],
    ["-3.5 degrees", -3.5],
    ["costs 1,234.50 dollars", 1234.5],
    ["1e3 items", 1000],
    ["pi is about .5 of something", 0.5],
    ["COVID-19 cases: 3", 19],
    ["\u22127 below", -7],
    ["no digits here", undefined],
    ["", undefined],
    ["答えは 42 です", 42],
  ])("%j → %s", (text, n) => {
    expect(firstNumber(text)).toBe(n);
  });
});

describe("number", () => {
  it.each<[string, string, number, { tolerance?: number; relativeTolerance?: number }, boolean]>([
    ["exact", "42", 42, {}, true],
    ["exact, off by one", "43", 42, {}, false],
    ["float noise within slack", String(0.1 + 0.2), 0.3, {}, true],
    ["absolute tolerance", "3.14", 3.14159, { tolerance: 0.01 }, true],
    ["absolute tolerance exceeded", "3.2", 3.14159, { tolerance: 0.01 }, false],
    ["relative tolerance 5% of 200", "209", 200, { relativeTolerance: 0.05 }, true],
    ["relative tolerance exceeded", "211", 200, { relativeTolerance: 0.05 }, false],
    ["the larger of the two tolerances", "205", 200, { tolerance: 1, relativeTolerance: 0.05 }, true],
    ["first number counts, not the last", "between 10 and 42", 42, {}, false],
    ["empty output", "", 42, {}, false],
  ])("%s", async (_name, output, expected, options, pass) => {
    const r = await runAssertion(output, planAssertion("number", expected, options), ctx);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(output === "" ? /no number/ : /found .*, expected/);
  });

  it("a 1 MB output with the number at the end", async () => {
    const r = await runAssertion("x".repeat(1_000_000) + " 7", planAssertion("number", 7), ctx);
    expect(r.pass).toBe(true);
  });
});

describe("latency", () => {
  const measured = bareContext({ ttftMs: 120, e2eMs: 900 });
  it.each<[string, { ttftMs?: number; e2eMs?: number }, boolean, RegExp]>([
    ["e2e under", { e2eMs: 1000 }, true, /e2e 900 ms <= 1000 ms/],
    ["e2e over", { e2eMs: 800 }, false, /e2e 900 ms > 800 ms/],
    [
      "ttft under, e2e over",
      { ttftMs: 200, e2eMs: 800 },
      false,
      /ttft 120 ms <= 200 ms, e2e 900 ms > 800 ms/,
    ],
    ["both under", { ttftMs: 200, e2eMs: 1000 }, true, /ttft.*e2e/],
    ["equal to the limit passes", { ttftMs: 120 }, true, /<=/],
  ])("%s", async (_name, limits, pass, reason) => {
    const r = await runAssertion("", planAssertion("latency", null, limits), measured);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(reason);
  });

  it("nothing measured (a cached or non-streamed answer) fails, never passes on nothing", async () => {
    const r = await runAssertion(
      "x",
      planAssertion("latency", null, { ttftMs: 100 }),
      bareContext({ e2eMs: 5 }),
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/no ttft measured/);
  });
});

describe("cost", () => {
  it.each<[string, number | undefined, number, boolean, RegExp]>([
    ["under", 0.0004, 0.001, true, /cost \$0.000400 <= \$0.001/],
    ["over", 0.002, 0.001, false, /> \$0.001/],
    ["no pricing", undefined, 0.001, false, /no token pricing/],
  ])("%s", async (_name, costUsd, limit, pass, reason) => {
    const c = bareContext(costUsd === undefined ? {} : { costUsd });
    const r = await runAssertion("", planAssertion("cost", limit), c);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(reason);
  });
});
