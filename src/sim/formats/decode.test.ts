import { describe, expect, it } from "vitest";
import { anthropicMessagesFormat } from "./anthropic-messages.js";
import { ollamaChatFormat } from "./ollama-chat.js";
import { ollamaGenerateFormat } from "./ollama-generate.js";
import { openAiChatFormat } from "./openai-chat.js";
import { openAiCompletionsFormat } from "./openai-completions.js";
import { tgiGenerateFormat, tgiGenerateStreamFormat } from "./tgi.js";
import type { SimFormat } from "./types.js";

const user = (content: unknown) => ({ role: "user", content });
const base = { stream: false, includeUsage: false };

// [name, format, request body, decoded request or error: a partial match, where undefined means absent]
// prettier-ignore
const CASES: Array<[string, SimFormat, unknown, Record<string, unknown>]> = [
  ["chat", openAiChatFormat, { messages: [user("hi")], max_tokens: 5 }, { ...base, texts: ["hi"], lastUserMessage: "hi", maxTokens: 5 }],
  ["chat max_completion_tokens wins", openAiChatFormat, { messages: [user("hi")], max_tokens: 5, max_completion_tokens: 7 }, { maxTokens: 7 }],
  ["chat content parts", openAiChatFormat, { messages: [user([{ type: "text", text: "a" }, { type: "text", text: "b" }])] }, { lastUserMessage: "ab" }],
  ["chat logprobs", openAiChatFormat, { messages: [user("hi")], logprobs: true, top_logprobs: 3 }, { logprobs: 3 }],
  ["chat logprobs without top", openAiChatFormat, { messages: [user("hi")], logprobs: true }, { logprobs: 0 }],
  ["chat no logprobs", openAiChatFormat, { messages: [user("hi")], logprobs: false, top_logprobs: 0 }, { logprobs: undefined }],
  ["chat top_logprobs alone", openAiChatFormat, { messages: [user("hi")], top_logprobs: 2 }, { error: "when using `top_logprobs`, `logprobs` must be set to true." }],
  ["chat too many", openAiChatFormat, { messages: [user("hi")], logprobs: true, top_logprobs: 21 }, { error: "Requested sample logprobs of 21, which is greater than max allowed: 20" }],
  ["chat no messages", openAiChatFormat, { messages: [] }, { error: "messages must be a non-empty array" }],
  ["completions", openAiCompletionsFormat, { prompt: "The capital", max_tokens: 10, stream: true, stream_options: { include_usage: true } }, { texts: ["The capital"], lastUserMessage: "The capital", maxTokens: 10, stream: true, includeUsage: true }],
  ["completions default max_tokens", openAiCompletionsFormat, { prompt: "x" }, { maxTokens: 16 }],
  ["completions list of one", openAiCompletionsFormat, { prompt: ["x"] }, { lastUserMessage: "x" }],
  ["completions list of two", openAiCompletionsFormat, { prompt: ["x", "y"] }, { error: "prompt must be a string or a list of one string" }],
  ["completions token ids", openAiCompletionsFormat, { prompt: [1, 2] }, { error: "prompt must be a string or a list of one string" }],
  ["completions logprobs", openAiCompletionsFormat, { prompt: "x", logprobs: 2 }, { logprobs: 2 }],
  ["completions too many", openAiCompletionsFormat, { prompt: "x", logprobs: 21 }, { error: "Requested sample logprobs of 21, which is greater than max allowed: 20" }],
  ["anthropic", anthropicMessagesFormat, { max_tokens: 9, system: "be brief", messages: [user("hi")], stream: true }, { texts: ["be brief", "hi"], lastUserMessage: "hi", maxTokens: 9, stream: true, includeUsage: true }],
  ["anthropic system blocks", anthropicMessagesFormat, { max_tokens: 9, system: [{ type: "text", text: "sys" }], messages: [user("hi")] }, { texts: ["sys", "hi"] }],
  ["anthropic needs max_tokens", anthropicMessagesFormat, { messages: [user("hi")] }, { error: "max_tokens: Field required" }],
  ["ollama chat streams by default", ollamaChatFormat, { messages: [user("hi")], options: { num_predict: 4 } }, { texts: ["hi"], maxTokens: 4, stream: true, includeUsage: true }],
  ["ollama chat stream false", ollamaChatFormat, { messages: [user("hi")], stream: false }, { stream: false, maxTokens: undefined }],
  ["ollama generate", ollamaGenerateFormat, { prompt: "why", system: "sys" }, { texts: ["sys", "why"], lastUserMessage: "why", stream: true }],
  ["ollama generate no prompt", ollamaGenerateFormat, { messages: [user("hi")] }, { error: "prompt must be a string" }],
  ["tgi stream is always a stream", tgiGenerateStreamFormat, { inputs: "x", stream: false, parameters: { max_new_tokens: 3, details: true } }, { texts: ["x"], maxTokens: 3, stream: true, includeUsage: true, logprobs: 0 }],
  ["tgi generate", tgiGenerateFormat, { inputs: "x" }, { stream: false, includeUsage: false }],
  ["tgi no inputs", tgiGenerateStreamFormat, { prompt: "x" }, { error: "inputs must be a string" }],
];

describe("decode", () => {
  it.each(CASES)("%s", (_name, format, body, expected) => {
    const decoded = format.decode(body);
    const absent = Object.keys(expected).filter((k) => expected[k] === undefined);
    for (const key of absent) expect(decoded).not.toHaveProperty(key);
    expect(decoded).toMatchObject(
      Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)),
    );
  });
});
