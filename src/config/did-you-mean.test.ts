import { describe, expect, it } from "vitest";
import { closestName, editDistance, snakeCase, unknownFieldMessage } from "./did-you-mean.js";

describe("did-you-mean", () => {
  it.each([
    ["abortOnFail", "abort_on_fail"],
    ["delayAbortEval", "delay_abort_eval"],
    ["maxInFlight", "max_in_flight"],
    ["baseURL", "base_url"],
    ["max-tokens", "max_tokens"],
    ["rate", "rate"],
  ])("snakeCase(%s) = %s", (name, snake) => expect(snakeCase(name)).toBe(snake));

  it.each([
    ["kitten", "sitting", 3],
    ["concurency", "concurrency", 1],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("editDistance(%s, %s) = %i", (a, b, d) => expect(editDistance(a, b)).toBe(d));

  const PHASE = ["name", "concurrency", "rate", "duration", "requests", "max_in_flight", "think_time"];
  it.each([
    ["concurency", "concurrency"],
    ["maxInFlight", "max_in_flight"],
    ["thinkTime", "think_time"],
    ["durration", "duration"],
    ["rat", "rate"],
    ["zzz", undefined],
    ["executor", undefined],
  ])("closestName(%s) among a phase's fields is %s", (name, meant) =>
    expect(closestName(name, PHASE)).toBe(meant),
  );

  it("names what another tool's field is called here, before any near name", () => {
    expect(unknownFieldMessage("vus", PHASE)).toBe(
      "unknown field \"vus\": k6's vus are Gauntlet's concurrency: N (users of a closed loop)",
    );
    expect(unknownFieldMessage("providers", ["targets"])).toContain(
      "promptfoo's providers are Gauntlet's targets",
    );
    expect(unknownFieldMessage("concurency", PHASE)).toBe(
      'unknown field "concurency" (did you mean "concurrency"?)',
    );
    expect(unknownFieldMessage("zzz", ["a", "b"])).toBe('unknown field "zzz" (fields here: a, b)');
  });
});
