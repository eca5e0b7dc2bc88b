import type { FailureKind } from "./failure.js";

/** What a quality run records per case and target: the outcome, its assertions, its logprobs. */

/** A scored quality case on one target. */
export interface CaseOutcome {
  caseId: string;
  target: string;
  prompt: { name: string; version: number };
  output: string;
  /** Set when the request failed; the case is then neither passed nor scored. */
  error?: string;
  /** The failure's kind, when the request failed (absent in runs written before it existed). */
  errorKind?: FailureKind;
  /** The id the case's last request was sent with (`x-request-id`). */
  requestId?: string;
  /** The server's own id for a failed request, when it sent one. */
  serverRequestId?: string;
  score: number;
  pass: boolean;
  assertions: AssertionResult[];
  ttftMs?: number;
  e2eMs?: number;
  outputTokens: number;
  /** Prompt tokens from the server's usage, for per-case cost; absent when it reported none. */
  inputTokens?: number;
  /** Expected class label, from the case's `label:` (classification metrics). */
  label?: string;
  /** Expected items, from the case's `expected:` (set precision/recall). */
  expected?: string[];
  /** The case's cluster (its `cluster:`, or the case itself when it is repeated). */
  cluster?: string;
  /** Which of the case's `repeat` runs this is, from 0; absent when the case runs once. */
  attempt?: number;
  /** Answered from the response cache: no request was sent, so it has no latency. */
  cached?: boolean;
  /** Per-token top-k logprobs, for targets with `logprobs:` (same-top-1 and KL in comparisons). */
  logprobs?: OutcomeLogprobs;
}

/** One assertion's result, as run.json and the reports hold it. */
export interface AssertionResult {
  /** The assertion type as the suite names it (equals, json-schema, llm-judge, ...). */
  type: string;
  /** 0..1, after `not` is applied. */
  score: number;
  pass: boolean;
  /** Why, in words a person reads in a report. */
  reason: string;
  /** Longer evidence kept for the report: the judge's full reply, schema errors. */
  detail?: string;
}

/** What run.json keeps of an answer's logprobs: its tokens and their top-k alternatives. */
export interface OutcomeLogprobs {
  tokens: TokenTop[];
}

/** One generated token with its logprob and the top-k alternatives the server returned. */
export interface TokenTop {
  token: string;
  /** [token, logprob] pairs, most likely first as the server sent them. */
  top: Array<[string, number]>;
}
