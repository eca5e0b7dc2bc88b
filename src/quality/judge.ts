import type { ChatMessage } from "../providers/types.js";
import { NO_SECRETS, type Redactor } from "../util/redact.js";

/** The most of an output a judge is shown; longer outputs are cut, and the judge is told so. */
export const JUDGE_MAX_OUTPUT_CHARS = 20_000;

const SYSTEM = [
  "You grade an AI assistant's answer against a rubric.",
  "Think about whether the answer meets the rubric, then reply with one JSON object and nothing else:",
  '{"reason": "<one or two sentences>", "score": <a number from 0 to 1>, "pass": <true or false>}',
].join("\n");

/** The messages sent to a judge: the rubric, the question the case asked, and the answer. */
export function judgeMessages(rubric: string, question: string, output: string): ChatMessage[] {
  const cut = output.length > JUDGE_MAX_OUTPUT_CHARS;
  const answer = cut ? output.slice(0, JUDGE_MAX_OUTPUT_CHARS) : output;
  return [
    { role: "system", content: SYSTEM },
    {
      role: "user",
      content: [
        `Rubric:\n${rubric}`,
        `Question:\n${question}`,
        `Answer${cut ? ` (first ${JUDGE_MAX_OUTPUT_CHARS} of ${output.length} characters)` : ""}:\n<answer>\n${answer}\n</answer>`,
      ].join("\n\n"),
    },
  ];
}

export interface JudgeVerdict {
  score: number;
  /** The judge's own pass/fail, when it gave one. */
  pass?: boolean;
  reason: string;
}

/**
 * Reads a judge's reply: the first JSON object in it with `score` (0..1) and/or `pass`, and its
 * `reason`; failing that, a bare PASS or FAIL. Throws with the reply quoted when neither is there.
 */
export function parseJudgeReply(reply: string, redact: Redactor = NO_SECRETS): JudgeVerdict {
  const start = reply.indexOf("{");
  const end = reply.lastIndexOf("}");
  if (start >= 0 && end > start) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.slice(start, end + 1));
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === "object") {
      const o = parsed as Record<string, unknown>;
      const reason =
        typeof o.reason === "string" ? o.reason : typeof o.reasoning === "string" ? o.reasoning : "";
      const pass = typeof o.pass === "boolean" ? o.pass : undefined;
      if (typeof o.score === "number") {
        if (!(o.score >= 0 && o.score <= 1)) throw new Error(`judge gave score ${o.score}, outside 0..1`);
        return { score: o.score, ...(pass === undefined ? {} : { pass }), reason };
      }
      if (pass !== undefined) return { score: pass ? 1 : 0, pass, reason };
    }
  }
  const word = /\b(PASS|FAIL)\b/.exec(reply);
  if (word) return { score: word[1] === "PASS" ? 1 : 0, pass: word[1] === "PASS", reason: reply.trim() };
  const shown = redact.cut(reply, 200, { mark: "…" });
  throw new Error(`judge reply not understood (expected JSON with score): ${JSON.stringify(shown)}`);
}
