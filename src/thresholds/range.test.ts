import { describe, expect, it } from "vitest";
import { parseThreshold } from "./parse.js";
import { thresholdRangeProblem } from "./range.js";

describe("thresholds whose limit lies outside what the metric can be", () => {
  it.each<[string, string, string]>([
    ["error_rate", "< -5%", 'error_rate is between 0% and 100%, so "< -5%" can never pass'],
    ["error_rate", "< 0", "can never pass"],
    ["quality.pass_rate", "> 1", 'quality.pass_rate is between 0% and 100%, so "> 1" can never pass'],
    ["quality.pass_rate", ">= 101%", "can never pass"],
    ["error_rate", "< 200%", '"< 200%" always passes and checks nothing'],
    ["ttft.p95", "< 0ms", 'ttft is 0 or more, so "< 0ms" can never pass'],
    ["ttft.p95", "> -5ms", "always passes and checks nothing"],
    ["requests", "== -1", "can never pass"],
    ["compare.pass_rate_delta{candidate:int4}", "> -150pp", "between -100pp and 100pp"],
    ["compare.pass_rate_delta{candidate:int4}", "> 1", "can never pass"],
    ["compare.pass_rate_delta.ci_low{candidate:int4}", "> -101pp", "between -100pp and 100pp"],
    ["compare.p_value", "< 0", 'compare.p_value is between 0 and 1, so "< 0" can never pass'],
    ["compare.p_value", "< 2", "always passes"],
  ])("%s %s", (key, expression, message) => {
    expect(thresholdRangeProblem(parseThreshold(key, expression))).toContain(message);
  });

  it.each<[string, string]>([
    ["error_rate", "< 1%"],
    ["error_rate", "<= 0"],
    ["error_rate", "<= 100%"],
    ["quality.pass_rate", ">= 0"],
    ["quality.pass_rate", "== 1"],
    ["ttft.p95", "< 300ms"],
    ["compare.pass_rate_delta{candidate:int4}", "> -2pp"],
    ["compare.pass_rate_delta.ci_low{candidate:int4}", "> -2pp"],
    ["compare.p_value{candidate:int4}", "< 0.05"],
    ["compare.recovery{candidate:int4}", "> 1.2"],
    ["requests", ">= 100"],
  ])("%s %s can go either way", (key, expression) => {
    expect(thresholdRangeProblem(parseThreshold(key, expression))).toBeUndefined();
  });
});
