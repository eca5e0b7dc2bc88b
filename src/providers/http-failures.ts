import { errors as undiciErrors } from "undici";
import { CutOff, type FailureKind } from "../record/failure.js";
import { nowUs } from "../util/clock.js";
import type { ProviderEvent, Timeouts } from "./types.js";

// How the HTTP client names what went wrong: a status, a network error, an abort, with the
// server's own request id kept on the failure. http-client.ts moves the bytes.

/** Response headers a server or the proxy in front of it names its request with, checked in order. */
const SERVER_REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/** The failure of a request ended by its abort signal: a CutOff's own kind, else a plain abort. */
export function abortFailure(reason: unknown): ProviderEvent {
  return reason instanceof CutOff
    ? failureEvent(reason.kind, reason.message)
    : failureEvent("timeout", "aborted");
}

/** The first of the server's request-id headers present, added to a failure. */
export function withServerRequestId(failure: ProviderEvent, raw: Buffer[] | string[] | null): ProviderEvent {
  if (failure.type !== "failure" || !raw) return failure;
  for (const name of SERVER_REQUEST_ID_HEADERS) {
    const id = headerValue(raw, name);
    // A header value is bounded by the HTTP parser; an absurd one is still not a useful id.
    if (id) return { ...failure, serverRequestId: id.slice(0, 200) };
  }
  return failure;
}

export function failureEvent(kind: FailureKind, message: string): ProviderEvent {
  return { type: "failure", atUs: nowUs(), kind, message };
}

export function headerValue(raw: Buffer[] | string[] | null, name: string): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toString().toLowerCase() === name) return raw[i + 1]!.toString();
  }
  return undefined;
}

/** The kind of a status that is not a success: 3xx is a redirect, which is reported, never followed. */
export function statusKind(status: number): FailureKind {
  if (status === 429) return "http_429";
  if (status >= 500) return "http_5xx";
  if (status < 400) return "redirect";
  return "http_4xx";
}

export function statusFailure(
  status: number,
  retryAfter: string | undefined,
  body: string,
  location: string | undefined,
): ProviderEvent {
  const kind = statusKind(status);
  const to = kind === "redirect" ? ` to ${location ?? "(no Location header)"}` : "";
  const event = {
    type: "failure" as const,
    atUs: nowUs(),
    kind,
    status,
    message: `HTTP ${status}${to}${body ? `: ${body}` : ""}`,
  };
  const retryAfterMs = parseRetryAfter(retryAfter);
  return retryAfterMs === undefined ? event : { ...event, retryAfterMs };
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Error codes that mean this machine ran out of something (file descriptors, buffers, memory, local
 * ports): the request never reached the server, so the failure is the client's, not the server's.
 */
const CLIENT_EXHAUSTION = new Set(["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM", "EADDRNOTAVAIL"]);

/**
 * The failure kind of an error undici threw or passed to onError; `url` is shown in messages, and
 * `timeouts` name the limit that fired when undici's own headers or body timeout did.
 */
export function classifyNetworkError(
  err: unknown,
  url: string,
  timeouts?: Pick<Timeouts, "firstTokenMs" | "totalMs">,
): { kind: FailureKind; message: string } {
  const code = (err as { code?: string } | undefined)?.code ?? "";
  const text = err instanceof Error ? err.message : String(err);
  if (CLIENT_EXHAUSTION.has(code)) {
    return { kind: "client_error", message: `this machine could not open the request (${code}: ${text})` };
  }
  if (err instanceof undiciErrors.ConnectTimeoutError)
    return { kind: "connect", message: `connect timeout to ${url}` };
  const limit = timeouts ? `timeouts.first_token, ${timeouts.firstTokenMs} ms` : "the body timeout";
  if (err instanceof undiciErrors.HeadersTimeoutError)
    return { kind: "timeout", message: `no response headers within ${limit}` };
  if (err instanceof undiciErrors.BodyTimeoutError) {
    // The first-token limit also bounds every gap between chunks once the stream has begun.
    return {
      kind: "timeout",
      message: `stream stalled: no bytes for ${limit} (it bounds every gap between chunks)`,
    };
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(code)) {
    return { kind: "connect", message: `cannot connect to ${url} (${code})` };
  }
  if (err instanceof undiciErrors.SocketError || code === "ECONNRESET" || code === "EPIPE") {
    return { kind: "stream_dropped", message: `connection closed mid-response (${text})` };
  }
  return { kind: "stream_dropped", message: text };
}
