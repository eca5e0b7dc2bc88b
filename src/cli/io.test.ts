import { describe, expect, it } from "vitest";
import { fixtureRun } from "../../test/helpers/run-fixture.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import { UsageError } from "../errors.js";
import { colorLevel, defaultOutDir, suiteEnv } from "./io.js";

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe("colorLevel", () => {
  it.each<[NodeJS.ProcessEnv, NodeJS.WriteStream, number]>([
    [{}, tty, 1],
    [{}, pipe, 0],
    [{ NO_COLOR: "1" }, tty, 0],
    [{ NO_COLOR: "1", FORCE_COLOR: "3" }, tty, 0],
    [{ NO_COLOR: "" }, tty, 1],
    [{ FORCE_COLOR: "1" }, pipe, 1],
    [{ FORCE_COLOR: "" }, pipe, 1],
    [{ FORCE_COLOR: "true" }, pipe, 1],
    [{ FORCE_COLOR: "2" }, pipe, 2],
    [{ FORCE_COLOR: "3" }, pipe, 3],
    [{ FORCE_COLOR: "0" }, tty, 0],
    [{ FORCE_COLOR: "9" }, pipe, 1],
  ])("%j on a %s stream", (env, stream, level) => {
    expect(colorLevel(env, stream)).toBe(level);
  });

  it("the console summary has ANSI colours only when the level asks for them", () => {
    const run = fixtureRun();
    // eslint-disable-next-line no-control-regex -- looking for ANSI escapes is the point
    const ansi = /\u001b\[/;
    expect(renderConsoleSummary(run, { colorLevel: 0 })).not.toMatch(ansi);
    const coloured = renderConsoleSummary(run, { colorLevel: 1 });
    expect(coloured).toMatch(ansi);
    expect(coloured).toContain("1 threshold(s) failed");
  });

  it("names the default report folder by UTC time", () => {
    expect(defaultOutDir(new Date("2026-11-24T10:30:00.123Z"))).toBe("runs/2026-11-24T10-30-00Z");
  });
});

describe("suiteEnv (--var NAME=value)", () => {
  it("lays each --var over the environment, the last one winning, without touching the original", () => {
    const env = { HOME: "/root", DEGRADE: "0.08" };
    expect(suiteEnv(["DEGRADE=0.01", "URL=http://h:1/v1?a=b", "DEGRADE=0.02", "EMPTY="], env)).toEqual({
      HOME: "/root",
      DEGRADE: "0.02",
      URL: "http://h:1/v1?a=b",
      EMPTY: "",
    });
    expect(env.DEGRADE).toBe("0.08");
    expect(suiteEnv(undefined, env)).toEqual(env);
  });

  it.each(["DEGRADE", "=x", "1X=2", "A-B=1"])("refuses %j as a usage error (exit 2)", (entry) => {
    expect(() => suiteEnv([entry], {})).toThrow(UsageError);
  });
});
