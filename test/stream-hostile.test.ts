import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_NDJSON_LIMITS } from "../src/providers/ndjson-parser.js";
import { DEFAULT_SSE_LIMITS } from "../src/providers/sse-parser.js";
import { MAX_JSON_BODY_CHARS, MAX_STREAM_CONTENT } from "../src/providers/wire.js";
import {
  DECODER_NAMES,
  DECODERS,
  kindOf,
  normalise,
  replay,
  survive,
  type DecoderName,
} from "./helpers/decoders.js";
import { splitAt } from "./helpers/split.js";

// Nothing a server sends may crash a decoder or grow its memory without bound: garbage ends in a
// ProtocolError of kind malformed, stream_dropped or (when it does not begin as a stream at all)
// not_a_stream, in-band errors in their own kinds.

const enc = new TextEncoder();

const chunked = (bytes: fc.Arbitrary<Uint8Array>) =>
  bytes.chain((b) =>
    fc.array(fc.integer({ min: 0, max: b.length }), { maxLength: 8 }).map((cuts) => splitAt(b, cuts)),
  );

/** Pieces of every format's framing and field names (but no `error`, which is a failure of its own). */
const piece = fc.constantFrom(
  ...["data: ", "data:", "event: x", "event: message_stop", "event: ping", ": c", "\n", "\r", "\r\n", "\n\n"],
  ...["[DONE]", "{", "}", "[", "]", ",", ":", '"', "null", "0", "-1", "1e999", "true", "é", "\u{1F44B}"],
  ...['"choices"', '"delta"', '"content"', '"reasoning_content"', '"tool_calls"', '"finish_reason"'],
  ...['"usage"', '"id"', '"x"', '"text"', '"type"', '"message_start"', '"message_delta"', '"message_stop"'],
  ...['"content_block_delta"', '"text_delta"', '"stop_reason"', '"message"', '"response"', '"done"'],
  ...['"done_reason"', '"eval_count"', '"token"', '"special"', '"generated_text"', '"details"'],
  ...["\\u0000", "\\ud800"],
);
const soup = fc.array(piece, { maxLength: 60 }).map((parts) => enc.encode(parts.join("")));

/** One record carrying content, in each format, with no terminator after it. */
const UNTERMINATED: Record<DecoderName, string> = {
  "openai-chat": 'data: {"id":"c1","choices":[{"delta":{"content":"Hi"}}]}\n\n',
  "openai-completions": 'data: {"id":"c1","choices":[{"text":"Hi"}]}\n\n',
  anthropic:
    'event: message_start\ndata: {"type":"message_start","message":{"id":"c1","usage":{"input_tokens":3}}}\n\n' +
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n' +
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"}}\n\n',
  "ollama-chat": '{"message":{"role":"assistant","content":"Hi"},"done":false}\n',
  "ollama-generate": '{"response":"Hi","done":false}\n',
  tgi: 'data:{"token":{"text":"Hi","special":false},"generated_text":null,"details":null}\n\n',
};

/** One record carrying `text` as content, alone, in each format (Anthropic's block delta only). */
const CONTENT: Record<DecoderName, (text: string) => string> = {
  "openai-chat": (t) => `data: {"choices":[{"delta":{"content":${JSON.stringify(t)}}}]}\n\n`,
  "openai-completions": (t) => `data: {"choices":[{"text":${JSON.stringify(t)}}]}\n\n`,
  anthropic: (t) =>
    `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(t)}}}\n\n`,
  "ollama-chat": (t) => `{"message":{"role":"assistant","content":${JSON.stringify(t)}},"done":false}\n`,
  "ollama-generate": (t) => `{"response":${JSON.stringify(t)},"done":false}\n`,
  tgi: (t) =>
    `data:{"token":{"text":${JSON.stringify(t)},"special":false},"generated_text":null,"details":null}\n\n`,
};

/** Feeds `record` over and over until the decoder throws; counts the content it let through. */
function feedRecordsUntilThrown(name: DecoderName, record: string, batch: number, maxRecords: number) {
  let chars = 0;
  let chunks = 0;
  const decoder = DECODERS[name].stream((e) => {
    if (e.type === "content") {
      chars += e.text.length;
      chunks++;
    }
  });
  const bytes = enc.encode(record.repeat(batch));
  const before = process.memoryUsage().heapUsed;
  for (let fed = 0; fed < maxRecords; fed += batch) {
    try {
      decoder.onBytes(bytes, fed);
    } catch (err) {
      return { thrown: err, chars, chunks, heapGrowth: process.memoryUsage().heapUsed - before };
    }
  }
  return { thrown: undefined, chars, chunks, heapGrowth: 0 };
}

