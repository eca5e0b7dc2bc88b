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
