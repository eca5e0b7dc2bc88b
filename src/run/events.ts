import type { RequestSample } from "../metrics/sample.js";
import type { AssertionResult } from "../quality/assertions.js";
import type { RunResult } from "./result.js";
import type { OutcomeLogprobs } from "../compare/logprobs.js";

/** A scored quality case on one target. */
export interface CaseOutcome {
  caseId: string;
  target: string;
  prompt: { name: string; version: number };
  output: string;
  /** Set when the request failed; the case is then neither passed nor scored. */
  error?: string;
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

/**
 * The one event stream a run produces. The live UI, the plain CI reporter and the
 * requests.ndjson writer are all consumers of it.
 */
export type RunEvent =
  | { type: "run_started"; suite: string; targets: string[]; cases: number }
  | { type: "target_started"; target: string; phase: string; total?: number; durationS?: number }
  | { type: "target_unreachable"; target: string; message: string }
  | { type: "request_finished"; sample: RequestSample; outcome?: CaseOutcome; warmup?: boolean }
  | { type: "target_finished"; target: string; phase: string }
  | { type: "warning"; message: string }
  | { type: "interrupted"; reason: string }
  | { type: "run_finished"; result: RunResult };

export type RunEventSink = (event: RunEvent) => void;
