import { describe, expect, it } from "vitest";
import { conversationCase, detectFormat } from "./conversations.js";
import { rowCase } from "./plan-dataset-rows.js";

const json = (v: unknown) => JSON.stringify(v);

describe("conversation rows", () => {
  it("ShareGPT: roles mapped, the last gpt turn held back as expected", () => {
    const row = {
      conversations: json([
        { from: "system", value: "Be brief." },
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Hello" },
        { from: "human", value: "Bye?" },
        { from: "gpt", value: "Bye." },
      ]),
    };
    expect(conversationCase("sharegpt", row)).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Bye?" },
      ],
      expected: "Bye.",
    });
  });

  it("a row's own expected wins over the recorded answer; a conversation ending on the user has none", () => {
    const answered = {
      conversations: json([
        { from: "human", value: "Q" },
        { from: "gpt", value: "A" },
      ]),
      expected: "B",
    };
    expect(conversationCase("sharegpt", answered)).toEqual({
      messages: [{ role: "user", content: "Q" }],
      expected: "B",
    });
    const open = { messages: json([{ role: "user", content: "Q" }]) };
    expect(conversationCase("openai_chat", open)).toEqual({ messages: [{ role: "user", content: "Q" }] });
  });

  it("OpenAI chat: few-shot turns kept, text parts joined", () => {
    const row = {
      messages: json([
        { role: "user", content: "I love it" },
        { role: "assistant", content: "positive" },
        {
          role: "user",
          content: [
            { type: "text", text: "Meh" },
            { type: "text", text: "really" },
          ],
        },
        { role: "assistant", content: "negative" },
      ]),
    };
    expect(conversationCase("openai_chat", row)).toEqual({
      messages: [
        { role: "user", content: "I love it" },
        { role: "assistant", content: "positive" },
        { role: "user", content: "Meh\nreally" },
      ],
      expected: "negative",
    });
  });

  it.each([
    [
      "sharegpt",
      { conversations: json([{ from: "bot", value: "x" }]) },
      'conversations[0].from: expected human, gpt or system, got "bot"',
    ],
    ["sharegpt", { conversations: json([{ from: "human" }]) }, "conversations[0].value: expected text"],
    ["sharegpt", { conversations: "[]" }, "conversations: expected a non-empty array of turns"],
    ["sharegpt", { conversations: "{oops" }, "conversations: expected an array of turns"],
    [
      "sharegpt",
      { conversations: json([{ from: "gpt", value: "x" }]) },
      "conversations: no user turn to send before the answer",
    ],
    ["openai_chat", { other: 1 }, "messages: missing"],
    [
      "openai_chat",
      { messages: json([{ role: "tool", content: "x" }]) },
      'messages[0].role: expected system, user or assistant, got "tool"',
    ],
    [
      "openai_chat",
      { messages: json([{ role: "user", content: [{ type: "image_url", image_url: {} }] }]) },
      'messages[0].content[0]: only text parts can be sent (got "image_url")',
    ],
  ] as const)("%s row %j: %s", (format, row, message) => {
    expect(conversationCase(format, row)).toBe(message);
  });

  it.each([
    [{ conversations: "[]" }, "sharegpt"],
    [{ messages: "[]" }, "openai_chat"],
    [
      { conversations: "[]", messages: "[]" },
      { error: expect.stringMatching(/both .* set format: sharegpt or format: openai_chat/) },
    ],
    [{ question: "q" }, { error: expect.stringMatching(/^expected prompt:/) }],
  ])("detects %j", (first, format) => {
    expect(detectFormat(first)).toEqual(format);
  });

  it("scrub: pii cleans messages, expected and the other columns, never the id", () => {
    const row = {
      id: "case-12345678",
      note: "from ann@example.com",
      conversations: json([
        { from: "human", value: "I'm ann@example.com, phone 555-123-4567, order 99887766" },
        { from: "gpt", value: "Sent to ann@example.com" },
      ]),
    };
    expect(rowCase("sharegpt", row, "id", true)).toEqual({
      vars: { id: "case-12345678", note: "from [EMAIL]", expected: "Sent to [EMAIL]" },
      messages: [{ role: "user", content: "I'm [EMAIL], phone [PHONE], order [NUMBER]" }],
    });
    expect(rowCase("prompt", { id: 1234567, q: "call 5551234567", n: 12345678 }, "id", true)).toEqual({
      vars: { id: 1234567, q: "call [NUMBER]", n: "[NUMBER]" },
    });
    expect(rowCase("prompt", { q: "ann@example.com" }, "id", false)).toEqual({
      vars: { q: "ann@example.com" },
    });
  });
});
