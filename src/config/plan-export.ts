/**
 * The suite's `export:`: where the run's requests are also sent. Resolved once, here: the OTLP URL
 * completed to its traces path, and every header value and secret-looking query value returned as
 * a secret, so no output (a span's attributes, an export error) can show them.
 */
import { urlCredentials } from "../util/endpoint-url.js";
import type { IssueAt } from "./issue-at.js";
import type { ConfigIssue } from "../errors.js";
import type { Suite } from "./schema.js";

/** An OTLP/HTTP (JSON) traces endpoint and the headers every export carries. */
export interface OtlpExport {
  url: string;
  headers: Record<string, string>;
}

/** The traces path an OTLP/HTTP receiver serves when a URL names only its origin. */
const TRACES_PATH = "/v1/traces";

/**
 * `http://collector:4318` → `http://collector:4318/v1/traces`; a URL with a path is used as written
 * (Langfuse's `/api/public/otel/v1/traces`, LangSmith's `/otel/v1/traces`). Undefined when `raw` is
 * not an http(s) URL.
 */
export function otlpTracesUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.pathname === "/" || url.pathname === "") url.pathname = TRACES_PATH;
  return url.toString();
}

/** The plan's `export`, with its secrets pushed to `secrets`; issues for what cannot be used. */
export function resolveExport(
  suite: Suite,
  at: IssueAt,
  issues: ConfigIssue[],
  secrets: string[],
): { otlp?: OtlpExport } | undefined {
  const otlp = suite.export?.otlp;
  if (!otlp) return undefined;
  const url = otlpTracesUrl(otlp.url);
  if (!url) {
    issues.push(at(["export", "otlp", "url"], "expected an http:// or https:// OTLP endpoint"));
    return undefined;
  }
  const headers = otlp.headers ?? {};
  secrets.push(...Object.values(headers).filter((v) => v.length > 0), ...urlCredentials(url).secrets);
  return { otlp: { url, headers } };
}
