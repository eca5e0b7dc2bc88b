import { describe, expect, it } from "vitest";
import { decodeBody } from "../../test/helpers/decoders.js";
import {
  ANTHROPIC_VERSION,
  anthropicHeaders,
  buildAnthropicBody,
  createAnthropicJsonDecoder,
  createAnthropicStreamDecoder,
  DEFAULT_MAX_TOKENS,
} from "./anthropic.js";
import type { ChatMessage } from "./types.js";

const system: ChatMessage = { role: "system", content: "Be brief." };
const user: ChatMessage = { role: "user", content: "Hi" };

describe("anthropicHeaders", () => {
  it("names the API version and sends the key as x-api-key, never as a bearer token", () => {
    const headers = anthropicHeaders({ apiKey: "sk-ant-1", headers: { "x-trace": "t" } });
    expect(headers).toEqual({ "anthropic-version": "2023-06-01", "x-trace": "t", "x-api-key": "sk-ant-1" });
    expect(ANTHROPIC_VERSION).toBe("2023-06-01");
    expect(headers).not.toHaveProperty("authorization");
  });

  it("without a key: no x-api-key; a suite header may name another version", () => {
    expect(anthropicHeaders({ headers: { "anthropic-version": "2099-01-01" } })).toEqual({
      "anthropic-version": "2099-01-01",
    });
  });
});

describe("buildAnthropicBody", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["max_tokens defaults to 1024", {}, { max_tokens: DEFAULT_MAX_TOKENS }],
    ["max_tokens as given", { max_tokens: 64 }, { max_tokens: 64 }],
    [
      "other params pass through",
      { temperature: 0, top_k: 5 },
      { max_tokens: 1024, temperature: 0, top_k: 5 },
    ],
    ["stop becomes stop_sequences", { stop: "\n" }, { max_tokens: 1024, stop_sequences: ["\n"] }],
    ["a stop list stays a list", { stop: ["a", "b"] }, { max_tokens: 1024, stop_sequences: ["a", "b"] }],
    ["ignore_eos is dropped", { ignore_eos: true, max_tokens: 8 }, { max_tokens: 8 }],
  ])("%s", (_, params, fields) => {
    expect(buildAnthropicBody("claude", { messages: [system, user], params, stream: true })).toEqual({
      model: "claude",
      system: "Be brief.",
      messages: [user],
      stream: true,
      ...fields,
    });
  });

  it("system messages go to `system` (joined), never into messages; none means no system field", () => {
    const two = buildAnthropicBody("c", { messages: [system, system, user], params: {}, stream: false });
    expect(two.system).toBe("Be brief.\n\nBe brief.");
    expect(two.messages).toEqual([user]);
    expect(two.stream).toBe(false);
    expect(buildAnthropicBody("c", { messages: [user], params: {}, stream: true })).not.toHaveProperty(
      "system",
    );
  });
});

describe("anthropic decoders", () => {
  it("non-streaming: id, each content block in order, stop_reason, usage with cache tokens counted", () => {
    const body = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me think.", signature: "sig" },
        { type: "text", text: "Hello" },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      usage: {
        input_tokens: 10,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 2,
        output_tokens: 7,
      },
    };
    expect(decodeBody(createAnthropicJsonDecoder, JSON.stringify(body))).toEqual([
      { type: "response_id", id: "msg_1" },
      { type: "content", kind: "reasoning", text: "Let me think." },
      { type: "content", kind: "text", text: "Hello", sameChunk: true },
      { type: "content", kind: "tool_call", text: JSON.stringify(body.content[2]), sameChunk: true },
      { type: "finish", reason: "tool_use" },
      { type: "usage", promptTokens: 17, completionTokens: 7 },
    ]);
  });

  it("streaming: thinking and tool-use deltas are content; signatures and pings are not", () => {
    const ev = (payload: { type: string; [k: string]: unknown }) =>
      `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
    const tool = { type: "tool_use", id: "toolu_1", name: "f", input: {} };
    const wire = [
      ev({ type: "message_start", message: { id: "msg_2", usage: { input_tokens: 4, output_tokens: 1 } } }),
      ev({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }),
      ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } }),
      ev({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "abc" } }),
      ev({ type: "ping" }),
      ev({ type: "content_block_start", index: 1, content_block: tool }),
      ev({
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"a":' },
      }),
      ev({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } }),
      ev({ type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } }),
      ev({ type: "message_stop" }),
    ].join("");
    expect(decodeBody(createAnthropicStreamDecoder, wire)).toEqual([
      { type: "response_id", id: "msg_2" },
      { type: "content", kind: "reasoning", text: "hmm" },
      { type: "content", kind: "tool_call", text: JSON.stringify(tool) },
      { type: "content", kind: "tool_call", text: '{"a":' },
      { type: "finish", reason: "tool_use" },
      { type: "usage", promptTokens: 4, completionTokens: 9 },
    ]);
  });
});
