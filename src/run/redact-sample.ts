import type { RequestSample } from "../record/request-sample.js";
import type { Redactor } from "../util/redact.js";

/**
 * A sample with the suite's secrets removed from the only server text it carries, its failure's
 * message (an error body that echoed a key), as it enters the record: every sink, aggregate and
 * report downstream sees it clean, before any of them cuts or escapes it.
 */
export function redactSample(sample: RequestSample, redact: Redactor): RequestSample {
  if (!redact.active || !sample.failure) return sample;
  return { ...sample, failure: { ...sample.failure, message: redact(sample.failure.message) } };
}
