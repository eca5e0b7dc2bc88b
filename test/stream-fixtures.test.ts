import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NdjsonParser } from "../src/providers/ndjson-parser.js";
import { createChatStreamDecoder } from "../src/providers/openai-chat.js";
import { ProtocolError } from "../src/providers/protocol-error.js";
import { SseParser, type SseEvent } from "../src/providers/sse-parser.js";
import type { ProviderEvent } from "../src/providers/types.js";

// Recorded wire transcripts of real server stream formats, each beside `<name>.expected.json`: the events
// a decoder for that format must emit (atUs left out; sameChunk only where true).

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "streams");
const DECODERS = [
  "openai-chat",
  "openai-completions",
  "anthropic",
  "ollama-chat",
  "ollama-generate",
  "tgi",
] as const;

interface Expected {
  decoder: (typeof DECODERS)[number];
  events: Array<Record<string, unknown>>;
  notes: string;
}
interface Fixture {
  name: string;
  file: string;
  bytes: Uint8Array;
  expected: Expected;
}

const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".expected.json"))
  .sort()
  .map((f) => {
    const name = f.slice(0, -".expected.json".length);
    const file = readdirSync(DIR).find((g) => g.startsWith(name + ".") && !g.endsWith(".expected.json"));
    if (!file) throw new Error(`no stream beside ${f}`);
    return {
      name,
      file,
      bytes: new Uint8Array(readFileSync(path.join(DIR, file))),
      expected: JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Expected,
    };
  });
const chatFixtures = fixtures.filter((f) => f.expected.decoder === "openai-chat");
const otherFixtures = fixtures.filter((f) => f.expected.decoder !== "openai-chat");

/** Drops the timestamp and the default `sameChunk: false`, so events compare with expected.json. */
function normalise(e: ProviderEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "atUs" || v === undefined || (k === "sameChunk" && v === false)) continue;
    out[k] = v;
  }
  return out;
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of sorted) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

/**
 * Replays chunks through a fresh chat stream decoder, stamping chunk i with atUs = i, then calls onEnd
 * once. Returns the events and what onEnd threw (undefined when it completed).
 */
function replay(chunks: Uint8Array[]): { events: ProviderEvent[]; endError: unknown } {
  const events: ProviderEvent[] = [];
  const decoder = createChatStreamDecoder((e) => events.push(e));
  chunks.forEach((chunk, i) => decoder.onBytes(chunk, i));
  let endError: unknown;
  try {
    decoder.onEnd(chunks.length);
  } catch (err) {
    endError = err;
  }
  return { events, endError };
}

function kindOf(err: unknown): string {
  return err instanceof ProtocolError ? err.kind : `not a ProtocolError: ${String(err)}`;
}

