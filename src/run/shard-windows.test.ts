import { describe, expect, it } from "vitest";
import { overlapOf } from "./shard-windows.js";

const w = (startS: number, endS: number) => ({ startUs: startS * 1e6, endUs: endS * 1e6 });

describe("overlapOf", () => {
  it.each<[string, Array<ReturnType<typeof w>>, number | undefined]>([
    ["together", [w(0, 5), w(0, 5)], 1],
    ["one second apart of five", [w(0, 5), w(1, 6)], 4 / 6],
    ["five seconds apart of five", [w(0, 5), w(5, 10)], 0],
    ["7.5 seconds apart", [w(0, 5), w(7.5, 12.5)], 0],
    ["three, one late", [w(0, 10), w(0, 10), w(1, 11)], 9 / 11],
    ["one window", [w(0, 5)], undefined],
  ])("%s", (_name, windows, expected) => {
    if (expected === undefined) expect(overlapOf(windows)).toBeUndefined();
    else expect(overlapOf(windows)).toBeCloseTo(expected, 12);
  });
});
