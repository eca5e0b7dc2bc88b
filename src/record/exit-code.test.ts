import { describe, expect, it } from "vitest";
import { ExitCode } from "../errors.js";
import { exitCodeOf, type Outcome } from "./exit-code.js";

const pass = { pass: true };
const fail = { pass: false };

describe("exitCodeOf: one mapping for run, merge, compare and probe", () => {
  it.each<[string, Outcome, number]>([
    ["every threshold passed", { status: "completed", verdicts: [pass, pass] }, ExitCode.ok],
    ["nothing to judge", { status: "completed", verdicts: [] }, ExitCode.ok],
    ["a threshold failed", { status: "completed", verdicts: [pass, fail] }, ExitCode.thresholdFailed],
    [
      "a phase without a successful request, even with no threshold",
      { status: "completed", verdicts: [], health: { ok: false } },
      ExitCode.incomplete,
    ],
    [
      "unhealthy outranks a failed threshold",
      { status: "completed", verdicts: [fail], health: { ok: false } },
      ExitCode.incomplete,
    ],
    ["healthy and passed", { status: "completed", verdicts: [pass], health: { ok: true } }, ExitCode.ok],
    ["no target reachable", { status: "unreachable", verdicts: [] }, ExitCode.incomplete],
    ["aborted by abort_on_fail", { status: "aborted", verdicts: [fail] }, ExitCode.incomplete],
    [
      "interrupted, even with failed thresholds",
      { status: "interrupted", verdicts: [fail], health: { ok: false } },
      ExitCode.interrupted,
    ],
  ])("%s: %j exits %i", (_name, outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });

  it("uses the README's codes", () => {
    expect(ExitCode).toEqual({ ok: 0, invalid: 2, incomplete: 3, thresholdFailed: 99, interrupted: 130 });
  });
});
