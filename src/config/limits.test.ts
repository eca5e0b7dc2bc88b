import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatCount, formatLimit, LIMITS, type LimitName } from "./limits.js";

const README = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");

describe("the limits", () => {
  it.each(Object.keys(LIMITS) as LimitName[])("README's limits table has %s as limits.ts says", (name) => {
    const { fields, why } = LIMITS[name];
    expect(README).toContain(`| ${fields} | ${formatLimit(name)} | ${why} |`);
  });

  it("the table has no row limits.ts does not", () => {
    const section = README.slice(README.indexOf("### Limits"), README.indexOf("## Load"));
    const rows = section
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| what") && !l.startsWith("| ---"));
    expect(rows).toHaveLength(Object.keys(LIMITS).length);
  });

  it("durations stay under Node's timer overflow, even doubled into a default time limit", () => {
    expect(2 * LIMITS.duration.max + 30_000).toBeLessThan(2 ** 31 - 1);
  });

  it.each<[number, string]>([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [100_000_000, "100,000,000"],
  ])("formatCount(%d) is %s", (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
});
