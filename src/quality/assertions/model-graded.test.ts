import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../providers/types.js";
import { bareContext, runAssertion } from "../assertions.js";
import type { Graders } from "../assertion-types.js";
import { planAssertion } from "../../../test/helpers/plan-assertion.js";
import { cosine } from "./model-graded.js";

/** Graders answering from tables, recording what they were asked. */
function fakeGraders(judgeReply: string | Error, vectors: Record<string, number[]> = {}) {
  const asked: ChatMessage[][] = [];
  const graders: Graders = {
    chat: (_t, messages) => {
      asked.push(messages);
      return judgeReply instanceof Error ? Promise.reject(judgeReply) : Promise.resolve(judgeReply);
    },
    embed: (_t, texts) => Promise.resolve(texts.map((t) => vectors[t] ?? [0, 0, 1])),
  };
  return { graders, asked };
}

describe("similar", () => {
  const vectors = {
    "Paris is the capital": [1, 0, 0],
    "The capital is Paris": [0.9, 0.1, 0],
    Lyon: [0, 1, 0],
  };
  it.each<[string, string, string | string[], number | undefined, number, boolean]>([
    [
      "same meaning",
      "The capital is Paris",
      "Paris is the capital",
      undefined,
      0.9 / Math.hypot(0.9, 0.1),
      true,
    ],
    ["unrelated", "Lyon", "Paris is the capital", undefined, 0, false],
    ["best of references", "Lyon", ["Paris is the capital", "Lyon"], undefined, 1, true],
    ["threshold", "The capital is Paris", "Paris is the capital", 0.999, 0.9 / Math.hypot(0.9, 0.1), false],
  ])("%s", async (_name, output, ref, threshold, score, pass) => {
    const { graders } = fakeGraders("", vectors);
    const a = planAssertion("similar", ref, {
      target: "embedder",
      ...(threshold === undefined ? {} : { threshold }),
    });
    const r = await runAssertion(output, a, bareContext({ graders }));
    expect(r.score).toBeCloseTo(score, 10);
    expect(r.pass).toBe(pass);
    expect(r.reason).toMatch(/cosine similarity \(embedder\)/);
  });

  it("an unreachable embedder fails the assertion with the error", async () => {
    const graders: Graders = {
      chat: () => Promise.reject(new Error("x")),
      embed: () => Promise.reject(new Error('target "embedder" failed: connect: ECONNREFUSED')),
    };
    const r = await runAssertion(
      "x",
      planAssertion("similar", "y", { target: "embedder" }),
      bareContext({ graders }),
    );
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toMatch(/^error: target "embedder" failed: connect/);
  });

  it("cosine", () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([1], [1, 2])).toBe(0);
  });
});

describe("llm-judge", () => {
  const ctx = (graders: Graders) =>
    bareContext({ graders, messages: [{ role: "user", content: "What is the capital of France?" }] });

  it("sends rubric, question and answer; keeps the judge's reasoning", async () => {
    const { graders, asked } = fakeGraders(
      '{"reason": "Names Paris correctly.", "score": 0.9, "pass": true}',
    );
    const a = planAssertion("llm-judge", "Names the capital of France", { target: "judge" });
    const r = await runAssertion("Paris", a, ctx(graders));
    expect(r).toMatchObject({ pass: true, score: 0.9 });
    expect(r.reason).toBe("judge judge: pass, score 0.900: Names Paris correctly.");
    expect(r.detail).toContain("Names Paris correctly.");
    const user = asked[0]![1]!.content;
    expect(user).toContain("Rubric:\nNames the capital of France");
    expect(user).toContain("Question:\nWhat is the capital of France?");
    expect(user).toContain("<answer>\nParis\n</answer>");
  });

  it.each<[string, string, number | undefined, number, boolean]>([
    [
      "the judge's pass decides without a threshold",
      '{"reason":"meh","score":0.7,"pass":false}',
      undefined,
      0.7,
      false,
    ],
    ["a threshold decides by score", '{"reason":"meh","score":0.7,"pass":false}', 0.6, 0.7, true],
    ["score only, default threshold 0.5", '{"reason":"ok","score":0.5}', undefined, 0.5, true],
    ["JSON inside prose", 'Sure. {"reason":"wrong city","score":0} Done.', undefined, 0, false],
    ["bare PASS", "PASS - it is right", undefined, 1, true],
    ["bare FAIL", "FAIL", undefined, 0, false],
  ])("%s", async (_name, reply, threshold, score, pass) => {
    const { graders } = fakeGraders(reply);
    const a = planAssertion("llm-judge", "rubric", {
      target: "judge",
      ...(threshold === undefined ? {} : { threshold }),
    });
    const r = await runAssertion("answer", a, ctx(graders));
    expect(r.score).toBeCloseTo(score, 12);
    expect(r.pass).toBe(pass);
  });

  it.each([
    ["a reply with no verdict", "I think it is fine", /judge reply not understood/],
    ["a score outside 0..1", '{"score": 7}', /outside 0\.\.1/],
    ["a judge that cannot be reached", new Error('target "judge" failed: http_5xx: 503'), /http_5xx/],
  ])("%s fails the assertion with a reason", async (_name, reply, reason) => {
    const { graders } = fakeGraders(reply);
    const r = await runAssertion(
      "answer",
      planAssertion("llm-judge", "rubric", { target: "judge" }),
      ctx(graders),
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(reason);
  });

  it("a huge output is cut for the judge, and the judge is told", async () => {
    const { graders, asked } = fakeGraders('{"score": 1}');
    await runAssertion(
      "x".repeat(1_000_000),
      planAssertion("llm-judge", "r", { target: "judge" }),
      ctx(graders),
    );
    const user = asked[0]![1]!.content;
    expect(user.length).toBeLessThan(25_000);
    expect(user).toContain("first 20000 of 1000000 characters");
  });

  it("unicode passes through to the judge untouched", async () => {
    const { graders, asked } = fakeGraders('{"score": 1, "reason": "正しい"}');
    const r = await runAssertion(
      "東京 👋",
      planAssertion("llm-judge", "首都", { target: "judge" }),
      ctx(graders),
    );
    expect(asked[0]![1]!.content).toContain("東京 👋");
    expect(r.reason).toContain("正しい");
  });
});
