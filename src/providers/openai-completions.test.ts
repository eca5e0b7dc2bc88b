import { describe, expect, it } from "vitest";
import { buildChatBody } from "./openai-chat.js";
import {
  buildCompletionsBody,
  createCompletionsJsonDecoder,
  createCompletionsStreamDecoder,
} from "./openai-completions.js";
import { decodeBody } from "../../test/helpers/decoders.js";
import type { ChatMessage, GenerationRequest } from "./types.js";
import { bearerHeaders, renderPrompt } from "./http-provider.js";

const system: ChatMessage = { role: "system", content: "Answer in one word." };
const user: ChatMessage = { role: "user", content: "The capital of France is" };
const request = (stream: boolean, params: Record<string, unknown> = {}): GenerationRequest => ({
  messages: [system, user],
  params,
  stream,
});

describe("renderPrompt", () => {
  it.each<[ChatMessage[], string]>([
    [[user], "The capital of France is"],
    [[system, user], "Answer in one word.\n\nThe capital of France is"],
    [[], ""],
  ])("%j → %j", (messages, prompt) => {
    expect(renderPrompt(messages)).toBe(prompt);
  });
});

describe("buildCompletionsBody", () => {
  it("streaming: the rendered prompt, params as written, include_usage", () => {
    expect(
      buildCompletionsBody("m", request(true, { max_tokens: 10, temperature: 0, ignore_eos: true })),
    ).toEqual({
      model: "m",
      prompt: "Answer in one word.\n\nThe capital of France is",
      max_tokens: 10,
      temperature: 0,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("non-streaming, or with includeUsage off: no stream_options", () => {
    expect(buildCompletionsBody("m", request(false))).toEqual({
      model: "m",
      prompt: "Answer in one word.\n\nThe capital of France is",
      stream: false,
    });
    expect(buildCompletionsBody("m", request(true), false)).not.toHaveProperty("stream_options");
  });

  it("a suite cannot switch streaming off through params", () => {
    expect(buildCompletionsBody("m", request(true, { stream: false })).stream).toBe(true);
  });

  it("chat sends the messages instead of a prompt, the rest alike", () => {
    const chat = buildChatBody("m", request(true, { max_tokens: 10 }));
    const { prompt: _prompt, ...rest } = buildCompletionsBody("m", request(true, { max_tokens: 10 }));
    expect(chat).toEqual({ ...rest, messages: [system, user] });
  });
});

describe("bearerHeaders", () => {
  it("adds authorization only with a key, after the suite's headers", () => {
    expect(bearerHeaders({ headers: { "x-a": "1" } })).toEqual({ "x-a": "1" });
    expect(bearerHeaders({ apiKey: "k", headers: { authorization: "old" } })).toEqual({
      authorization: "Bearer k",
    });
  });
});

describe("completions decoders", () => {
  it("non-streaming: id, text, finish and usage from one body", () => {
    const body = {
      id: "cmpl-1",
      object: "text_completion",
      choices: [{ index: 0, text: " Paris.", logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 6, completion_tokens: 2, total_tokens: 8 },
    };
    expect(decodeBody(createCompletionsJsonDecoder, JSON.stringify(body))).toEqual([
      { type: "response_id", id: "cmpl-1" },
      { type: "content", kind: "text", text: " Paris." },
      { type: "finish", reason: "stop" },
      { type: "usage", promptTokens: 6, completionTokens: 2 },
    ]);
  });

  it("streaming: an empty text (the finish chunk's) is not content", () => {
    const wire = 'data: {"id":"c","choices":[{"text":"","finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    expect(decodeBody(createCompletionsStreamDecoder, wire)).toEqual([
      { type: "response_id", id: "c" },
      { type: "finish", reason: "stop" },
    ]);
  });
});
