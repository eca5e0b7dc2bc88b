import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bareContext, runAssertion } from "../assertions.js";
import { planAssertion } from "../../../test/helpers/plan-assertion.js";
import { verdictFrom } from "./javascript.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-js-"));
  await writeFile(
    path.join(dir, "checks.mjs"),
    [
      "export default (output) => output.includes('Paris');",
      "export const score = (output) => output.length / 10;",
      "export const full = (output, ctx) => ({ pass: output === ctx.vars.expected, score: 0.25, reason: `case ${ctx.case.id} on ${ctx.target}` });",
      "export const slowly = async (output) => { await new Promise((r) => setTimeout(r, 20)); return output === 'ok'; };",
      "export const throws = () => { throw new Error('boom'); };",
      "export const odd = () => 'yes';",
      "export const notAFunction = 42;",
      "export const spins = () => { while (true) {} };",
      "export const hangs = () => new Promise(() => {});",
      "export const aFunction = () => () => 1;",
      "export const spinsThenOk = (output) => { if (output === 'spin') while (true) {} return true; };",
    ].join("\n"),
  );
});

const js = (exportName: string, options = {}) =>
  planAssertion("javascript", `checks.mjs#${exportName}`, {
    file: path.join(dir, "checks.mjs"),
    exportName,
    ...options,
  });
const ctx = bareContext({ caseId: "capital-1", target: "int4", vars: { expected: "Paris" } });

describe("javascript", () => {
  it.each<[string, string, string, number, boolean, RegExp]>([
    ["default export, boolean true", "default", "in Paris", 1, true, /returned true/],
    ["default export, boolean false", "default", "in Lyon", 0, false, /returned false/],
    ["a number, graded against 0.5", "score", "12345678", 0.8, true, /scored 0.800 >= 0.5/],
    ["a number below 0.5", "score", "123", 0.3, false, /scored 0.300 < 0.5/],
    ["an object gets output, vars, case and target", "full", "Paris", 0.25, true, /^case capital-1 on int4$/],
    ["an async function", "slowly", "ok", 1, true, /returned true/],
    ["a thrown error fails the assertion", "throws", "x", 0, false, /^error: boom$/],
    ["an unusable result", "odd", "x", 0, false, /expected a boolean, a number or/],
    [
      "an export that is not a function",
      "notAFunction",
      "x",
      0,
      false,
      /no exported function "notAFunction"/,
    ],
    ["a missing export", "nope", "x", 0, false, /no exported function "nope"/],
    ["empty output", "default", "", 0, false, /returned false/],
    ["unicode output", "full", "東京", 0.25, false, /case capital-1/],
  ])("%s", async (_name, exportName, output, score, pass, reason) => {
    const r = await runAssertion(output, js(exportName), ctx);
    expect(r.score).toBeCloseTo(score, 12);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(reason);
  });

  it.each<[string, string]>([
    ["a synchronous endless loop", "spins"],
    ["a promise that never settles", "hangs"],
  ])("%s fails its case at the time limit, and the next call runs", async (_what, exportName) => {
    const started = performance.now();
    const r = await runAssertion("x", js(exportName, { timeoutMs: 300 }), ctx);
    expect(r.pass).toBe(false);
    expect(r.reason).toBe(
      `checks.mjs#${exportName} ran longer than its time limit of 300ms and was stopped (set timeout: on the assertion to allow more)`,
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await runAssertion("in Paris", js("default"), ctx)).pass).toBe(true);
  });

  it("runaway calls do not hold up the others: each has its own limit from when a worker takes it", async () => {
    const results = await Promise.all(
      ["spin", "ok", "spin", "ok", "ok"].map((o) =>
        runAssertion(o, js("spinsThenOk", { timeoutMs: 300 }), ctx),
      ),
    );
    expect(results.map((r) => r.pass)).toEqual([false, true, false, true, true]);
  });

  it("an interrupted run stops a running function at once", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = runAssertion("x", js("spins", { timeoutMs: 60_000 }), {
      ...ctx,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const r = await pending;
    expect(r.reason).toBe("checks.mjs#spins was stopped: the run was interrupted");
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a result that cannot be passed back fails with a reason", async () => {
    const r = await runAssertion("x", js("aFunction"), ctx);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/^error: returned a value that cannot be passed back/);
  });

  it("a trivial function costs a message round trip, not a thread start", async () => {
    await runAssertion("in Paris", js("default"), ctx); // workers started, module imported
    const calls = 500;
    const started = performance.now();
    for (let i = 0; i < calls; i++) await runAssertion("in Paris", js("default"), ctx);
    const perCallMs = (performance.now() - started) / calls;
    // About 0.1 ms on an idle machine; a thread start costs tens of ms. Generous for a busy box.
    expect(perCallMs).toBeLessThan(10);
  });

  it("a threshold applies to numbers", async () => {
    expect((await runAssertion("123", js("score", { threshold: 0.3 }), ctx)).pass).toBe(true);
  });

  it("a 1 MB output is passed whole", async () => {
    const r = await runAssertion("x".repeat(1_000_000), js("score"), ctx);
    expect(r.score).toBe(1);
  });

  it.each<[unknown, boolean, number]>([
    [true, true, 1],
    [0.7, true, 0.7],
    [{ pass: false }, false, 0],
    [{ score: 2 }, true, 1],
    [{ score: 0.2 }, false, 0.2],
    [null, false, 0],
    [Number.NaN, false, 0],
  ])("verdictFrom(%j)", (result, pass, score) => {
    const v = verdictFrom(result, undefined, "f");
    expect(v.pass).toBe(pass);
    expect(v.score).toBeCloseTo(score, 12);
  });
});