describe("stream fixtures", () => {
  it("are all present, each with a known decoder and a non-empty event list", () => {
    expect(fixtures.map((f) => f.file)).toEqual([
      "anthropic-messages.sse",
      "llamacpp-chat.sse",
      "ollama-chat.ndjson",
      "ollama-generate.ndjson",
      "openai-chat-reasoning.sse",
      "openai-chat-tool-call.sse",
      "openai-chat.sse",
      "openai-completions.sse",
      "tgi-generate-stream.sse",
      "vllm-chat-continuous-usage.sse",
    ]);
    for (const f of fixtures) {
      expect(DECODERS).toContain(f.expected.decoder);
      expect(f.expected.events.length).toBeGreaterThan(0);
      expect(typeof f.expected.notes).toBe("string");
      const content = f.expected.events.filter((e) => e.type === "content");
      expect(content.length, f.name).toBeGreaterThanOrEqual(5);
      expect(content.length, f.name).toBeLessThanOrEqual(20);
    }
  });

  it("include multi-byte UTF-8 in the OpenAI chat transcript", () => {
    const openai = fixtures.find((f) => f.name === "openai-chat")!;
    const text = new TextDecoder().decode(openai.bytes);
    expect([...text].some((c) => c.codePointAt(0)! > 0x7f)).toBe(true);
  });

  describe.each(chatFixtures.map((f) => [f.name, f] as const))(
    "%s through createChatStreamDecoder",
    (_, f) => {
      it("in one piece emits exactly the expected events, and onEnd completes", () => {
        const { events, endError } = replay([f.bytes]);
        expect(endError).toBeUndefined();
        expect(events.map(normalise)).toEqual(f.expected.events);
      });

      it("in 200 random splittings (inside UTF-8 sequences and CRLFs too) emits the same events", () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 0, max: f.bytes.length }), { maxLength: 40 }), (cuts) => {
            const chunks = splitAt(f.bytes, cuts);
            const { events, endError } = replay(chunks);
            expect(endError).toBeUndefined();
            expect(events.map(normalise)).toEqual(f.expected.events);
            // Each event is stamped with the arrival of the chunk that completed it, so stamps never go back.
            const stamps = events.flatMap((e) => ("atUs" in e ? [e.atUs] : []));
            expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
          }),
          { seed: 20250115, numRuns: 200 },
        );
      });

      it("byte by byte emits the same events", () => {
        const chunks = Array.from(f.bytes, (b) => new Uint8Array([b]));
        const { events, endError } = replay(chunks);
        expect(endError).toBeUndefined();
        expect(events.map(normalise)).toEqual(f.expected.events);
      });

      it("truncated anywhere before [DONE] is complete fails onEnd with stream_dropped", () => {
        const text = new TextDecoder().decode(f.bytes);
        const doneAt = Buffer.byteLength(text.slice(0, text.indexOf("data: [DONE]")));
        const doneEnd = doneAt + "data: [DONE]".length;
        for (let cut = 0; cut < doneEnd; cut++) {
          const { endError } = replay([f.bytes.subarray(0, cut)]);
          expect(kindOf(endError), `cut at byte ${cut}`).toBe("stream_dropped");
        }
        // Cut right after [DONE], with no line end: the last line is flushed and the stream is complete.
        expect(replay([f.bytes.subarray(0, doneEnd)]).endError).toBeUndefined();
      });
    },
  );

  describe("createChatStreamDecoder under hostile input", () => {
    /** Feeds chunks and onEnd; any throw must be a ProtocolError of an allowed kind. */
    function survive(chunks: Uint8Array[], allowed: readonly string[]) {
      const events: ProviderEvent[] = [];
      const decoder = createChatStreamDecoder((e) => events.push(e));
      const started = performance.now();
      try {
        chunks.forEach((chunk, i) => decoder.onBytes(chunk, i));
        decoder.onEnd(chunks.length);
      } catch (err) {
        expect(allowed).toContain(kindOf(err));
      }
      expect(performance.now() - started).toBeLessThan(1000);
      for (const e of events) checkShape(e);
      return events;
    }

    function checkShape(e: ProviderEvent) {
      switch (e.type) {
        case "response_id":
          expect(typeof e.id).toBe("string");
          break;
        case "content":
          expect(["text", "reasoning", "tool_call"]).toContain(e.kind);
          expect(typeof e.text).toBe("string");
          expect(e.text.length).toBeGreaterThan(0);
          break;
        case "finish":
          expect(typeof e.reason).toBe("string");
          break;
        case "usage":
          for (const v of [e.promptTokens, e.completionTokens])
            expect(["number", "undefined"]).toContain(typeof v);
          break;
        default:
          throw new Error(`decoder emitted ${e.type}`);
      }
    }

    const chunked = (bytes: fc.Arbitrary<Uint8Array>) =>
      bytes.chain((b) =>
        fc.array(fc.integer({ min: 0, max: b.length }), { maxLength: 8 }).map((cuts) => splitAt(b, cuts)),
      );

    it("random bytes: events or ProtocolError malformed / stream_dropped, nothing else", () => {
      fc.assert(
        fc.property(chunked(fc.uint8Array({ maxLength: 512 })), (chunks) => {
          survive(chunks, ["malformed", "stream_dropped"]);
        }),
        { seed: 7, numRuns: 300 },
      );
    });

    it("SSE-shaped garbage: events or ProtocolError malformed / stream_dropped, nothing else", () => {
      const piece = fc.constantFrom(
        "data: ",
        "data:",
        "event: x",
        ": c",
        "\n",
        "\r",
        "\r\n",
        "\n\n",
        "[DONE]",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"',
        '"choices"',
        '"delta"',
        '"content"',
        '"reasoning_content"',
        '"tool_calls"',
        '"finish_reason"',
        '"usage"',
        '"id"',
        '"x"',
        "null",
        "0",
        "-1",
        "1e999",
        "true",
        "é",
        "\u{1F44B}",
        "\\u0000",
        "\\ud800",
      );
      const soup = fc
        .array(piece, { maxLength: 60 })
        .map((parts) => new TextEncoder().encode(parts.join("")));
      fc.assert(
        fc.property(chunked(soup), (chunks) => {
          survive(chunks, ["malformed", "stream_dropped"]);
        }),
        { seed: 8, numRuns: 500 },
      );
    });

    it("chunks of the right shape with values of any JSON type: well-typed events, never a crash", () => {
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
        return chunked(fc.constant(new TextEncoder().encode(text))).map((parts) => ({ parts, hasError }));
      });
      fc.assert(
        fc.property(stream, ({ parts, hasError }) => {
          survive(parts, hasError ? ["http_5xx"] : []);
        }),
        { seed: 9, numRuns: 300 },
      );
    });

    it("deeply nested tool_calls: malformed, not a RangeError", () => {
      const deep = "[".repeat(100_000) + "]".repeat(100_000);
      const bytes = new TextEncoder().encode(`data: {"choices":[{"delta":{"tool_calls":${deep}}}]}\n\n`);
      const decoder = createChatStreamDecoder(() => {});
      let thrown: unknown;
      try {
        decoder.onBytes(bytes, 0);
      } catch (err) {
        thrown = err;
      }
      expect(kindOf(thrown)).toBe("malformed");
    });

    it("a stream with no [DONE] fails onEnd with stream_dropped, after emitting what it had", () => {
      const { events, endError } = replay([
        new TextEncoder().encode('data: {"id":"c1","choices":[{"delta":{"content":"Hi"}}]}\n\n'),
      ]);
      expect(events.map(normalise)).toEqual([
        { type: "response_id", id: "c1" },
        { type: "content", kind: "text", text: "Hi" },
      ]);
      expect(kindOf(endError)).toBe("stream_dropped");
    });

    it("an in-stream error object fails with http_5xx; `error: null` is not an error", () => {
      const enc = new TextEncoder();
      let thrown: unknown;
      try {
        createChatStreamDecoder(() => {}).onBytes(
          enc.encode('data: {"error":{"message":"overloaded"}}\n\n'),
          0,
        );
      } catch (err) {
        thrown = err;
      }
      expect(kindOf(thrown)).toBe("http_5xx");
      const ok = replay([
        enc.encode('data: {"error":null,"choices":[{"delta":{"content":"x"}}]}\n\ndata: [DONE]\n\n'),
      ]);
      expect(ok.endError).toBeUndefined();
      expect(ok.events.map(normalise)).toEqual([{ type: "content", kind: "text", text: "x" }]);
    });

    it("a 100 MB line fed in 64 KiB chunks fails with malformed once past the line limit, in bounded memory", () => {
      const CHUNK = 64 * 1024;
      const TOTAL = 100 * 1024 * 1024;
      const LIMIT = 1 << 20; // DEFAULT_SSE_LIMITS.maxLineChars
      const chunk = new Uint8Array(CHUNK).fill(0x61); // "a" × 64 KiB, reused: never 100 MB at once
      const decoder = createChatStreamDecoder(() => {});
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      let fed = 0;
      let thrown: unknown;
      decoder.onBytes(new TextEncoder().encode("data: "), 0);
      fed += 6;
      try {
        while (fed < TOTAL) {
          decoder.onBytes(chunk, fed);
          fed += CHUNK;
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      } catch (err) {
        thrown = err;
      }
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      expect(kindOf(thrown)).toBe("malformed");
      // It failed in the chunk that took the line past the limit, not later.
      expect(fed + CHUNK).toBeGreaterThan(LIMIT);
      expect(fed).toBeLessThanOrEqual(LIMIT);
      expect(peak - heapBefore).toBeLessThan(64 * 1024 * 1024);
    });
  });

  describe.each(otherFixtures.map((f) => [f.name, f] as const))("%s (decoder written later)", (_, f) => {
    it("parses structurally: every SSE data / NDJSON line is JSON (or [DONE])", () => {
      const records = payloads(f);
      expect(records.length).toBeGreaterThan(f.expected.events.filter((e) => e.type === "content").length);
      for (const r of records) {
        if (r === "[DONE]") continue;
        expect(() => JSON.parse(r), r).not.toThrow();
        expect(typeof JSON.parse(r)).toBe("object");
      }
    });

    it("expected content text matches the text in the transcript", () => {
      const wire = payloads(f)
        .filter((r) => r !== "[DONE]")
        .map((r) => textOf(f.expected.decoder, JSON.parse(r) as Record<string, unknown>))
        .join("");
      const expected = f.expected.events
        .filter((e) => e.type === "content")
        .map((e) => e.text)
        .join("");
      expect(expected).toBe(wire);
      expect(f.expected.events.filter((e) => e.type === "finish")).toHaveLength(1);
      expect(f.expected.events.filter((e) => e.type === "usage").length).toBeGreaterThanOrEqual(1);
    });
  });
});

/** The data of each SSE event, or each NDJSON line. */
function payloads(f: Fixture): string[] {
  const out: string[] = [];
  if (f.file.endsWith(".ndjson")) {
    const parser = new NdjsonParser((line) => out.push(line));
    parser.push(f.bytes);
    parser.end();
  } else {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push(f.bytes);
    parser.end();
    if (f.expected.decoder === "anthropic") {
      // Anthropic names each event after its data's type.
      for (const e of events) expect(e.event).toBe((JSON.parse(e.data) as { type: string }).type);
    }
    out.push(...events.map((e) => e.data));
  }
  return out;
}

/** The generated text one record carries, read the plainest way for its format. */
function textOf(decoder: Expected["decoder"], r: Record<string, unknown>): string {
  const get = (path: string) =>
    path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r);
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  switch (decoder) {
    case "openai-completions":
      return str(get("choices.0.text"));
    case "anthropic":
      return r.type === "content_block_delta" ? str(get("delta.text")) : "";
    case "ollama-chat":
      return str(get("message.content"));
    case "ollama-generate":
      return str(get("response"));
    case "tgi":
      return get("token.special") === true ? "" : str(get("token.text"));
    default:
      throw new Error(`no text reader for ${decoder}`);
  }
}
