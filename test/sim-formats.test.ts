import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultKind } from "../src/sim/faults.js";
import {
  DONE,
  TOKENS,
  PROMPT,
  REPLY,
  frames,
  last,
  latestTruth,
  messages,
  post,
  startWithTruth,
  type Json,
  type Sim,
} from "./helpers/sim-wire.js";

// Every wire format the simulator speaks, streaming and not, with faults: framing, content against
// the canned answer, usage against the chunks and the truth log, finish reasons, error shapes.

/** What a response said, read the format's way. */
interface Read {
  chunks: string[];
  usage: number | undefined;
  finish: string | undefined;
  /** The format's terminator arrived ([DONE], message_stop, done: true, the EOS event). */
  done: boolean;
}

interface Case {
  name: string;
  framing: "sse" | "ndjson";
  streamPath: string;
  jsonPath: string;
  body(stream: boolean, maxTokens?: number): Json;
  readStream(payloads: Json[]): Read;
  readJson(body: Json): Omit<Read, "chunks" | "done"> & { text: string };
  finish: { stop: string; length: string };
  errorType(body: Json): unknown;
  errorTypes: { 429: string | undefined; 500: string | undefined };
}

/** The non-empty strings: content chunks, leaving out role, finish and usage chunks. */
const texts = (values: unknown[]) => values.filter((t): t is string => typeof t === "string" && t !== "");

/** OpenAI chat and completions: content in each chunk's first choice, usage in the choices: [] chunk. */
const openAiRead = (chunkText: (choice: Json) => unknown, jsonText: (choice: Json) => unknown) => ({
  readStream: (ps: Json[]) => ({
    chunks: texts(ps.map((p) => p.choices?.[0] && chunkText(p.choices[0]))),
    usage: ps.find((p) => p.usage)?.usage.completion_tokens,
    finish: ps.find((p) => p.choices?.[0]?.finish_reason)?.choices[0].finish_reason,
    done: last(ps) === DONE,
  }),
  readJson: (b: Json) => ({
    text: jsonText(b.choices[0]) as string,
    usage: b.usage.completion_tokens,
    finish: b.choices[0].finish_reason,
  }),
  finish: { stop: "stop", length: "length" },
  errorType: (b: Json) => b.error?.type,
  errorTypes: { 429: "rate_limit_error", 500: "server_error" },
});
const ollamaError = { errorType: (b: Json) => typeof b.error, errorTypes: { 429: "string", 500: "string" } };
const ollamaRead = (content: (p: Json) => unknown) => ({
  readStream: (ps: Json[]) => ({
    chunks: texts(ps.filter((p) => p.done === false).map(content)),
    usage: last(ps)?.eval_count,
    finish: last(ps)?.done_reason,
    done: last(ps)?.done === true,
  }),
  readJson: (b: Json) => ({ text: content(b) as string, usage: b.eval_count, finish: b.done_reason }),
  finish: { stop: "stop", length: "length" },
});

