import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NdjsonParser } from "../src/providers/ndjson-parser.js";
import { SseParser, type SseEvent } from "../src/providers/sse-parser.js";
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

// Recorded wire transcripts of real server stream formats, each beside `<name>.expected.json`: the events
// a decoder for that format must emit (atUs left out; sameChunk only where true). Every transcript is
// replayed through its format's stream decoder, whole, split at random and byte by byte.

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "streams");

interface Expected {
  decoder: DecoderName;
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

const streamOf = (f: Fixture) => DECODERS[f.expected.decoder].stream;

/** Where the stream's terminator (its last record, in every transcript) ends: the last non-blank byte. */
function terminatorEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20)) end--;
  return end;
}

describe("stream fixtures", () => {
  it("are all present, each with a known decoder and a non-empty event list", () => {
    expect(fixtures.map((f) => f.file)).toEqual([
      "anthropic-messages.sse",
      "azure-openai-chat.sse",
      "llamacpp-chat.sse",
      "ollama-chat.ndjson",
      "ollama-generate.ndjson",
      "openai-chat-reasoning.sse",
      "openai-chat-tool-call.sse",
      "openai-chat.sse",
      "openai-completions.sse",
      "openrouter-chat.sse",
      "tgi-generate-stream.sse",
      "vllm-chat-continuous-usage.sse",
    ]);
    for (const f of fixtures) {
      expect(DECODER_NAMES).toContain(f.expected.decoder);
      expect(f.file.endsWith(".ndjson")).toBe(DECODERS[f.expected.decoder].framing === "ndjson");
      expect(f.expected.events.length).toBeGreaterThan(0);
      expect(typeof f.expected.notes).toBe("string");
      const content = f.expected.events.filter((e) => e.type === "content");
      expect(content.length, f.name).toBeGreaterThanOrEqual(5);
      expect(content.length, f.name).toBeLessThanOrEqual(20);
    }
    // Every wire format has at least one transcript.
    expect(new Set(fixtures.map((f) => f.expected.decoder))).toEqual(new Set(DECODER_NAMES));
  });

  it("include multi-byte UTF-8 in the OpenAI chat transcript", () => {
    const openai = fixtures.find((f) => f.name === "openai-chat")!;
    const text = new TextDecoder().decode(openai.bytes);
    expect([...text].some((c) => c.codePointAt(0)! > 0x7f)).toBe(true);
  });

  describe.each(fixtures.map((f) => [f.name, f.expected.decoder, f] as const))(
    "%s through the %s stream decoder",
    (_, __, f) => {
      const decoder = streamOf(f);

      it("in one piece emits exactly the expected events, and onEnd completes", () => {
        const { events, endError } = replay(decoder, [f.bytes]);
        expect(endError).toBeUndefined();
        expect(events.map(normalise)).toEqual(f.expected.events);
      });

      it("in 200 random splittings (inside UTF-8 sequences and CRLFs too) emits the same events", () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 0, max: f.bytes.length }), { maxLength: 40 }), (cuts) => {
            const { events, endError } = replay(decoder, splitAt(f.bytes, cuts));
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
        const { events, endError } = replay(
          decoder,
          Array.from(f.bytes, (b) => new Uint8Array([b])),
        );
        expect(endError).toBeUndefined();
        expect(events.map(normalise)).toEqual(f.expected.events);
      });

      it("truncated anywhere before its terminator is complete fails onEnd with stream_dropped", () => {
        const end = terminatorEnd(f.bytes);
        for (let cut = 0; cut < end; cut++) {
          const { endError } = replay(decoder, [f.bytes.subarray(0, cut)]);
          expect(kindOf(endError), `cut at byte ${cut}`).toBe("stream_dropped");
        }
        // Cut right after the terminator, with no line end: the last line is flushed and the stream is complete.
        const whole = replay(decoder, [f.bytes.subarray(0, end)]);
        expect(whole.endError).toBeUndefined();
        expect(whole.events.map(normalise)).toEqual(f.expected.events);
      });

      it("with any record's values replaced by any JSON: well-typed events or a ProtocolError, never a crash", () => {
        const records = parseRecords(f);
        const mutation = fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }));
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(), (mutations, cut) => {
            const copy = records.map((r) => ({ ...r, value: structuredClone(r.value) }));
            for (const [i, j, value] of mutations) mutate(copy[i % copy.length]!, j, value);
            const bytes = serialise(f, copy);
            survive(decoder, splitAt(bytes, [cut % (bytes.length + 1)]), "any");
          }),
          { seed: 11, numRuns: 300 },
        );
      });
    },
  );

  describe.each(
    fixtures.filter((f) => f.expected.decoder !== "openai-chat").map((f) => [f.name, f] as const),
  )("%s, read without the decoders", (_, f) => {
    it("has expected content text equal to the text in the transcript, one finish and a usage", () => {
      const wire = parseRecords(f)
        .map((r) => (typeof r.value === "object" ? textOf(f.expected.decoder, r.value) : ""))
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

/** One SSE event (its name and parsed data; [DONE] stays a string) or NDJSON line. */
interface WireRecord {
  event: string;
  value: Record<string, unknown> | string;
}

function parseRecords(f: Fixture): WireRecord[] {
  const parse = (event: string, data: string): WireRecord => ({
    event,
    value: data === "[DONE]" ? data : (JSON.parse(data) as Record<string, unknown>),
  });
  if (f.file.endsWith(".ndjson")) {
    const out: WireRecord[] = [];
    const parser = new NdjsonParser((line) => out.push(parse("", line)));
    parser.push(f.bytes);
    parser.end();
    return out;
  }
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  parser.push(f.bytes);
  parser.end();
  if (f.expected.decoder === "anthropic") {
    // Anthropic names each event after its data's type.
    for (const e of events) expect(e.event).toBe((JSON.parse(e.data) as { type: string }).type);
  }
  return events.map((e) => parse(f.expected.decoder === "anthropic" ? e.event : "", e.data));
}

function serialise(f: Fixture, records: WireRecord[]): Uint8Array {
  const text = records
    .map(({ event, value }) => {
      const data = typeof value === "string" ? value : JSON.stringify(value);
      if (f.file.endsWith(".ndjson")) return `${data}\n`;
      return `${event ? `event: ${event}\n` : ""}data: ${data}\n\n`;
    })
    .join("");
  return new TextEncoder().encode(text);
}

/** Replaces the `which`-th node (depth-first; one past the last is the record itself) with `value`. */
function mutate(record: WireRecord, which: number, value: unknown): void {
  if (typeof record.value === "string") return;
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    for (const key of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(record.value);
  const index = which % (slots.length + 1);
  if (index === slots.length) {
    // The whole record: written as the raw JSON text of whatever replaced it.
    record.value = JSON.stringify(value);
    return;
  }
  const [parent, key] = slots[index]!;
  (parent as Record<string | number, unknown>)[key] = value;
}

/** The generated text one record carries, read the plainest way for its format. */
function textOf(decoder: DecoderName, r: Record<string, unknown>): string {
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
