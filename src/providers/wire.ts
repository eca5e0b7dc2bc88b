import type { BodyDecoder } from "./http-client.js";
import { NdjsonLimitError, NdjsonParser } from "./ndjson-parser.js";
import { ProtocolError } from "./protocol-error.js";
import { SseLimitError, SseParser } from "./sse-parser.js";
import type { ContentKind, EventSink } from "./types.js";

// What every wire format's decoders share: JSON records, framing, the content emitter, the end-of-
// stream verdict. A provider module supplies only what its records mean.

/** Largest non-streaming body accepted, in characters; a larger one is malformed. */
export const MAX_JSON_BODY_CHARS = 16 << 20;

/**
 * Most generated content one streamed response may carry: its characters (kept as the answer's text)
 * and its content chunks (each keeps a timestamp). Past either, a server that never stops is cut off
 * as malformed, so an endless stream of well-formed chunks cannot grow memory without bound. A
 * million chunks is far beyond any real max_tokens.
 */
export const MAX_STREAM_CONTENT = { chars: 16 << 20, chunks: 1_000_000 };

/** A count from the wire, or undefined when the server sent something that is not one. */
export const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** A string field from the wire, or undefined. */
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A JSON object field from the wire (never an array or null), or undefined. */
export const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** Parses one record; anything but a JSON object is a malformed response. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError("malformed", "invalid JSON in response: ", text);
  }
  const record = obj(value);
  if (!record) throw new ProtocolError("malformed", "expected a JSON object, got ", text);
  return record;
}

/** JSON.stringify recurses: absurdly deep nesting from a hostile server is malformed, not a crash. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    throw new ProtocolError("malformed", "tool call nested too deeply");
  }
}

/** Emits one content event; skips text that is not a non-empty string (role-only, empty chunks). */
export type EmitContent = (kind: ContentKind, text: unknown) => void;

/** What a record handler is given; `atUs` is the arrival of the bytes that completed the record. */
export interface RecordContext {
  readonly atUs: number;
  readonly sink: EventSink;
  /** A content emitter for one wire chunk: its second and later events carry `sameChunk: true`. */
  chunk(): EmitContent;
  /** The stream's terminator arrived: the stream is complete and later bytes are ignored. */
  done(): void;
}

export interface StreamFormat {
  framing: "sse" | "ndjson";
  /** What ends a complete stream, for messages: "[DONE]", "message_stop". */
  terminator: string;
  /** One SSE event (`event` is its name) or NDJSON line (`event` is ""). Throw ProtocolError to fail. */
  onRecord(record: { event: string; data: string }, ctx: RecordContext): void;
}

function createContext(sink: EventSink, limits = MAX_STREAM_CONTENT) {
  const state = { atUs: 0, sawContent: false, done: false, chars: 0, chunks: 0 };
  const tracked: EventSink = (e) => {
    if (e.type === "content") state.sawContent = true;
    sink(e);
  };
  const ctx: RecordContext = {
    get atUs() {
      return state.atUs;
    },
    sink: tracked,
    chunk() {
      let sameChunk = false;
      return (kind, text) => {
        if (typeof text !== "string" || text.length === 0) return;
        state.chars += text.length;
        if (!sameChunk) state.chunks++;
        if (state.chars > limits.chars || state.chunks > limits.chunks) {
          throw new ProtocolError(
            "malformed",
            `streamed content past ${limits.chunks} chunks or ${limits.chars} characters: the server does not stop`,
          );
        }
        tracked({ type: "content", atUs: state.atUs, kind, text, sameChunk });
        sameChunk = true;
      };
    },
    done: () => void (state.done = true),
  };
  return { state, ctx };
}

/** Runs `fn`, turning a parser's limit error (an endless line or event) into a malformed response. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof SseLimitError || err instanceof NdjsonLimitError) {
      throw new ProtocolError("malformed", err.message);
    }
    throw err;
  }
}

/** How a streamed body of each framing may begin: SSE with a known field, a comment or a blank line; NDJSON with an object. */
const STARTS: Record<StreamFormat["framing"], readonly string[]> = {
  sse: ["data:", "data\n", "data\r", "event:", "id:", "retry:", ":", "\n", "\r"],
  ndjson: ["{"],
};

