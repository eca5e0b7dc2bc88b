import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import { csvField, renderCasesCsv } from "./cases-csv.js";

const rows = (csv: string) => parse(csv, { columns: true }) as Array<Record<string, string>>;

describe("renderCasesCsv", () => {
  it("writes one row per case and target that a CSV reader reads back exactly", () => {
    const csv = renderCasesCsv(fixtureRun());
    const read = rows(csv);
    expect(read.map((r) => [r.target, r.case, r.prompt_version, r.status, r.pass])).toEqual([
      ["a", "c1", "1", "passed", "true"],
      ["a", "c2", "1", "failed", "false"],
      ["a", "c3", "1", "error", "false"],
      ["b", "c1", "2", "passed", "true"],
    ]);
    expect(read[1]).toMatchObject({
      score: "0",
      ttft_ms: "12",
      e2e_ms: "42",
      output_tokens: "4",
      reason: 'equals: expected "Paris", got "Lyon"',
      output: "Lyon | <b>bold</b>\nsecond line",
    });
    expect(read[2]).toMatchObject({
      score: "",
      output: "",
      reason: "request failed: timeout: no first token in 60s",
    });
    // A formula-looking answer is defused for spreadsheets.
    expect(read[3]!.output).toBe("'=cmd()");
  });

  it("prices a case from its tokens when the target is token-priced", () => {
    const run = fixtureRun();
    const priced: CaseOutcome = {
      ...outcome("a", "c1", { outputTokens: 1000 }),
      inputTokens: 2000,
    };
    run.quality.cases = [priced];
    // a: $1/Mtok in, $2/Mtok out: 2000 * 1e-6 + 1000 * 2e-6.
    expect(rows(renderCasesCsv(run))[0]!.cost_usd).toBe("0.004");
    // Without the prompt's token count the cost is unknown, not understated.
    run.quality.cases = [outcome("a", "c1")];
    expect(rows(renderCasesCsv(run))[0]!.cost_usd).toBe("");
  });

  it("writes a header alone when there are no cases", () => {
    expect(renderCasesCsv(fixtureRun({ quality: { totals: [], cases: [] } })).split("\r\n")).toEqual([
      "target,case,prompt,prompt_version,attempt,status,pass,score,ttft_ms,e2e_ms,input_tokens,output_tokens,cost_usd,cached,reason,output",
      "",
    ]);
  });

  it.each<[string | number | undefined, boolean, string]>([
    ["plain", true, "plain"],
    ["a,b", true, '"a,b"'],
    ['say "hi"', true, '"say ""hi"""'],
    ["two\nlines", true, '"two\nlines"'],
    ["=1+1", true, "'=1+1"],
    ["@SUM(A1)", true, "'@SUM(A1)"],
    [-5, false, "-5"],
    [undefined, false, ""],
  ])("csvField(%j)", (value, text, expected) => expect(csvField(value, text)).toBe(expected));
});
