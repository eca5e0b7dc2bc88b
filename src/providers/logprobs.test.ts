import { describe, expect, it } from "vitest";
import { chatLogprobs, completionLogprobs, tgiTokenLogprob } from "./logprobs.js";

describe("logprob readers", () => {
  it("chat: tokens with alternatives sorted most likely first; malformed entries skipped", () => {
    const value = {
      content: [
        {
          token: " a",
          logprob: -0.1,
          top_logprobs: [
            { token: " b", logprob: -3 },
            { token: " a", logprob: -0.1 },
          ],
        },
        { token: 3, logprob: -1 },
        { token: " c", logprob: "x" },
        { token: " d", logprob: -0.5, top_logprobs: [{ token: " d" }, null] },
      ],
    };
    expect(chatLogprobs(value)).toEqual([
      {
        token: " a",
        logprob: -0.1,
        top: [
          [" a", -0.1],
          [" b", -3],
        ],
      },
      { token: " d", logprob: -0.5, top: [] },
    ]);
  });

  it.each([undefined, null, {}, { content: [] }, { content: "x" }, [1]])("chat: %j gives none", (v) => {
    expect(chatLogprobs(v)).toBeUndefined();
  });

  it("completions: parallel arrays, one {token: logprob} object per token", () => {
    const value = {
      tokens: [" Paris", " is"],
      token_logprobs: [-0.2, -0.05],
      top_logprobs: [{ " Lyon": -2.5, " Paris": -0.2 }, null],
      text_offset: [0, 6],
    };
    expect(completionLogprobs(value)).toEqual([
      {
        token: " Paris",
        logprob: -0.2,
        top: [
          [" Paris", -0.2],
          [" Lyon", -2.5],
        ],
      },
      { token: " is", logprob: -0.05, top: [] },
    ]);
  });

  it.each([null, {}, { tokens: ["a"] }, { tokens: ["a"], token_logprobs: [null] }])(
    "completions: %j gives none",
    (v) => expect(completionLogprobs(v)).toBeUndefined(),
  );

  it("tgi: a token and its top_tokens; special tokens are not content", () => {
    expect(
      tgiTokenLogprob({ id: 5, text: " x", logprob: -0.3, special: false }, [
        { id: 9, text: " y", logprob: -1.2, special: false },
        { id: 5, text: " x", logprob: -0.3, special: false },
        { id: 2, text: "</s>", logprob: -4, special: true },
      ]),
    ).toEqual({
      token: " x",
      logprob: -0.3,
      top: [
        [" x", -0.3],
        [" y", -1.2],
      ],
    });
    expect(tgiTokenLogprob({ id: 2, text: "</s>", logprob: -0.1, special: true }, [])).toBeUndefined();
    expect(tgiTokenLogprob({ text: " x", logprob: Number.NaN }, [])).toBeUndefined();
  });
});
