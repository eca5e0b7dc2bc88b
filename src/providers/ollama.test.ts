import { describe, expect, it } from "vitest";
import { decodeBody } from "../../test/helpers/decoders.js";
import {
  buildOllamaChatBody,
  buildOllamaGenerateBody,
  OLLAMA_CHAT,
  OLLAMA_GENERATE,
  ollamaParams,
} from "./ollama.js";
import type { ChatMessage } from "./types.js";

const system: ChatMessage = { role: "system", content: "Be brief." };
const user: ChatMessage = { role: "user", content: "Why is the sky blue?" };

describe("ollamaParams", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ["max_tokens becomes num_predict", { max_tokens: 32 }, { num_predict: 32 }, {}],
    [
      "temperature, top_p, seed keep their names",
      { temperature: 0, top_p: 0.9, seed: 7 },
      { temperature: 0, top_p: 0.9, seed: 7 },
      {},
    ],
    ["a stop string becomes a list", { stop: "\n" }, { stop: ["\n"] }, {}],
    ["a stop list stays", { stop: ["a", "b"] }, { stop: ["a", "b"] }, {}],
    ["Ollama's own options pass through", { num_ctx: 4096, top_k: 20 }, { num_ctx: 4096, top_k: 20 }, {}],
    ["ignore_eos is dropped", { ignore_eos: true, max_tokens: 8 }, { num_predict: 8 }, {}],
    [
      "an options object is merged in",
      { options: { num_ctx: 8192 }, temperature: 0 },
      { num_ctx: 8192, temperature: 0 },
      {},
    ],
    [
      "request-level fields stay at the top",
      { format: "json", keep_alive: "5m", think: true, temperature: 1 },
      { temperature: 1 },
      { format: "json", keep_alive: "5m", think: true },
    ],
  ])("%s", (_, params, options, top) => {
    expect(ollamaParams(params)).toEqual({ options, top });
  });
});

describe("request bodies", () => {
  const params = { max_tokens: 16, temperature: 0, format: "json" };

  it("/api/chat: the messages as they are, options, stream", () => {
    expect(buildOllamaChatBody("llama3.2", { messages: [system, user], params, stream: true })).toEqual({
      model: "llama3.2",
      messages: [system, user],
      format: "json",
      options: { num_predict: 16, temperature: 0 },
      stream: true,
    });
  });

  it("/api/generate: system in `system`, the rest as the prompt; stream false is sent explicitly", () => {
    expect(buildOllamaGenerateBody("qwen", { messages: [system, user], params, stream: false })).toEqual({
      model: "qwen",
      prompt: "Why is the sky blue?",
      system: "Be brief.",
      format: "json",
      options: { num_predict: 16, temperature: 0 },
      stream: false,
    });
    expect(buildOllamaGenerateBody("q", { messages: [user], params: {}, stream: true })).toEqual({
      model: "q",
      prompt: "Why is the sky blue?",
      options: {},
      stream: true,
    });
  });
});

describe("ollama decoders", () => {
  const counts = { prompt_eval_count: 12, eval_count: 5 };

  it("non-streaming chat: thinking, content, tool calls, then finish and usage", () => {
    const toolCalls = [{ function: { name: "f", arguments: { x: 1 } } }];
    const body = {
      model: "m",
      message: { role: "assistant", thinking: "hm", content: "Hi", tool_calls: toolCalls },
      done: true,
      done_reason: "stop",
      ...counts,
    };
    expect(decodeBody(OLLAMA_CHAT.jsonDecoder, JSON.stringify(body))).toEqual([
      { type: "content", kind: "reasoning", text: "hm" },
      { type: "content", kind: "text", text: "Hi", sameChunk: true },
      { type: "content", kind: "tool_call", text: JSON.stringify(toolCalls), sameChunk: true },
      { type: "finish", reason: "stop" },
      { type: "usage", promptTokens: 12, completionTokens: 5 },
    ]);
  });

  it("non-streaming generate: the whole response", () => {
    const body = { model: "m", response: "Hello there", done: true, done_reason: "length", ...counts };
    expect(decodeBody(OLLAMA_GENERATE.jsonDecoder, JSON.stringify(body))).toEqual([
      { type: "content", kind: "text", text: "Hello there" },
      { type: "finish", reason: "length" },
      { type: "usage", promptTokens: 12, completionTokens: 5 },
    ]);
  });

  it("streaming: lines after the done line are ignored; CRLF line ends are fine", () => {
    const wire =
      '{"message":{"content":"a"},"done":false}\r\n' +
      '{"message":{"content":""},"done":true,"done_reason":"stop","eval_count":1}\r\n' +
      '{"message":{"content":"late"},"done":false}\r\n';
    expect(decodeBody(OLLAMA_CHAT.streamDecoder, wire)).toEqual([
      { type: "content", kind: "text", text: "a" },
      { type: "finish", reason: "stop" },
      { type: "usage", completionTokens: 1 },
    ]);
  });
});
