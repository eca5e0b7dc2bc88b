import type { PlanCase, PlanTarget } from "../config/plan.js";
import type { RequestSample } from "../record/request-sample.js";
import { bareContext, type Graders, type ScoringContext } from "./assertion-types.js";
import type { Redactor } from "../util/redact.js";

/**
 * This request's cost from the target's token prices, or undefined when it has none or the tokens a
 * price applies to are unknown (input tokens come only from the server's usage).
 */
export function requestCostUsd(
  pricing: PlanTarget["pricing"],
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): number | undefined {
  const { inputPerMtok, outputPerMtok } = pricing;
  if (inputPerMtok === undefined && outputPerMtok === undefined) return undefined;
  if (inputPerMtok && inputTokens === undefined) return undefined;
  if (outputPerMtok && outputTokens === undefined) return undefined;
  return ((inputTokens ?? 0) * (inputPerMtok ?? 0) + (outputTokens ?? 0) * (outputPerMtok ?? 0)) / 1e6;
}

/**
 * What the assertions of one case may use besides the output: the case, the measured sample (none
 * for a cached answer, so latency assertions fail rather than pass on nothing), its cost, and the
 * graders (judge and embeddings targets).
 */
export function scoringContext(
  c: PlanCase,
  target: PlanTarget,
  sample: Pick<RequestSample, "ttftUs" | "e2eUs" | "inputTokens" | "outputTokens"> | undefined,
  graders: Graders | undefined,
  signal?: AbortSignal,
  redact?: Redactor,
): ScoringContext {
  const ctx = bareContext({
    ...(redact ? { redact } : {}),
    caseId: c.id,
    target: target.name,
    vars: c.vars,
    prompt: c.prompt,
    messages: c.messages,
    ...(graders ? { graders } : {}),
    ...(signal ? { signal } : {}),
  });
  if (!sample) return ctx;
  if (sample.ttftUs !== undefined) ctx.ttftMs = sample.ttftUs / 1000;
  if (sample.e2eUs !== undefined) ctx.e2eMs = sample.e2eUs / 1000;
  if (sample.inputTokens !== undefined) ctx.inputTokens = sample.inputTokens;
  ctx.outputTokens = sample.outputTokens;
  const cost = requestCostUsd(target.pricing, sample.inputTokens, sample.outputTokens);
  if (cost !== undefined) ctx.costUsd = cost;
  return ctx;
}
