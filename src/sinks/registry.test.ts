import { describe, expect, it } from "vitest";
import { chooseSinks } from "./registry.js";

describe("chooseSinks", () => {
  it.each([
    [{ quiet: false, interactive: true }, ["requests-file", "live-view"]],
    [{ quiet: false, interactive: false }, ["requests-file", "progress-lines"]],
    [{ quiet: true, interactive: true }, ["requests-file"]],
    [{ quiet: true, interactive: false }, ["requests-file"]],
    [{ quiet: true, interactive: false, otlp: true }, ["requests-file", "otlp"]],
    [{ quiet: false, interactive: false, otlp: true }, ["requests-file", "otlp", "progress-lines"]],
  ])("%j → %j", (options, kinds) => {
    expect(chooseSinks(options)).toEqual(kinds);
  });
});
