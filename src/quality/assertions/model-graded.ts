import { GRADED_DEFAULT_THRESHOLD } from "../../config/assertion-schema.js";
import { graded, references, type Check } from "../assertion-types.js";
import { judgeMessages, parseJudgeReply } from "../judge.js";

/** Cosine similarity of two vectors (0 when either is all zeros or their lengths differ). */
export function cosine(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length === 0) return 0;
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i]! * y[i]!;
    xx += x[i]! * x[i]!;
    yy += y[i]! * y[i]!;
  }
  return xx === 0 || yy === 0 ? 0 : dot / Math.sqrt(xx * yy);
}

/** Assertions graded by another model: embedding similarity and an LLM judge with a rubric. */
export const MODEL_GRADED_CHECKS = {
  similar: async (out, a, ctx) => {
    const refs = references(a);
    const vectors = await ctx.graders.embed(a.target!, [out, ...refs], ctx.signal);
    const best = Math.max(...refs.map((_, i) => cosine(vectors[0]!, vectors[i + 1]!)));
    return graded(
      Math.max(0, best),
      a.threshold ?? GRADED_DEFAULT_THRESHOLD.similar!,
      `cosine similarity (${a.target})`,
    );
  },
  "llm-judge": async (out, a, ctx) => {
    const question = [...ctx.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const reply = await ctx.graders.chat(
      a.target!,
      judgeMessages(String(a.value), question, out),
      ctx.signal,
    );
    const verdict = parseJudgeReply(reply, ctx.redact);
    const threshold = a.threshold ?? GRADED_DEFAULT_THRESHOLD["llm-judge"]!;
    const g = graded(verdict.score, threshold, `judge ${a.target} scored`);
    // Without a threshold of its own, the judge's explicit pass/fail (when it gave one) decides.
    if (a.threshold === undefined && verdict.pass !== undefined) {
      g.pass = verdict.pass;
      g.reason = `judge ${a.target}: ${verdict.pass ? "pass" : "fail"}, score ${g.score.toFixed(3)}`;
    }
    // Keep the judge's reasoning where a person will read it, and its whole reply as evidence.
    return {
      ...g,
      reason: verdict.reason ? `${g.reason}: ${verdict.reason}` : g.reason,
      detail: ctx.redact.cut(reply, 4_000, { mark: "…" }),
    };
  },
} satisfies Record<string, Check>;