const CASES: Case[] = [
  {
    name: "openai-chat",
    framing: "sse",
    streamPath: "/v1/chat/completions",
    jsonPath: "/chat/completions",
    body: (stream, max) => ({
      model: "m",
      messages,
      stream,
      stream_options: stream ? { include_usage: true } : undefined,
      max_tokens: max,
    }),
    ...openAiRead(
      (chunk) => chunk.delta?.content,
      (choice) => choice.message.content,
    ),
  },
  {
    name: "openai-completions",
    framing: "sse",
    streamPath: "/v1/completions",
    jsonPath: "/completions",
    body: (stream, max) => ({
      model: "m",
      prompt: [PROMPT],
      stream,
      stream_options: stream ? { include_usage: true } : undefined,
      max_tokens: max ?? 64,
    }),
    ...openAiRead(
      (chunk) => chunk.text,
      (choice) => choice.text,
    ),
  },
  {
    name: "anthropic-messages",
    framing: "sse",
    streamPath: "/v1/messages",
    jsonPath: "/v1/messages",
    body: (stream, max) => ({
      model: "m",
      max_tokens: max ?? 64,
      system: "Answer briefly.",
      messages,
      stream,
    }),
    readStream: (ps) => ({
      chunks: texts(ps.filter((p) => p.type === "content_block_delta").map((p) => p.delta.text)),
      usage: ps.find((p) => p.type === "message_delta")?.usage.output_tokens,
      finish: ps.find((p) => p.type === "message_delta")?.delta.stop_reason,
      done: last(ps)?.type === "message_stop",
    }),
    readJson: (b) => ({ text: b.content[0].text, usage: b.usage.output_tokens, finish: b.stop_reason }),
    finish: { stop: "end_turn", length: "max_tokens" },
    errorType: (b) => b.type === "error" && typeof b.error.message === "string" && b.error.type,
    errorTypes: { 429: "rate_limit_error", 500: "api_error" },
  },
  {
    name: "ollama-chat",
    framing: "ndjson",
    streamPath: "/api/chat",
    jsonPath: "/api/chat",
    // Ollama streams unless told not to: the streaming request leaves `stream` out.
    body: (stream, max) => ({
      model: "m",
      messages,
      ...(stream ? {} : { stream }),
      options: { num_predict: max },
    }),
    ...ollamaRead((p) => p.message?.content),
    ...ollamaError,
  },
  {
    name: "ollama-generate",
    framing: "ndjson",
    streamPath: "/api/generate",
    jsonPath: "/api/generate",
    body: (stream, max) => ({ model: "m", prompt: PROMPT, stream, options: { num_predict: max } }),
    ...ollamaRead((p) => p.response),
    ...ollamaError,
  },
  {
    name: "tgi",
    framing: "sse",
    streamPath: "/generate_stream",
    jsonPath: "/generate",
    body: (_stream, max) => ({ inputs: PROMPT, parameters: { max_new_tokens: max, details: true } }),
    readStream: (ps) => ({
      chunks: texts(ps.filter((p) => p.token?.special === false).map((p) => p.token.text)),
      usage: last(ps)?.details?.generated_tokens,
      finish: last(ps)?.details?.finish_reason,
      done: last(ps)?.token?.special === true && typeof last(ps)?.generated_text === "string",
    }),
    readJson: (b) => ({
      text: b.generated_text,
      usage: b.details.generated_tokens,
      finish: b.details.finish_reason,
    }),
    finish: { stop: "eos_token", length: "length" },
    errorType: (b) => typeof b.error === "string" && b.error_type,
    errorTypes: { 429: "overloaded", 500: "generation" },
  },
];

let sim: Sim;
beforeAll(async () => {
  sim = await startWithTruth();
});
afterAll(() => sim?.server.close());

describe.each(CASES)("$name", (c) => {
  it.each([undefined, 3])("streams the answer, max tokens %s", async (max) => {
    const before = sim.truth.length;
    const wire = await post(sim.server, c.streamPath, c.body(true, max));
    expect(wire.status).toBe(200);
    expect(wire.headers.get("content-type")).toBe(
      c.framing === "sse" ? "text/event-stream" : "application/x-ndjson",
    );
    const { payloads, bad } = frames(wire.text, c.framing);
    expect(bad).toEqual([]);
    const read = c.readStream(payloads);
    const tokens = max === undefined ? TOKENS : TOKENS.slice(0, max);
    expect(read.chunks.join("")).toBe(tokens.join(""));
    expect(read.chunks).toHaveLength(tokens.length);
    expect(read.usage).toBe(tokens.length);
    expect(read.finish).toBe(max === undefined ? c.finish.stop : c.finish.length);
    expect(read.done).toBe(true);
    const truth = await latestTruth(sim, before + 1);
    expect(truth).toMatchObject({ stream: true, status: 200, completionTokens: tokens.length });
    expect(truth.tokenTimesUs).toHaveLength(tokens.length);
  });

  it.each([undefined, 3])("answers without streaming, max tokens %s", async (max) => {
    const before = sim.truth.length;
    const wire = await post(sim.server, c.jsonPath, c.body(false, max));
    expect(wire.status).toBe(200);
    expect(wire.headers.get("content-type")).toBe("application/json");
    const read = c.readJson(JSON.parse(wire.text) as Json);
    const tokens = max === undefined ? TOKENS : TOKENS.slice(0, max);
    expect(read).toEqual({
      text: tokens.join(""),
      usage: tokens.length,
      finish: max === undefined ? c.finish.stop : c.finish.length,
    });
    expect(await latestTruth(sim, before + 1)).toMatchObject({
      stream: false,
      completionTokens: tokens.length,
    });
  });

  it("answers a bad request with a 400 in its own error shape", async () => {
    const wire = await post(sim.server, c.streamPath, { nothing: true });
    expect(wire.status).toBe(400);
    expect(c.errorType(JSON.parse(wire.text) as Json)).toBeTruthy();
  });
});

