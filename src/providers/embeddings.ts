import { request } from "undici";
import { NO_SECRETS, redactUrl, type Redactor } from "../util/redact.js";
import { endpointUrl } from "../util/endpoint-url.js";
import { bearerHeaders } from "./http-provider.js";
import { classifyNetworkError, parseRetryAfter, statusKind } from "./http-failures.js";
import type { Timeouts } from "./types.js";
import type { FailureKind } from "../record/failure.js";

/** The most of an /embeddings answer read; a bigger one is a broken server, not data. */
const MAX_EMBEDDINGS_BYTES = 32 << 20;

/** What an embeddings call needs of its target (a ConnectedTarget's baseUrl and the target's access). */
export interface EmbeddingsEndpoint {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
}

/** The vectors, one per text in order, or why there are none (in the retry rule's terms). */
export type EmbeddingsResult =
  { vectors: number[][] } | { failure: { kind: FailureKind; message: string; retryAfterMs?: number } };

const failed = (kind: FailureKind, message: string, retryAfterMs?: number): EmbeddingsResult => ({
  failure: { kind, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
});

/**
 * POSTs `texts` to the OpenAI-compatible `{baseUrl}/embeddings`. Never rejects: a network error, a
 * status other than 200 (with the server's Retry-After), an answer over 32 MiB or one without a
 * vector per text comes back as a failure. Messages show the URL without credentials and the
 * server's text through `redact`.
 */
export async function requestEmbeddings(
  endpoint: EmbeddingsEndpoint,
  texts: string[],
  signal?: AbortSignal,
  redact: Redactor = NO_SECRETS,
): Promise<EmbeddingsResult> {
  const url = endpointUrl(endpoint.baseUrl, "/embeddings");
  const shown = redactUrl(url);
  let status: number;
  let retryAfter: string | string[] | undefined;
  let body = "";
  try {
    const res = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearerHeaders(endpoint) },
      body: JSON.stringify({ model: endpoint.model, input: texts }),
      headersTimeout: endpoint.timeouts.firstTokenMs,
      bodyTimeout: endpoint.timeouts.totalMs,
      ...(signal ? { signal } : {}),
    });
    status = res.statusCode;
    retryAfter = res.headers["retry-after"];
    for await (const chunk of res.body) {
      body += (chunk as Buffer).toString("utf8");
      if (body.length > MAX_EMBEDDINGS_BYTES) return failed("malformed", `${shown} answered over 32 MiB`);
    }
  } catch (err) {
    const { kind, message } = classifyNetworkError(err, shown);
    return failed(kind, message);
  }
  if (status !== 200) {
    const kind = statusKind(status);
    const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
    // Redacted before it is cut: a cut inside an echoed key would leave its first characters.
    const excerpt = redact.cut(body, 200, { mark: "…" });
    return failed(kind, `${shown} answered ${status}: ${excerpt}`, parseRetryAfter(header));
  }
  let data: unknown;
  try {
    const parsed = JSON.parse(body) as unknown;
    data = typeof parsed === "object" && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
  } catch {
    return failed("malformed", `${shown}: the answer is not JSON`);
  }
  if (!Array.isArray(data) || data.length !== texts.length)
    return failed("malformed", `${shown}: expected ${texts.length} embeddings in data[]`);
  const items = data.map((d) => (typeof d === "object" && d !== null ? d : {})) as Array<{
    index?: number;
    embedding?: unknown;
  }>;
  const sorted = [...items].sort((x, y) => (x.index ?? 0) - (y.index ?? 0));
  const vectors: number[][] = [];
  for (const [i, d] of sorted.entries()) {
    const e = d.embedding;
    if (!Array.isArray(e) || !e.every((v) => typeof v === "number"))
      return failed("malformed", `${shown}: data[${i}].embedding is not a list of numbers`);
    vectors.push(e as number[]);
  }
  return { vectors };
}
