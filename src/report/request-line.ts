import type { RequestSample } from "../record/request-sample.js";
import type { CaseOutcome } from "../record/case-outcome.js";

const ms = (us: number | undefined) => (us === undefined ? undefined : Math.round(us) / 1000);

/**
 * One requests.ndjson line: a finished request in ms, with its case verdict when it had one.
 * `request_id` is the `x-request-id` it was sent with; `elapsed_ms` runs from its start to its end,
 * which for a failure is how long it waited before it failed or was cut off.
 */
export function renderRequestLine(sample: RequestSample, outcome?: CaseOutcome, warmup = false): string {
  return (
    JSON.stringify({
      target: sample.target,
      phase: sample.phase,
      warmup: warmup || undefined,
      case: sample.caseId,
      request_id: sample.requestId,
      response_id: sample.responseId,
      ok: sample.ok,
      failure: sample.failure,
      start_us: Math.round(sample.startUs),
      elapsed_ms: ms(sample.endUs - sample.startUs),
      dispatch_delay_ms: ms(sample.dispatchDelayUs),
      ttft_ms: ms(sample.ttftUs),
      e2e_ms: ms(sample.e2eUs),
      tpot_ms: ms(sample.tpotUs),
      itl_ms: sample.itlGapsUs.map((g) => Math.round(g) / 1000),
      output_tokens: sample.outputTokens,
      output_tokens_estimated: sample.outputTokensEstimated,
      input_tokens: sample.inputTokens,
      chunks: sample.chunks,
      finish_reason: sample.finishReason,
      pass: outcome?.error === undefined ? outcome?.pass : undefined,
      score: outcome?.error === undefined ? outcome?.score : undefined,
      output: outcome?.output,
    }) + "\n"
  );
}
