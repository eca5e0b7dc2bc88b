/**
 * `--otlp URL`: where spans go, over the suite's `export.otlp.url` (its headers are kept). Applied to
 * the suite before the plan is built, so the plan resolves it once as if the suite had said it
 * (the traces path completed, secret query values redacted).
 */
import type { LoadedSuite } from "../config/load-suite.js";
import { otlpTracesUrl } from "../config/plan-export.js";
import { UsageError } from "../errors.js";

export function applyOtlpOverride(loaded: LoadedSuite, url: string | undefined): LoadedSuite {
  if (url === undefined) return loaded;
  if (!otlpTracesUrl(url))
    throw new UsageError(
      `--otlp expects an http:// or https:// OTLP endpoint such as http://localhost:4318, got ${url}`,
    );
  const headers = loaded.suite.export?.otlp?.headers;
  return {
    ...loaded,
    suite: { ...loaded.suite, export: { otlp: { url, ...(headers ? { headers } : {}) } } },
  };
}
