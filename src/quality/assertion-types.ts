import type { PlanAssertion } from "../config/plan-assertions.js";
import type { TemplateVars } from "../config/template.js";
import type { ChatMessage } from "../providers/types.js";
import { NO_SECRETS, type Redactor } from "../util/redact.js";

/** What a check decides, before `not` is applied. */
export interface CheckVerdict {
  score: number;
  pass: boolean;
  reason: string;
  detail?: string;
}

/** Calls grading targets by name: judges (chat) and embedders. Both reject with a readable Error. */
export interface Graders {
  /** The text a target answers to `messages` (its params, one request, retried per the suite). */
  chat(target: string, messages: ChatMessage[], signal?: AbortSignal): Promise<string>;
  /** One embedding per text from the target's OpenAI-compatible /embeddings, in order. */
  embed(target: string, texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** Everything about the case and its measured request an assertion may use besides the output. */
export interface ScoringContext {
  caseId: string;
  /** The target under test. */
  target: string;
  vars: TemplateVars;
  prompt: { name: string; version: number };
  /** The messages sent, so a judge sees the question. */
  messages: ChatMessage[];
  ttftMs?: number;
  e2eMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** This request's cost in USD from the target's token prices; undefined without them. */
  costUsd?: number;
  graders: Graders;
  signal?: AbortSignal;
  /** The suite's secrets: a reason that quotes the output or the server redacts them before it cuts. */
  redact: Redactor;
}

/** A check: one per assertion type; may be async (judges, embeddings, user code). */
export type Check = (
  output: string,
  a: PlanAssertion,
  ctx: ScoringContext,
) => CheckVerdict | Promise<CheckVerdict>;

const noGraders: Graders = {
  chat: (target) => Promise.reject(new Error(`no grader client: cannot call target "${target}"`)),
  embed: (target) => Promise.reject(new Error(`no grader client: cannot call target "${target}"`)),
};

/** A context with nothing measured and no graders, for scoring outside a run (tests, re-scoring). */
export function bareContext(overrides: Partial<ScoringContext> = {}): ScoringContext {
  return {
    caseId: "case",
    target: "target",
    vars: {},
    prompt: { name: "prompt", version: 1 },
    messages: [],
    graders: noGraders,
    redact: NO_SECRETS,
    ...overrides,
  };
}

/** Normalises text per the assertion: trim and collapse whitespace runs, lower-case if asked. */
export function norm(text: string, a: PlanAssertion): string {
  let t = a.trim ? text.trim().replace(/\s+/g, " ") : text;
  if (a.caseInsensitive) t = t.toLowerCase();
  return t;
}

/**
 * Quotes text for a reason, at most 80 characters of it, redacted before it is cut and quoted: a
 * cut must not leave a secret's first characters, nor quoting escape one out of the redactor's sight.
 */
export const quote = (s: string, redact: Redactor): string =>
  JSON.stringify(redact.cut(s, 80, { mark: "…" }));

/** A pass/fail verdict: score 1 or 0. */
export const binary = (pass: boolean, reason: string): CheckVerdict => ({
  score: pass ? 1 : 0,
  pass,
  reason,
});

/** A graded verdict: passes when the score reaches `threshold`. Scores shown to 3 places. */
export function graded(score: number, threshold: number, what: string): CheckVerdict {
  const s = Math.min(1, Math.max(0, score));
  const pass = s >= threshold;
  return { score: s, pass, reason: `${what} ${s.toFixed(3)} ${pass ? ">=" : "<"} ${threshold}` };
}

/** The references of a graded text assertion (one or several). */
export const references = (a: PlanAssertion): string[] =>
  Array.isArray(a.value) ? a.value.map(String) : [String(a.value)];
