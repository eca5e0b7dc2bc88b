import { describe, expect, it } from "vitest";
import { familyOf, MAX_SAMPLES, parsePrometheusText, parsePromValue } from "./prometheus-text.js";

describe("the Prometheus text format", () => {
  it("reads samples with labels, escapes, timestamps and every float spelling", () => {
    const body = [
      "# HELP a_total A counter.",
      "# TYPE a_total counter",
      'a_total{path="/v1",note="say \\"hi\\"\\n\\\\ok"} 1.5e+06 1712345678000',
      "# a plain comment",
      "b NaN",
      "c{} +Inf",
      "d -Inf",
      "e\t  -0.25  ",
      'f{x="1",} 3',
      "",
    ].join("\r\n");
    const p = parsePrometheusText(body);
    expect(p.errors).toEqual([]);
    expect(p.types.get("a_total")).toBe("counter");
    expect(p.samples).toEqual([
      { name: "a_total", labels: { path: "/v1", note: 'say "hi"\n\\ok' }, value: 1.5e6 },
      { name: "b", labels: {}, value: Number.NaN },
      { name: "c", labels: {}, value: Number.POSITIVE_INFINITY },
      { name: "d", labels: {}, value: Number.NEGATIVE_INFINITY },
      { name: "e", labels: {}, value: -0.25 },
      { name: "f", labels: { x: "1" }, value: 3 },
    ]);
  });

  it.each([
    ["9abc 1", "expected a metric name"],
    ["a", "no value for a"],
    ["a one", 'value "one" of a is not a number'],
    ["a 1 2 3", "unexpected text after the value of a"],
    ["a 1 1.5", 'timestamp "1.5" is not an integer'],
    ['a{b="1} 2', "unterminated value for label b"],
    ["a{b=1} 2", "expected a quoted value for label b"],
    ['a{b="\\t"} 2', "unknown escape \\t in label b"],
    ['a{b="1" c="2"} 2', "expected , or } after label b"],
    ["# TYPE a meter", 'unknown type "meter" for a'],
  ])("reports %j on its line and reads the rest", (line, message) => {
    const p = parsePrometheusText(`ok 1\n${line}\nok 2`);
    expect(p.errors).toEqual([{ line: 2, message }]);
    expect(p.samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it("reads an HTML error page as nothing, with an error per line", () => {
    const p = parsePrometheusText("<html><body>404 Not Found</body></html>");
    expect(p.samples).toEqual([]);
    expect(p.errors).toHaveLength(1);
  });

  it(`stops at ${MAX_SAMPLES} samples`, () => {
    const p = parsePrometheusText(Array.from({ length: MAX_SAMPLES + 5 }, (_, i) => `m ${i}`).join("\n"));
    expect(p.samples).toHaveLength(MAX_SAMPLES);
    expect(p.errors[0]!.message).toContain("the rest is not read");
  });

  it.each([
    ["1", 1],
    ["-2.5E-3", -0.0025],
    [".5", 0.5],
    ["1e", undefined],
    ["0x10", undefined],
    ["", undefined],
  ])("value %j reads %s", (text, value) => {
    expect(parsePromValue(text)).toBe(value);
  });

  it("names a sample's family from the declared types", () => {
    const types = new Map([
      ["vllm:num_preemptions", "counter" as const],
      ["h", "histogram" as const],
    ]);
    expect(familyOf("vllm:num_preemptions_total", types)).toBe("vllm:num_preemptions");
    expect(familyOf("h_bucket", types)).toBe("h");
    expect(familyOf("other_total", types)).toBe("other_total");
  });
});
