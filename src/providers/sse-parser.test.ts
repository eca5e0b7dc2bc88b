import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SseLimitError, SseParser, type SseEvent, type SseLimits } from "./sse-parser.js";
import { splitAt } from "../../test/helpers/split.js";

const enc = new TextEncoder();

/**
 * One character of any Unicode plane (so UTF-8 sequences of 1 to 4 bytes), never CR, LF, a lone
 * surrogate or a BOM (which the decoder would drop at the start of a stream).
 */
const anyChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom("\t", "\u0000", ":", " ", "é", "☕", "👋", "\u2028"),
  fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCodePoint(c)),
  fc
    .integer({ min: 0xe000, max: 0x10ffff })
    .filter((c) => c !== 0xfeff)
    .map((c) => String.fromCodePoint(c)),
);

/** Feeds `chunks` (strings are UTF-8 encoded; byte arrays go in as they are), then `end()`. */
function parse(chunks: Array<string | Uint8Array>, limits?: SseLimits): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e), limits);
  for (const chunk of chunks) parser.push(typeof chunk === "string" ? enc.encode(chunk) : chunk);
  parser.end();
  return events;
}

/** Splits bytes at the given offsets (sorted, duplicates allowed: they make empty chunks). */

const msg = (data: string, extra: Partial<SseEvent> = {}): SseEvent => ({ event: "message", data, ...extra });