/** Whether `head` (a body's first characters) begins as the framing does; undefined while too short to tell. */
export function startsAsStream(framing: StreamFormat["framing"], head: string): boolean | undefined {
  let h = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (framing === "ndjson") h = h.trimStart();
  if (h.length === 0) return undefined;
  for (const start of STARTS[framing]) {
    if (h.startsWith(start)) return true;
    if (start.startsWith(h)) return undefined;
  }
  return false;
}

/** The most of a body's start kept to tell a stream from a page: enough for a message's snippet. */
const HEAD_CHARS = 512;

/**
 * Streams a body through SSE or NDJSON framing into `format.onRecord`, incrementally and in bounded
 * memory. A body that ends before the terminator (even mid-record) is `stream_dropped`; bytes after
 * the terminator are ignored. A body that is not a stream at all (an HTML page, one JSON answer sent
 * where a stream was asked) is `not_a_stream`: asking again would get the same answer.
 */
export function createStreamDecoder(
  sink: EventSink,
  format: StreamFormat,
  limits = MAX_STREAM_CONTENT,
): BodyDecoder {
  const { state, ctx } = createContext(sink, limits);
  let records = 0;
  let head = "";
  const notAStream = () =>
    new ProtocolError(
      "not_a_stream",
      `asked for a stream (${format.framing === "sse" ? "server-sent events" : "NDJSON"}), got a body that is not one: `,
      head,
    );
  const onRecord = (record: { event: string; data: string }) => {
    if (state.done) return;
    records++;
    format.onRecord(record, ctx);
  };
  const parser =
    format.framing === "sse"
      ? new SseParser(onRecord)
      : new NdjsonParser((data) => onRecord({ event: "", data }));
  /** Before the first record: a body whose start is not the framing's is not a stream. */
  const checkHead = (bytes: Uint8Array) => {
    if (records > 0 || head.length >= HEAD_CHARS) return;
    head += Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEAD_CHARS)).toString("utf8");
    if (startsAsStream(format.framing, head) === false) throw notAStream();
  };
  return {
    get sawContent() {
      return state.sawContent;
    },
    onBytes(bytes, atUs) {
      if (state.done) return;
      state.atUs = atUs;
      checkHead(bytes);
      guard(() => parser.push(bytes));
    },
    onEnd(atUs) {
      state.atUs = atUs;
      if (state.done) return;
      try {
        guard(() => parser.end());
      } catch (err) {
        // A body cut off mid-record leaves a partial JSON line: the stream dropped, the server did not
        // send garbage.
        if (!state.done && err instanceof ProtocolError && err.kind === "malformed") {
          throw new ProtocolError(
            "stream_dropped",
            `stream ended mid-record before ${format.terminator} (${err.message})`,
          );
        }
        throw err;
      }
      if (!state.done) throw new ProtocolError("stream_dropped", `stream ended before ${format.terminator}`);
    },
  };
}

/**
 * A non-streaming JSON body, buffered up to MAX_JSON_BODY_CHARS then handed to `onBody` whole: its
 * content "arrives" with the body's last byte.
 */
export function createJsonDecoder(
  sink: EventSink,
  onBody: (body: Record<string, unknown>, ctx: RecordContext) => void,
  maxChars = MAX_JSON_BODY_CHARS,
): BodyDecoder {
  const { state, ctx } = createContext(sink);
  const decoder = new TextDecoder();
  let text = "";
  return {
    get sawContent() {
      return state.sawContent;
    },
    onBytes(bytes) {
      text += decoder.decode(bytes, { stream: true });
      if (text.length > maxChars) {
        throw new ProtocolError("malformed", `response body larger than ${maxChars} characters`);
      }
    },
    onEnd(atUs) {
      state.atUs = atUs;
      text += decoder.decode();
      onBody(parseJsonObject(text), ctx);
    },
  };
}
