/** The outcome of one threshold: what was observed against what was allowed, and why it held or not. */
export interface Verdict {
  key: string;
  expression: string;
  pass: boolean;
  /** In the metric's unit (ms for latencies, a fraction for rates); undefined when there were no samples. */
  observed?: number;
  limit: number;
  unit: string;
  reason: string;
}
