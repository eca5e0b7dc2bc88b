import { describe, expect, it } from "vitest";
import { chooseCache, isCi } from "./cache-choice.js";

describe("chooseCache: the cache serves iteration, never the gate", () => {
  it.each<[string, boolean | string | undefined, boolean, NodeJS.ProcessEnv, string, boolean]>([
    ["off by default", undefined, false, {}, "off", false],
    ["--cache opts in", true, false, {}, "on", false],
    ["quality.cache: true opts in", undefined, true, {}, "on", false],
    ["--no-cache beats the suite", false, true, {}, "off", false],
    ["under CI=true, --cache is not read", true, false, { CI: "true" }, "off", true],
    ["under CI=true, quality.cache is not read", undefined, true, { CI: "true" }, "off", true],
    ["--cache=force reads it under CI", "force", false, { CI: "true" }, "force", false],
    ["--cache=force outside CI", "force", false, {}, "force", false],
    ["CI=false is not CI", true, false, { CI: "false" }, "on", false],
  ])("%s", (_name, flag, suiteAsks, env, mode, noted) => {
    const choice = chooseCache(flag, suiteAsks, env);
    expect(choice.mode).toBe(mode);
    expect(choice.note !== undefined).toBe(noted);
  });

  it("names what was not read under CI and how to force it", () => {
    expect(chooseCache(true, false, { CI: "1" }).note).toBe(
      "--cache is not read under CI=true: a gate is measured; --cache=force reads it",
    );
  });

  it("a value other than force is a usage error (the suite taken as --cache's value)", () => {
    expect(() => chooseCache("suites/quickstart.yaml", false, {})).toThrow(
      "--cache takes no value but force, got suites/quickstart.yaml",
    );
  });

  it.each([
    ["true", true],
    ["1", true],
    ["", false],
    ["0", false],
    ["FALSE", false],
  ])("CI=%j is CI: %s", (value, ci) => {
    expect(isCi({ CI: value })).toBe(ci);
  });
});
