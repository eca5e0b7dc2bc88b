import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NdjsonLimitError, NdjsonParser, type NdjsonLimits } from "./ndjson-parser.js";
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

function parse(chunks: Array<string | Uint8Array>, limits?: NdjsonLimits): string[] {
  const lines: string[] = [];
  const parser = new NdjsonParser((line) => lines.push(line), limits);
  for (const chunk of chunks) parser.push(typeof chunk === "string" ? enc.encode(chunk) : chunk);
  parser.end();
  return lines;
}

describe("NdjsonParser", () => {
  const cases: Array<{ name: string; chunks: Array<string | Uint8Array>; want: string[] }> = [
    { name: "LF-terminated lines", chunks: ['{"a":1}\n{"b":2}\n'], want: ['{"a":1}', '{"b":2}'] },
    { name: "CRLF-terminated lines", chunks: ['{"a":1}\r\n{"b":2}\r\n'], want: ['{"a":1}', '{"b":2}'] },
    {
      name: "CRLF split across pushes",
      chunks: ['{"a":1}\r', '\n{"b":2}\r', "\n"],
      want: ['{"a":1}', '{"b":2}'],
    },
    {
      name: "a line split anywhere",
      chunks: ['{"mo', 'del":"ll', 'ama3.2"}', "\n"],
      want: ['{"model":"llama3.2"}'],
    },
    {
      name: "blank and whitespace-only lines skipped",
      chunks: ["\n\r\n  \n\t\r\n{}\n\n"],
      want: ["{}"],
    },
    {
      name: "last line without a newline flushed by end()",
      chunks: ['{"a":1}\n{"done":true}'],
      want: ['{"a":1}', '{"done":true}'],
    },
    { name: "last line ending in a lone CR", chunks: ['{"a":1}\r'], want: ['{"a":1}'] },
    { name: "lines are yielded raw, not parsed", chunks: ["not json\n  {} \n"], want: ["not json", "  {} "] },
    {
      name: "empty pushes are harmless",
      chunks: ["{}\r", new Uint8Array(0), "\n", new Uint8Array(0)],
      want: ["{}"],
    },
    {
      name: "UTF-8 character split across pushes",
      chunks: [
        new Uint8Array([...enc.encode('{"t":"caf'), 0xc3]),
        new Uint8Array([0xa9, ...enc.encode('"}\n')]),
      ],
      want: ['{"t":"café"}'],
    },
    {
      name: "4-byte UTF-8 character fed one byte at a time",
      chunks: [...enc.encode('{"t":"👋"}\n')].map((b) => new Uint8Array([b])),
      want: ['{"t":"👋"}'],
    },
    { name: "a leading BOM is ignored", chunks: ["\uFEFF{}\n"], want: ["{}"] },
    { name: "empty input", chunks: [], want: [] },
  ];

  it.each(cases)("$name", ({ chunks, want }) => {
    expect(parse(chunks)).toEqual(want);
  });

  describe("line limit", () => {
    const limits: NdjsonLimits = { maxLineChars: 16 };

    it("accepts a line exactly at the limit, CRLF not counted", () => {
      const line = "x".repeat(16);
      expect(parse([line + "\r\n"], limits)).toEqual([line]);
      expect(parse([line + "\r", "\n"], limits)).toEqual([line]);
      expect(parse([line], limits)).toEqual([line]);
    });

    it("throws NdjsonLimitError for a longer line in one push", () => {
      expect(() => parse(["x".repeat(17) + "\n"], limits)).toThrow(NdjsonLimitError);
    });

    it("throws NdjsonLimitError while an unterminated line grows, before it ends", () => {
      const parser = new NdjsonParser(() => {}, limits);
      parser.push(enc.encode("x".repeat(10)));
      expect(() => parser.push(enc.encode("x".repeat(10)))).toThrow(NdjsonLimitError);
    });

    it("has a 1 MiB default", () => {
      const parser = new NdjsonParser(() => {});
      const chunk = enc.encode("x".repeat(64 * 1024));
      let pushed = 0;
      expect(() => {
        for (; pushed < 64; pushed++) parser.push(chunk);
      }).toThrow(NdjsonLimitError);
      expect(pushed).toBe(16); // the 17th chunk takes the line past 1,048,576 characters
    });
  });

  it("property: random lines come back exactly, however the bytes are split", () => {
    const lineArb = fc.string({ unit: anyChar, maxLength: 20 });
    const arb = fc
      .record({
        lines: fc.array(lineArb, { maxLength: 10 }),
        crlf: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        finalNewline: fc.boolean(),
      })
      .chain((r) => {
        const text = r.lines
          .map((l, i) => l + (i === r.lines.length - 1 && !r.finalNewline ? "" : r.crlf[i] ? "\r\n" : "\n"))
          .join("");
        const bytes = enc.encode(text);
        return fc.record({
          lines: fc.constant(r.lines),
          bytes: fc.constant(bytes),
          cuts: fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }),
        });
      });
    fc.assert(
      fc.property(arb, ({ lines, bytes, cuts }) => {
        const want = lines.filter((l) => !/^[ \t]*$/.test(l));
        expect(parse(splitAt(bytes, cuts))).toEqual(want);
      }),
      { seed: 0x0d1a, numRuns: 300 },
    );
  });
});