describe("SseParser", () => {
  const cases: Array<{ name: string; chunks: Array<string | Uint8Array>; want: SseEvent[] }> = [
    { name: "LF line ends", chunks: ["data: a\n\ndata: b\n\n"], want: [msg("a"), msg("b")] },
    { name: "CR line ends", chunks: ["data: a\r\rdata: b\r\r"], want: [msg("a"), msg("b")] },
    { name: "CRLF line ends", chunks: ["data: a\r\n\r\ndata: b\r\n\r\n"], want: [msg("a"), msg("b")] },
    { name: "mixed line ends", chunks: ["data: a\r\n\rdata: b\n\r\n"], want: [msg("a"), msg("b")] },
    {
      name: "CRLF split across pushes is one line end",
      chunks: ["data: a\r", "\ndata: b\r", "\n\r", "\n"],
      want: [msg("a\nb")],
    },
    {
      name: "CR then an empty push then LF is still one line end",
      chunks: ["data: a\r", new Uint8Array(0), "\ndata: b\n\n"],
      want: [msg("a\nb")],
    },
    {
      name: "CR then a lone UTF-8 lead byte (decodes to nothing yet): the next line starts after the CR",
      chunks: ["data: a\r", new Uint8Array([0xc3]), new Uint8Array([0xa9, 0x3a, 0x0a]), "data: b\n\n"],
      want: [msg("a\nb")],
    },
    {
      name: "multi-line data joined by \\n",
      chunks: ["data: one\ndata: two\ndata: three\n\n"],
      want: [msg("one\ntwo\nthree")],
    },
    {
      name: "empty data lines keep their newlines",
      chunks: ["data:\ndata: x\ndata:\n\n"],
      want: [msg("\nx\n")],
    },
    { name: "`data` with no colon is an empty data line", chunks: ["data\n\n"], want: [msg("")] },
    {
      name: "comments ignored",
      chunks: [": keep-alive\n\n:\ndata: a\n: mid-event\ndata: b\n\n"],
      want: [msg("a\nb")],
    },
    {
      name: "event and id fields",
      chunks: ["event: content_block_delta\nid: 7\ndata: {}\n\n"],
      want: [{ event: "content_block_delta", data: "{}", id: "7" }],
    },
    {
      name: "event name resets after dispatch, id persists (last event id)",
      chunks: ["event: ping\nid: 1\ndata: x\n\ndata: y\n\n"],
      want: [
        { event: "ping", data: "x", id: "1" },
        { event: "message", data: "y", id: "1" },
      ],
    },
    { name: "`data` without a space", chunks: ['data:{"a":1}\n\n'], want: [msg('{"a":1}')] },
    {
      name: "only one leading space is stripped",
      chunks: ["data:  two spaces\n\n"],
      want: [msg(" two spaces")],
    },
    {
      name: "retry and unknown fields ignored",
      chunks: ["retry: 1000\nfoo: bar\ndata: a\n\n"],
      want: [msg("a")],
    },
    {
      name: "event without data is not dispatched",
      chunks: ["event: ping\n\nid: 3\n\ndata: a\n\n"],
      want: [msg("a", { id: "3" })],
    },
    {
      name: "last event without a blank line is flushed by end()",
      chunks: ["data: a\n\ndata: b\n"],
      want: [msg("a"), msg("b")],
    },
    {
      name: "last line without any newline is flushed by end()",
      chunks: ["data: a\n\ndata: [DONE]"],
      want: [msg("a"), msg("[DONE]")],
    },
    { name: "a leading BOM is ignored", chunks: ["\uFEFFdata: a\n\n"], want: [msg("a")] },
    {
      name: "2-byte UTF-8 character split across pushes",
      chunks: [new Uint8Array([...enc.encode("data: caf"), 0xc3]), new Uint8Array([0xa9, 0x0a, 0x0a])],
      want: [msg("café")],
    },
    {
      name: "4-byte UTF-8 character fed one byte at a time",
      chunks: [...enc.encode("data: 👋\n\n")].map((b) => new Uint8Array([b])),
      want: [msg("👋")],
    },
    { name: "empty input", chunks: [], want: [] },
  ];

  it.each(cases)("$name", ({ chunks, want }) => {
    expect(parse(chunks)).toEqual(want);
  });

  describe("limits", () => {
    const limits: SseLimits = { maxLineChars: 32, maxEventChars: 64 };

    it("accepts a line exactly at the line limit", () => {
      const line = "data: " + "x".repeat(26);
      expect(line.length).toBe(32);
      expect(parse([line + "\n\n"], limits)).toEqual([msg("x".repeat(26))]);
    });

    it("throws SseLimitError for a line over the limit in one push", () => {
      expect(() => parse(["data: " + "x".repeat(27) + "\n\n"], limits)).toThrow(SseLimitError);
    });

    it("throws SseLimitError for an unterminated line growing over several pushes, before it ends", () => {
      const parser = new SseParser(() => {}, limits);
      parser.push(enc.encode("data: " + "x".repeat(20)));
      expect(() => parser.push(enc.encode("x".repeat(20)))).toThrow(SseLimitError);
    });

    it("throws SseLimitError for an event over the event limit", () => {
      const line = "data: " + "y".repeat(25) + "\n";
      expect(() => parse([line.repeat(3) + "\n"], limits)).toThrow(SseLimitError);
      expect(parse([line.repeat(2) + "\n"], limits)).toHaveLength(1);
    });

    it("counts the newlines that join data lines, so endless empty `data:` lines hit the event limit", () => {
      expect(() => parse(["data:\n".repeat(100) + "\n"], limits)).toThrow(SseLimitError);
      // 65 lines join to 64 newlines: exactly the limit.
      expect(parse(["data:\n".repeat(65) + "\n"], limits)).toEqual([msg("\n".repeat(64))]);
    });
  });

  describe("property: serialised events come back exactly, however the bytes are split", () => {
    // No CR/LF inside a value; full Unicode (astral too) otherwise, so splits land inside UTF-8 sequences.
    const lineText = fc.string({ unit: anyChar, maxLength: 12 });
    const token = fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/);
    const eventArb = fc.record({
      event: fc.option(token, { nil: undefined }),
      id: fc.option(token, { nil: undefined }),
      dataLines: fc.array(lineText, { minLength: 1, maxLength: 4 }),
      comment: fc.option(lineText, { nil: undefined }),
      spaceAfterColon: fc.boolean(),
    });
    type GenEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;
    const endings = fc.constantFrom("\n", "\r", "\r\n");

    const streamArb = fc
      .record({
        events: fc.array(eventArb, { maxLength: 6 }),
        endingSeed: fc.array(endings, { minLength: 64, maxLength: 64 }),
        lastUnterminated: fc.constantFrom("none", "no-blank-line", "no-newline"),
      })
      .chain((s) => {
        const text = serialise(s.events, s.endingSeed, s.lastUnterminated);
        const bytes = enc.encode(text);
        return fc.record({
          s: fc.constant(s),
          bytes: fc.constant(bytes),
          cuts: fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }),
        });
      });

    function serialise(events: Array<GenEvent>, endingSeed: string[], lastUnterminated: string): string {
      let out = "";
      let prev = "";
      let k = 0;
      const line = (text: string) => {
        let ending = endingSeed[k++ % endingSeed.length]!;
        // A lone CR followed by an empty LF-terminated line would read as one CRLF: keep them apart.
        if (prev === "\r" && text === "" && ending === "\n") ending = "\r\n";
        out += text + ending;
        prev = ending;
      };
      events.forEach((e, i) => {
        const last = i === events.length - 1;
        if (e.comment !== undefined) line(":" + e.comment);
        if (e.event !== undefined) line("event: " + e.event);
        if (e.id !== undefined) line("id:" + e.id);
        e.dataLines.forEach((d, j) => {
          const space = e.spaceAfterColon || d.startsWith(" ") ? " " : "";
          const text = "data:" + space + d;
          if (last && j === e.dataLines.length - 1 && lastUnterminated === "no-newline") out += text;
          else line(text);
        });
        if (!(last && lastUnterminated !== "none")) line("");
      });
      return out;
    }

    function expected(events: Array<GenEvent>): SseEvent[] {
      let lastId: string | undefined;
      return events.map((e) => {
        if (e.id !== undefined) lastId = e.id;
        const out: SseEvent = { event: e.event ?? "message", data: e.dataLines.join("\n") };
        if (lastId !== undefined) out.id = lastId;
        return out;
      });
    }

    it("holds for 300 seeded runs", () => {
      fc.assert(
        fc.property(streamArb, ({ s, bytes, cuts }) => {
          expect(parse(splitAt(bytes, cuts))).toEqual(expected(s.events));
        }),
        { seed: 0x5eed, numRuns: 300 },
      );
    });
  });
});
