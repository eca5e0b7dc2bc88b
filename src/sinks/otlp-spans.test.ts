import { describe, expect, it } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { createRedactor } from "../util/redact.js";
import { hrTimeOfUs } from "./otlp-export.js";
import { requestSpan } from "./otlp-spans.js";

const sample = (over: Partial<RequestSample> = {}): RequestSample => ({
  target: "t",
  phase: "steady",
  requestId: "r-1",
  startUs: 1_700_000_000_123_456.5,
  dispatchDelayUs: 250,
  ttftUs: 40_000,
  e2eUs: 290_000,
  itlGapsUs: [8_000],
  outputTokens: 32,
  outputTokensEstimated: false,
  inputTokens: 12,
  chunks: 32,
  ok: true,
  finishReason: "stop",
  endUs: 1_700_000_000_123_456.5 + 291_000,
  ...over,
});

describe("requestSpan", () => {
  const redact = createRedactor(["sk-live-abcdef123456"]);

  it("names the span by operation and model and carries the GenAI usage attributes", () => {
    const s = requestSpan(sample(), { provider: "anthropic", model: "claude-x" }, {}, redact);
    expect(s.name).toBe("chat claude-x");
    expect(s.attributes["gen_ai.provider.name"]).toBe("anthropic");
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBe(12);
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBe(32);
    expect(s.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(s.attributes["gauntlet.ttft_ms"]).toBe(40);
    expect(s.attributes["gauntlet.dispatch_delay_ms"]).toBe(0.25);
    expect(s.events).toEqual([{ name: "first_token", atUs: sample().startUs + 40_000 }]);
    expect(s.error).toBeUndefined();
  });

  it("uses the completion operation for text-completion wire formats", () => {
    expect(requestSpan(sample(), { provider: "tgi", model: "m" }, {}, redact).name).toBe("text_completion m");
  });

  it("turns a failure into an error status whose message is redacted", () => {
    const failed = sample({
      ok: false,
      ttftUs: undefined,
      e2eUs: undefined,
      failure: { kind: "http_4xx", status: 401, message: "bad key sk-live-abcdef123456" },
    });
    const s = requestSpan(failed, { provider: "openai-chat", model: "m" }, {}, redact);
    expect(s.error).toBe("http_4xx: bad key ***");
    expect(s.attributes["error.type"]).toBe("http_4xx");
    expect(s.attributes["http.response.status_code"]).toBe(401);
    expect(s.events).toEqual([]);
    expect(JSON.stringify(s)).not.toContain("abcdef");
  });

  it("never ends a span before it starts (a request cut off before its first byte)", () => {
    const s = requestSpan(sample({ endUs: 5 }), { provider: "sim", model: "m" }, {}, redact);
    expect(s.endUs).toBe(s.startUs);
  });
});

describe("hrTimeOfUs", () => {
  it("splits epoch microseconds into seconds and nanoseconds exactly", () => {
    expect(hrTimeOfUs(1_700_000_000_123_456.5)).toEqual([1_700_000_000, 123_456_500]);
    expect(hrTimeOfUs(2_000_000)).toEqual([2, 0]);
  });
});