describe.each(DECODER_NAMES)("the %s stream decoder under hostile input", (name) => {
  const { stream, framing } = DECODERS[name];

  it("an endless stream of well-formed content is cut off as malformed at the content limit", () => {
    const text = "a".repeat(60_000);
    const limit = MAX_STREAM_CONTENT.chars;
    const r = feedRecordsUntilThrown(name, CONTENT[name](text), 8, Math.ceil(limit / text.length) + 64);
    expect(kindOf(r.thrown)).toBe("malformed");
    // Everything up to the limit got through, nothing past it.
    expect(r.chars).toBeLessThanOrEqual(limit);
    expect(r.chars + text.length).toBeGreaterThan(limit);
  });

  it("random bytes: events or ProtocolError malformed / stream_dropped / not_a_stream, nothing else", () => {
    fc.assert(
      fc.property(chunked(fc.uint8Array({ maxLength: 512 })), (chunks) => {
        survive(stream, chunks, ["malformed", "stream_dropped", "not_a_stream"]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("framing-shaped garbage: events or ProtocolError malformed / stream_dropped / not_a_stream, nothing else", () => {
    fc.assert(
      fc.property(chunked(soup), (chunks) => {
        survive(stream, chunks, ["malformed", "stream_dropped", "not_a_stream"]);
      }),
      { seed: 8, numRuns: 500 },
    );
  });

  it("a stream with no terminator fails onEnd with stream_dropped, after emitting what it had", () => {
    const { events, endError } = replay(stream, [enc.encode(UNTERMINATED[name])]);
    expect(events.map(normalise)).toContainEqual({ type: "content", kind: "text", text: "Hi" });
    expect(kindOf(endError)).toBe("stream_dropped");
  });

  it("a 100 MB line fed in 64 KiB chunks fails with malformed once past the line limit, in bounded memory", () => {
    const limit = framing === "sse" ? DEFAULT_SSE_LIMITS.maxLineChars : DEFAULT_NDJSON_LIMITS.maxLineChars;
    const decoder = stream(() => {});
    const prefix = enc.encode(framing === "sse" ? "data: " : '{"response":"');
    decoder.onBytes(prefix, 0);
    const { fed, thrown, heapGrowth } = feedUntilThrown(decoder, prefix.length);
    expect(kindOf(thrown)).toBe("malformed");
    // It failed in the chunk that took the line past the limit, not later.
    expect(fed + CHUNK).toBeGreaterThan(limit);
    expect(fed).toBeLessThanOrEqual(limit);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });
});

describe.each(DECODER_NAMES)("the %s non-streaming decoder under hostile input", (name) => {
  const { json } = DECODERS[name];

  it("random bytes: events or ProtocolError malformed, nothing else", () => {
    fc.assert(
      fc.property(chunked(fc.oneof(fc.uint8Array({ maxLength: 256 }), soup)), (chunks) => {
        survive(json, chunks, ["malformed"]);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it("a 100 MB body fed in 64 KiB chunks fails with malformed once past the body limit, in bounded memory", () => {
    const decoder = json(() => {});
    const { fed, thrown, heapGrowth } = feedUntilThrown(decoder, 0);
    expect(kindOf(thrown)).toBe("malformed");
    expect(fed + CHUNK).toBeGreaterThan(MAX_JSON_BODY_CHARS);
    expect(fed).toBeLessThanOrEqual(MAX_JSON_BODY_CHARS);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });
});

const CHUNK = 64 * 1024;

/** Feeds "a" × 64 KiB (one buffer, reused: never 100 MB at once) until the decoder throws or 100 MB went in. */
function feedUntilThrown(decoder: { onBytes(b: Uint8Array, at: number): void }, already: number) {
  const chunk = new Uint8Array(CHUNK).fill(0x61);
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  let fed = already;
  let thrown: unknown;
  try {
    while (fed < 100 * 1024 * 1024) {
      decoder.onBytes(chunk, fed);
      fed += CHUNK;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  } catch (err) {
    thrown = err;
  }
  return { fed, thrown, heapGrowth: Math.max(peak, process.memoryUsage().heapUsed) - heapBefore };
}

describe("in-band errors", () => {
  const overloaded = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
  it.each<[DecoderName, string, string]>([
    ["openai-chat", 'data: {"error":{"message":"overloaded"}}\n\n', "http_5xx"],
    ["openai-chat", 'data: {"error":"boom"}\n\n', "http_5xx"],
    ["openai-completions", 'data: {"error":{"message":"overloaded"}}\n\n', "http_5xx"],
    ["anthropic", `event: error\ndata: ${overloaded}\n\n`, "http_5xx"],
    ["anthropic", 'event: error\ndata: {"type":"error","error":{"type":"api_error"}}\n\n', "http_5xx"],
    ["anthropic", 'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error"}}\n\n', "http_429"],
    ["ollama-chat", '{"error":"model \\"x\\" not found"}\n', "http_5xx"],
    ["ollama-generate", '{"error":"unexpected server status"}\n', "http_5xx"],
    ["tgi", 'data:{"error":"CUDA out of memory","error_type":"generation"}\n\n', "http_5xx"],
    ["tgi", 'data:{"error":"Model is overloaded","error_type":"overloaded"}\n\n', "http_429"],
    ["tgi", 'data:{"error":"Input validation error","error_type":"validation"}\n\n', "http_4xx"],
    [
      "tgi",
      'data:{"error":"Incomplete generation","error_type":"incomplete_generation"}\n\n',
      "stream_dropped",
    ],
  ])("%s: %s fails with %s", (name, wire, kind) => {
    let thrown: unknown;
    try {
      replay(DECODERS[name].stream, [enc.encode(wire)]);
    } catch (err) {
      thrown = err;
    }
    expect(kindOf(thrown)).toBe(kind);
  });

  it.each<[DecoderName, string]>([
    ["anthropic", overloaded],
    ["ollama-chat", '{"error":"model not found"}'],
    ["tgi", '{"error":"CUDA out of memory","error_type":"generation"}'],
  ])("%s: an error body with status 200 fails the non-streaming decoder too", (name, body) => {
    expect(kindOf(replay(DECODERS[name].json, [enc.encode(body)]).endError)).toBe("http_5xx");
  });

  it("`error: null` is not an error", () => {
    const ok = replay(DECODERS["openai-chat"].stream, [
      enc.encode('data: {"error":null,"choices":[{"delta":{"content":"x"}}]}\n\ndata: [DONE]\n\n'),
    ]);
    expect(ok.endError).toBeUndefined();
    expect(ok.events.map(normalise)).toEqual([{ type: "content", kind: "text", text: "x" }]);
  });
});

describe("deeply nested tool calls", () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  it.each<[DecoderName, string]>([
    ["openai-chat", `data: {"choices":[{"delta":{"tool_calls":${deep}}}]}\n\n`],
    [
      "anthropic",
      `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","input":${deep}}}\n\n`,
    ],
    ["ollama-chat", `{"message":{"role":"assistant","tool_calls":${deep}},"done":false}\n`],
  ])("%s: malformed, not a RangeError", (name, wire) => {
    let thrown: unknown;
    try {
      DECODERS[name].stream(() => {}).onBytes(enc.encode(wire), 0);
    } catch (err) {
      thrown = err;
    }
    expect(kindOf(thrown)).toBe("malformed");
  });
});

describe("createChatStreamDecoder with chunks of the right shape and values of any JSON type", () => {
  it("emits well-typed events, never crashes; only an error field fails (http_5xx)", () => {
    const any = fc.jsonValue({ maxDepth: 3 });
    const field = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, any), { nil: undefined });
    const delta = fc.record(
      {
        role: field(fc.constant("assistant")),
        content: field(fc.string()),
        reasoning_content: field(fc.string()),
        reasoning: field(fc.string()),
        tool_calls: field(fc.array(any, { maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
    const choice = fc.record(
      { index: any, delta: field(delta), finish_reason: field(fc.constantFrom("stop", "length", null)) },
      { requiredKeys: [] },
    );
    const chunk = fc.record(
      {
        id: field(fc.string()),
        choices: field(fc.array(choice, { maxLength: 2 })),
        usage: field(fc.record({ prompt_tokens: any, completion_tokens: any }, { requiredKeys: [] })),
        error: fc.option(fc.constantFrom(null, "boom", { message: "boom" }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    const stream = fc.array(chunk, { maxLength: 6 }).chain((chunks) => {
      const text = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
      const hasError = chunks.some((c) => c.error !== undefined && c.error !== null);
      return chunked(fc.constant(enc.encode(text))).map((parts) => ({ parts, hasError }));
    });
    fc.assert(
      fc.property(stream, ({ parts, hasError }) => {
        survive(DECODERS["openai-chat"].stream, parts, hasError ? ["http_5xx"] : []);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe("an endless stream of one-token chunks", () => {
  it("is cut off as malformed at the chunk limit (a timestamp each), in bounded memory", () => {
    const limit = MAX_STREAM_CONTENT.chunks;
    const r = feedRecordsUntilThrown("openai-chat", CONTENT["openai-chat"](" a"), 10_000, limit + 20_000);
    expect(kindOf(r.thrown)).toBe("malformed");
    expect(r.chunks).toBe(limit);
    expect(r.heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });
});
