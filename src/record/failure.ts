/**
 * Why a request failed: the vocabulary of error_rate and errorsByKind. A failed assertion is not a
 * failed request: it lives in the case's outcome. `redirect` is a 3xx (reported with its target,
 * never followed); `not_a_stream` is a body that is not a stream where one was asked (a login page,
 * one JSON answer). `client_error` is this machine failing (out of file descriptors, buffers,
 * ports): the request never reached the server, so it is recorded but never counted against it.
 * `cut_off_at_phase_end` and `interrupted` are requests still in flight when the run itself ended
 * them (see CutOff): a phase's tail is part of its result.
 */
export const FAILURE_KINDS = [
  "connect",
  "timeout",
  "http_4xx",
  "http_429",
  "http_5xx",
  "redirect",
  "stream_dropped",
  "not_a_stream",
  "malformed",
  "client_error",
  "cut_off_at_phase_end",
  "interrupted",
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

/** The kinds a run gives the requests it cuts off itself. */
export type CutOffKind = Extract<FailureKind, "cut_off_at_phase_end" | "interrupted">;

/**
 * The reason an AbortSignal carries when the run cuts its in-flight requests off (a phase's time
 * limit, the grace after Ctrl-C): a provider records each request it ends as failed with `kind` and
 * this message, so a cut-off request is a failure of its own kind, never a timeout or a gap.
 */
export class CutOff extends Error {
  constructor(
    readonly kind: CutOffKind,
    message: string,
  ) {
    super(message);
    this.name = "CutOff";
  }
}
