import { describe, expect, it } from "vitest";
import { createCollector } from "../providers/collect.js";
import { type ResponseRecord } from "../record/response.js";
import type { ProviderEvent } from "../providers/types.js";
import { toSample } from "./sample.js";
import { type RequestSample } from "../record/request-sample.js";

/** The request's scheduled start; every event time below is an offset from it, in µs. */
const START = 1_000_000;
const at = (offsetUs: number) => START + offsetUs;

/** Folds events through the real collector, as a provider would. */
function collect(events: ProviderEvent[]): ResponseRecord {
  const { record, sink } = createCollector();
  for (const e of events) sink(e);
  return record;
}

const text = (offsetUs: number, t = "x", sameChunk?: boolean): ProviderEvent => ({
  type: "content",
  atUs: at(offsetUs),
  kind: "text",
  text: t,
  ...(sameChunk ? { sameChunk } : {}),
});

type Expected = Pick<
  RequestSample,
  | "ttftUs"
  | "e2eUs"
  | "itlGapsUs"
  | "tpotUs"
  | "outputTokens"
  | "outputTokensEstimated"
  | "chunks"
  | "dispatchDelayUs"
  | "ok"
  | "endUs"
>;

describe("toSample (with createCollector)", () => {
  it.each<[string, ProviderEvent[], Expected]>([
    [
      "usage before content: ttft is the first content chunk, e2e the last, trailing usage/finish/end ignored",
      [
        { type: "sent", atUs: at(2) },
        { type: "usage", atUs: at(5), promptTokens: 7 },
        text(50),
        text(80),
        text(120),
        { type: "finish", atUs: at(300), reason: "stop" },
        { type: "usage", atUs: at(400), promptTokens: 7, completionTokens: 3 },
        { type: "end", atUs: at(500) },
      ],
      {
        ttftUs: 50,
        e2eUs: 120,
        itlGapsUs: [30, 40],
        tpotUs: (120 - 50) / 2,
        outputTokens: 3,
        outputTokensEstimated: false,
        chunks: 3,
        dispatchDelayUs: 2,
        ok: true,
        endUs: at(500),
      },
    ],
    [
      "no usage: output tokens come from the client tokenizer over the whole text, marked estimated",
      [
        { type: "sent", atUs: at(0) },
        text(10, "The quick"),
        text(20, " brown fox"),
        text(35, " jumps over the lazy dog"),
        { type: "end", atUs: at(40) },
      ],
      {
        ttftUs: 10,
        e2eUs: 35,
        itlGapsUs: [10, 15],
        tpotUs: 25 / 8,
        outputTokens: 9,
        outputTokensEstimated: true,
        chunks: 3,
        dispatchDelayUs: 0,
        ok: true,
        endUs: at(40),
      },
    ],
    [
      "usage.completionTokens wins over the chunk count and drives tpot",
      [
        { type: "sent", atUs: at(1_000) },
        text(2_000),
        text(6_000),
        { type: "usage", atUs: at(6_500), completionTokens: 5 },
        { type: "end", atUs: at(7_000) },
      ],
      {
        ttftUs: 2_000,
        e2eUs: 6_000,
        itlGapsUs: [4_000],
        tpotUs: 4_000 / 4,
        outputTokens: 5,
        outputTokensEstimated: false,
        chunks: 2,
        dispatchDelayUs: 1_000,
        ok: true,
        endUs: at(7_000),
      },
    ],
    [
      "reasoning + text of one wire chunk (sameChunk) count as one chunk; tool calls count",
      [
        { type: "sent", atUs: at(3) },
        { type: "content", atUs: at(10), kind: "reasoning", text: "Let me think." },
        { type: "content", atUs: at(10), kind: "text", text: "The answer", sameChunk: true },
        text(30, " is 4"),
        { type: "content", atUs: at(45), kind: "tool_call", text: '{"f":1}' },
        { type: "end", atUs: at(60) },
      ],
      {
        ttftUs: 10,
        e2eUs: 45,
        itlGapsUs: [20, 15],
        // Tokenizer over "Let me think." + "The answer is 4" + '{"f":1}'.
        tpotUs: 35 / 12,
        outputTokens: 13,
        outputTokensEstimated: true,
        chunks: 3,
        dispatchDelayUs: 3,
        ok: true,
        endUs: at(60),
      },
    ],
    [
      "two wire chunks in one network read are two chunks with a 0 gap",
      [text(10, "Hello"), text(10, " world"), text(25, "!")],
      {
        ttftUs: 10,
        e2eUs: 25,
        itlGapsUs: [0, 15],
        tpotUs: 15 / 2,
        outputTokens: 3,
        outputTokensEstimated: true,
        chunks: 3,
        dispatchDelayUs: 0,
        ok: true,
        endUs: START,
      },
    ],
    [
      "a word split across chunks is counted once (the tokenizer sees the whole text, not each chunk)",
      [text(10, "Hel"), text(30, "lo wor"), text(60, "ld")],
      {
        ttftUs: 10,
        e2eUs: 60,
        itlGapsUs: [20, 30],
        tpotUs: 50,
        outputTokens: 2,
        outputTokensEstimated: true,
        chunks: 3,
        dispatchDelayUs: 0,
        ok: true,
        endUs: START,
      },
    ],
    [
      "one output token: no tpot, no itl gaps",
      [
        { type: "sent", atUs: at(1) },
        text(40),
        { type: "usage", atUs: at(41), completionTokens: 1 },
        { type: "end", atUs: at(42) },
      ],
      {
        ttftUs: 40,
        e2eUs: 40,
        itlGapsUs: [],
        tpotUs: undefined,
        outputTokens: 1,
        outputTokensEstimated: false,
        chunks: 1,
        dispatchDelayUs: 1,
        ok: true,
        endUs: at(42),
      },
    ],
    [
      "usage says 0 completion tokens: reported, not estimated, no tpot",
      [
        { type: "usage", atUs: at(9), completionTokens: 0 },
        { type: "end", atUs: at(10) },
      ],
      {
        ttftUs: undefined,
        e2eUs: undefined,
        itlGapsUs: [],
        tpotUs: undefined,
        outputTokens: 0,
        outputTokensEstimated: false,
        chunks: 0,
        dispatchDelayUs: 0,
        ok: true,
        endUs: at(10),
      },
    ],
    [
      "HTTP failure before any content",
      [
        { type: "sent", atUs: at(250) },
        { type: "failure", atUs: at(900), kind: "http_5xx", message: "503 Service Unavailable", status: 503 },
        { type: "end", atUs: at(900) },
      ],
      {
        ttftUs: undefined,
        e2eUs: undefined,
        itlGapsUs: [],
        tpotUs: undefined,
        outputTokens: 0,
        outputTokensEstimated: true,
        chunks: 0,
        dispatchDelayUs: 250,
        ok: false,
        endUs: at(900),
      },
    ],
    [
      "stream dropped mid-answer keeps the chunks it got but is not ok",
      [
        { type: "sent", atUs: at(5) },
        text(100, "Once upon"),
        text(300, " a time"),
        { type: "failure", atUs: at(350), kind: "stream_dropped", message: "socket closed" },
        { type: "end", atUs: at(351) },
      ],
      {
        ttftUs: 100,
        e2eUs: 300,
        itlGapsUs: [200],
        tpotUs: 200 / 3,
        outputTokens: 4,
        outputTokensEstimated: true,
        chunks: 2,
        dispatchDelayUs: 5,
        ok: false,
        endUs: at(351),
      },
    ],
    [
      "no end event: the request ends when it was sent",
      [{ type: "sent", atUs: at(70) }],
      {
        ttftUs: undefined,
        e2eUs: undefined,
        itlGapsUs: [],
        tpotUs: undefined,
        outputTokens: 0,
        outputTokensEstimated: true,
        chunks: 0,
        dispatchDelayUs: 70,
        ok: true,
        endUs: at(70),
      },
    ],
    [
      "a send time before the scheduled start clamps dispatch delay to 0",
      [{ type: "sent", atUs: at(-30) }, text(20), { type: "end", atUs: at(25) }],
      {
        ttftUs: 20,
        e2eUs: 20,
        itlGapsUs: [],
        tpotUs: undefined,
        outputTokens: 1,
        outputTokensEstimated: true,
        chunks: 1,
        dispatchDelayUs: 0,
        ok: true,
        endUs: at(25),
      },
    ],
  ])("%s", (_name, events, expected) => {
    const s = toSample(collect(events), START, { target: "t", phase: "p" });
    expect({
      ttftUs: s.ttftUs,
      e2eUs: s.e2eUs,
      itlGapsUs: s.itlGapsUs,
      tpotUs: s.tpotUs,
      outputTokens: s.outputTokens,
      outputTokensEstimated: s.outputTokensEstimated,
      chunks: s.chunks,
      dispatchDelayUs: s.dispatchDelayUs,
      ok: s.ok,
      endUs: s.endUs,
    }).toEqual(expected);
    expect(s.startUs).toBe(START);
    // Invariants of the definitions, whatever the case.
    if (s.ttftUs !== undefined && s.e2eUs !== undefined) {
      expect(s.itlGapsUs.reduce((a, b) => a + b, 0)).toBe(s.e2eUs - s.ttftUs);
      expect(s.itlGapsUs).toHaveLength(s.chunks - 1);
    }
  });

  it.each<[string, ProviderEvent[], RequestSample["failure"]]>([
    [
      "connect",
      [{ type: "failure", atUs: at(1), kind: "connect", message: "ECONNREFUSED" }],
      { kind: "connect", message: "ECONNREFUSED", status: undefined },
    ],
    [
      "http_429 keeps its status",
      [
        {
          type: "failure",
          atUs: at(1),
          kind: "http_429",
          message: "slow down",
          status: 429,
          retryAfterMs: 50,
        },
      ],
      { kind: "http_429", message: "slow down", status: 429 },
    ],
    [
      "the first failure wins over a later one",
      [
        { type: "failure", atUs: at(1), kind: "timeout", message: "first token timeout" },
        { type: "failure", atUs: at(2), kind: "stream_dropped", message: "aborted" },
      ],
      { kind: "timeout", message: "first token timeout", status: undefined },
    ],
  ])("failure %s gives ok=false with its kind", (_name, events, failure) => {
    const s = toSample(collect(events), START, { target: "t", phase: "p" });
    expect(s.ok).toBe(false);
    expect(s.failure).toEqual(failure);
  });

  it.each<[string, { checkUsage?: boolean }, number | undefined]>([
    ["usage only", {}, undefined],
    ["usage checked against the tokenizer", { checkUsage: true }, 4],
  ])("with usage reported: %s", (_name, options, tokenizerTokens) => {
    const record = collect([
      text(10, "Once upon"),
      text(20, " a time"),
      { type: "usage", atUs: at(21), completionTokens: 6 },
    ]);
    const s = toSample(record, START, { target: "t", phase: "p" }, options);
    expect(s.outputTokens).toBe(6);
    expect(s.outputTokensEstimated).toBe(false);
    expect(s.tokenizerTokens).toBe(tokenizerTokens);
  });

  it("carries target, phase, case id, response id, finish reason and prompt tokens", () => {
    const record = collect([
      { type: "response_id", id: "chatcmpl-1" },
      text(10, "hi"),
      { type: "finish", atUs: at(11), reason: "length" },
      { type: "usage", atUs: at(12), promptTokens: 17, completionTokens: 1 },
    ]);
    const s = toSample(record, START, { target: "gpu-a", phase: "steady", caseId: "c1" });
    expect(s).toMatchObject({
      target: "gpu-a",
      phase: "steady",
      caseId: "c1",
      responseId: "chatcmpl-1",
      finishReason: "length",
      inputTokens: 17,
      outputTokens: 1,
    });
  });
});

describe("createCollector", () => {
  it("folds text, reasoning and tool calls apart, and keeps the last usage", () => {
    const record = collect([
      { type: "sent", atUs: 5 },
      { type: "content", atUs: 10, kind: "reasoning", text: "let me " },
      { type: "content", atUs: 10, kind: "text", text: "Hel", sameChunk: true },
      { type: "content", atUs: 20, kind: "reasoning", text: "think" },
      { type: "content", atUs: 30, kind: "text", text: "lo" },
      { type: "content", atUs: 40, kind: "tool_call", text: "call-1" },
      { type: "usage", atUs: 41, promptTokens: 3, completionTokens: 1 },
      { type: "usage", atUs: 42, promptTokens: 3, completionTokens: 4 },
      { type: "end", atUs: 50 },
    ]);
    expect(record).toEqual({
      sentUs: 5,
      firstContentUs: 10,
      lastContentUs: 40,
      contentTimesUs: [10, 20, 30, 40],
      text: "Hello",
      reasoning: "let me think",
      toolCalls: ["call-1"],
      usage: { promptTokens: 3, completionTokens: 4 },
      endUs: 50,
    });
  });
});
