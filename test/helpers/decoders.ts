import { expect } from "vitest";
import { createAnthropicJsonDecoder, createAnthropicStreamDecoder } from "../../src/providers/anthropic.js";
import type { BodyDecoder } from "../../src/providers/http-client.js";
import { OLLAMA_CHAT, OLLAMA_GENERATE } from "../../src/providers/ollama.js";
import { createChatJsonDecoder, createChatStreamDecoder } from "../../src/providers/openai-chat.js";
import {
  createCompletionsJsonDecoder,
  createCompletionsStreamDecoder,
} from "../../src/providers/openai-completions.js";
import { ProtocolError } from "../../src/providers/protocol-error.js";
import { createTgiJsonDecoder, createTgiStreamDecoder } from "../../src/providers/tgi.js";
import type { EventSink, ProviderEvent } from "../../src/providers/types.js";

// Every wire format's decoders by the name `.expected.json` files give them, and the helpers the
// stream tests replay bytes through them with.

export type DecoderName =
  "openai-chat" | "openai-completions" | "anthropic" | "ollama-chat" | "ollama-generate" | "tgi";

type DecoderFactory = (sink: EventSink) => BodyDecoder;

export const DECODERS: Record<
  DecoderName,
  { framing: "sse" | "ndjson"; stream: DecoderFactory; json: DecoderFactory }
> = {
  "openai-chat": { framing: "sse", stream: createChatStreamDecoder, json: createChatJsonDecoder },
  "openai-completions": {
    framing: "sse",
    stream: createCompletionsStreamDecoder,
    json: createCompletionsJsonDecoder,
  },
  anthropic: { framing: "sse", stream: createAnthropicStreamDecoder, json: createAnthropicJsonDecoder },
  "ollama-chat": { framing: "ndjson", stream: OLLAMA_CHAT.streamDecoder, json: OLLAMA_CHAT.jsonDecoder },
  "ollama-generate": {
    framing: "ndjson",
    stream: OLLAMA_GENERATE.streamDecoder,
    json: OLLAMA_GENERATE.jsonDecoder,
  },
  tgi: { framing: "sse", stream: createTgiStreamDecoder, json: createTgiJsonDecoder },
};

export const DECODER_NAMES = Object.keys(DECODERS) as DecoderName[];

/** Drops the timestamp and the default `sameChunk: false`, so events compare with expected.json. */
export function normalise(e: ProviderEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "atUs" || v === undefined || (k === "sameChunk" && v === false)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Replays chunks through a fresh decoder, stamping chunk i with atUs = i, then calls onEnd once.
 * Returns the events and what onEnd threw (undefined when it completed); onBytes may throw.
 */
export function replay(
  factory: DecoderFactory,
  chunks: Uint8Array[],
): { events: ProviderEvent[]; endError: unknown } {
  const events: ProviderEvent[] = [];
  const decoder = factory((e) => events.push(e));
  chunks.forEach((chunk, i) => decoder.onBytes(chunk, i));
  let endError: unknown;
  try {
    decoder.onEnd(chunks.length);
  } catch (err) {
    endError = err;
  }
  return { events, endError };
}

export function kindOf(err: unknown): string {
  return err instanceof ProtocolError ? err.kind : `not a ProtocolError: ${String(err)}`;
}

/** Feeds chunks and onEnd; any throw must be a ProtocolError of an allowed kind (or any, for "any"). */
export function survive(
  factory: DecoderFactory,
  chunks: Uint8Array[],
  allowed: readonly string[] | "any",
): ProviderEvent[] {
  const events: ProviderEvent[] = [];
  const decoder = factory((e) => events.push(e));
  const started = performance.now();
  try {
    chunks.forEach((chunk, i) => decoder.onBytes(chunk, i));
    decoder.onEnd(chunks.length);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    if (allowed !== "any") expect(allowed).toContain(kindOf(err));
  }
  expect(performance.now() - started).toBeLessThan(1000);
  for (const e of events) checkShape(e);
  return events;
}

/** A decoder emits only well-typed events: non-empty content of a known kind, numbers or nothing for usage. */
export function checkShape(e: ProviderEvent): void {
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
      expect(e.reason.length).toBeGreaterThan(0);
      break;
    case "usage":
      for (const v of [e.promptTokens, e.completionTokens])
        expect(["number", "undefined"]).toContain(typeof v);
      break;
    default:
      throw new Error(`decoder emitted ${e.type}`);
  }
}

/** Decodes one complete body (in one piece) into normalised events; throws what the decoder threw. */
export function decodeBody(factory: DecoderFactory, text: string): Array<Record<string, unknown>> {
  const { events, endError } = replay(factory, [new TextEncoder().encode(text)]);
  if (endError) throw endError;
  return events.map(normalise);
}