describe("injected faults, in every format", () => {
  const KINDS = ["http_429", "http_500", "malformed", "drop"] as const satisfies FaultKind[];
  const sims = {} as Record<(typeof KINDS)[number], Sim>;
  beforeAll(async () => {
    for (const kind of KINDS) sims[kind] = await startWithTruth({ faults: { [kind]: 1, retry_after_s: 2 } });
  });
  afterAll(() => Promise.all(KINDS.map((k) => sims[k]?.server.close())));

  const cases = CASES.flatMap((c) => [true, false].map((stream) => ({ ...c, stream })));

  describe.each(cases)("$name, stream: $stream", (c) => {
    const path = c.stream ? c.streamPath : c.jsonPath;

    it.each([429, 500] as const)("HTTP %i in the format's error shape, logged", async (status) => {
      const s = sims[status === 429 ? "http_429" : "http_500"];
      const before = s.truth.length;
      const wire = await post(s.server, path, c.body(c.stream));
      expect(wire.status).toBe(status);
      expect(wire.headers.get("content-type")).toBe("application/json");
      if (status === 429) expect(wire.headers.get("retry-after")).toBe("2");
      expect(c.errorType(JSON.parse(wire.text) as Json)).toBe(c.errorTypes[status]);
      expect(await latestTruth(s, before + 1)).toMatchObject({
        status,
        fault: `http_${status}`,
        stream: c.stream,
      });
    });

    it("malformed: an unparseable frame, then the connection ends without the terminator", async () => {
      const s = sims.malformed;
      const before = s.truth.length;
      const wire = await post(s.server, path, c.body(c.stream));
      expect(wire.status).toBe(200);
      if (c.stream) {
        const { payloads, bad } = frames(wire.text, c.framing);
        expect(bad).toHaveLength(1);
        expect(c.readStream(payloads).done).toBe(false);
        expect(c.readStream(payloads).chunks).toHaveLength(Math.floor(TOKENS.length / 2));
      } else {
        expect(() => JSON.parse(wire.text)).toThrow();
      }
      expect(await latestTruth(s, before + 1)).toMatchObject({ fault: "malformed", stream: c.stream });
    });

    it("drop: the connection ends before the terminator", async () => {
      const s = sims.drop;
      const before = s.truth.length;
      const wire = await post(s.server, path, c.body(c.stream));
      expect(wire.broken).toBe(true);
      if (c.stream) {
        const { payloads, bad } = frames(wire.text, c.framing);
        expect(bad).toEqual([]);
        expect(c.readStream(payloads).done).toBe(false);
        expect(c.readStream(payloads).chunks.join("")).toBe(
          TOKENS.slice(0, Math.floor(TOKENS.length / 2)).join(""),
        );
      } else {
        expect(() => JSON.parse(wire.text)).toThrow();
      }
      const truth = await latestTruth(s, before + 1);
      expect(truth).toMatchObject({ fault: "drop", stream: c.stream });
    });
  });
});

describe("requests", () => {
  it("TGI /generate_stream streams even when the body says stream: false", async () => {
    const wire = await post(sim.server, "/generate_stream", { inputs: PROMPT, stream: false });
    expect(wire.headers.get("content-type")).toBe("text/event-stream");
    // Without parameters.details, TGI's last event has generated_text but no details.
    const end = last(frames(wire.text, "sse").payloads)!;
    expect(end).toMatchObject({ generated_text: REPLY, details: null, token: { special: true } });
  });

  it("TGI writes `data:` without a space; OpenAI and Anthropic with one", async () => {
    expect((await post(sim.server, "/generate_stream", { inputs: PROMPT })).text).toMatch(/^data:\{/);
    expect((await post(sim.server, "/v1/completions", { prompt: PROMPT, stream: true })).text).toMatch(
      /^data: \{/,
    );
  });

  it("Anthropic's stream starts with message_start (input tokens, placeholder output 1), content_block_start, ping", async () => {
    const before = sim.truth.length;
    const wire = await post(sim.server, "/v1/messages", { max_tokens: 64, messages, stream: true });
    const ps = frames(wire.text, "sse").payloads;
    expect(ps.slice(0, 3).map((p) => p.type)).toEqual(["message_start", "content_block_start", "ping"]);
    const truth = await latestTruth(sim, before + 1);
    expect(ps[0]!.message).toMatchObject({
      id: `msg_${truth.id}`,
      usage: { input_tokens: truth.promptTokens, output_tokens: 1 },
    });
    expect(wire.text).toContain('data: {"type": "ping"}');
  });

  it("Ollama's last line has the counts and nanosecond durations", async () => {
    const before = sim.truth.length;
    const wire = await post(sim.server, "/api/chat", { model: "m", messages });
    const end = last(frames(wire.text, "ndjson").payloads)!;
    const truth = await latestTruth(sim, before + 1);
    expect(end).toMatchObject({
      done: true,
      prompt_eval_count: truth.promptTokens,
      eval_count: truth.completionTokens,
      message: { content: "" },
    });
    for (const field of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
      expect(Number.isInteger(end[field]) && end[field] >= 0).toBe(true);
    }
    expect(end.total_duration).toBeGreaterThanOrEqual(end.prompt_eval_duration + end.eval_duration);
  });
});
