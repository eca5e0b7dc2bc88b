import { errors as undiciErrors, type Client, type Dispatcher } from "undici";
import { ConnectionPool } from "./connection-pool.js";
import { nowUs } from "../util/clock.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, ProviderEvent, Timeouts } from "./types.js";
import type { FailureKind } from "../record/failure.js";
import { redactUrl } from "../util/redact.js";
import { watchAbort } from "./shared-abort.js";

/** Receives a response body as it arrives. Throw ProtocolError to fail the request with its kind. */
export interface BodyDecoder {
  onBytes(bytes: Uint8Array, atUs: number): void;
  /** Called once the body ended cleanly; throw ProtocolError if the stream was incomplete. */
  onEnd(atUs: number): void;
  /** True once the decoder has seen generated content (the first-token timeout stops then). */
  readonly sawContent: boolean;
}

export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
  /** Keep-alive pool size per origin; size it to the load. */
  connections: number;
  /** Largest error body read, in bytes. */
  maxErrorBodyBytes?: number;
}

/**
 * POSTs JSON over a keep-alive undici pool and streams the body into a decoder, stamping each
 * network chunk with its arrival time. Maps every way a request can go wrong onto a failure kind.
 */
export class HttpClient {
  private readonly pool: ConnectionPool;
  private readonly origin: string;
  private readonly basePath: string;
  /** The base_url's query string (`?api-version=...`), sent on every request. */
  private readonly search: string;
  private readonly headers: Record<string, string>;
  readonly displayUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.search = url.search;
    this.displayUrl = redactUrl(options.baseUrl);
    this.headers = { "content-type": "application/json", ...options.headers };
    this.pool = new ConnectionPool({
      origin: this.origin,
      size: options.connections,
      connectTimeoutMs: options.timeouts.connectMs,
    });
  }

  /**
   * Never rejects: failures go to the sink as `failure` events, followed by `end`. Uses undici's
   * dispatcher callbacks so each network chunk is timestamped the moment it arrives, and `sent` is
   * stamped when the request was actually written to the socket (dispatch delay is then true).
   */
  post(
    path: string,
    body: string,
    decoder: BodyDecoder,
    sink: EventSink,
    signal?: AbortSignal,
  ): Promise<void> {
    const { timeouts } = this.options;
    return new Promise<void>((resolve) => {
      let finished = false;
      let status = 0;
      let retryAfter: string | undefined;
      let errorBody = "";
      let abortRequest: ((err: Error) => void) | undefined;
      let firstTokenTimer: NodeJS.Timeout | undefined;
      let lease: Client | undefined;
      let unwatch: (() => void) | undefined;
      const maxErrorBody = this.options.maxErrorBodyBytes ?? 4096;

      const finish = (failure?: ProviderEvent) => {
        if (finished) return;
        finished = true;
        clearTimeout(totalTimer);
        if (firstTokenTimer) clearTimeout(firstTokenTimer);
        unwatch?.();
        // Released after undici has finished its own bookkeeping for this response.
        if (lease) queueMicrotask(() => this.pool.release(lease!));
        if (failure) sink(failure);
        sink({ type: "end", atUs: nowUs() });
        resolve();
      };
      // Record our verdict first: aborting makes undici call onError, which must not overwrite it.
      const fail = (failure: ProviderEvent) => {
        finish(failure);
        abortRequest?.(new Error("cancelled"));
      };
      const onAbort = () => fail(failureEvent("timeout", "aborted"));
      const timeout = (what: string, ms: number) =>
        setTimeout(() => fail(failureEvent("timeout", `${what} timeout after ${ms} ms`)), ms);
      const totalTimer = timeout("total", timeouts.totalMs);
      firstTokenTimer = timeout("first-token", timeouts.firstTokenMs);
      if (signal?.aborted) return onAbort();
      // One listener on the shared phase signal for all requests (see watchAbort), not one each.
      if (signal) unwatch = watchAbort(signal, onAbort);

      const handler: Dispatcher.DispatchHandler = {
        onConnect: (abort) => {
          abortRequest = abort;
          if (finished) abort(new Error("cancelled"));
        },
        onRequestSent: () => {
          if (!finished) sink({ type: "sent", atUs: nowUs() });
        },
        onHeaders: (statusCode, rawHeaders) => {
          status = statusCode;
          if (statusCode >= 300) retryAfter = headerValue(rawHeaders, "retry-after");
          return true;
        },
        onData: (chunk) => {
          if (finished) return false;
          const atUs = nowUs();
          if (status >= 300) {
            if (errorBody.length < maxErrorBody) errorBody += chunk.toString("utf8", 0, maxErrorBody);
            return true;
          }
          try {
            decoder.onBytes(chunk, atUs);
          } catch (err) {
            fail(this.failureFrom(err));
            return false;
          }
          if (firstTokenTimer && decoder.sawContent) {
            clearTimeout(firstTokenTimer);
            firstTokenTimer = undefined;
          }
          return true;
        },
        onComplete: () => {
          if (finished) return;
          if (status >= 300)
            return finish(statusFailure(status, retryAfter, errorBody.slice(0, maxErrorBody).trim()));
          try {
            decoder.onEnd(nowUs());
            finish();
          } catch (err) {
            finish(this.failureFrom(err));
          }
        },
        onError: (err) => finish(this.failureFrom(err)),
      } as Dispatcher.DispatchHandler & { onRequestSent: () => void };

      const dispatchOn = (client: Client) => {
        if (finished) return this.pool.release(client);
        lease = client;
        client.dispatch(
          {
            origin: this.origin,
            path: this.basePath + path + this.search,
            method: "POST",
            headers: this.headers,
            body,
            headersTimeout: timeouts.firstTokenMs,
            bodyTimeout: timeouts.firstTokenMs,
          },
          handler,
        );
      };
      const got = this.pool.acquire();
      if (got instanceof Promise) void got.then(dispatchOn);
      else dispatchOn(got);
    });
  }

  /** Opens connections ahead of the first requests (see ConnectionPool.warmUp). */
  warmUp(connections: number): Promise<void> {
    return this.pool.warmUp(connections);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private failureFrom(err: unknown): ProviderEvent {
    if (err instanceof ProtocolError) return failureEvent(err.kind, err.message);
    const { kind, message } = classifyNetworkError(err, this.displayUrl);
    return failureEvent(kind, message);
  }
}

function failureEvent(kind: FailureKind, message: string): ProviderEvent {
  return { type: "failure", atUs: nowUs(), kind, message };
}

function headerValue(raw: Buffer[] | string[] | null, name: string): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toString().toLowerCase() === name) return raw[i + 1]!.toString();
  }
  return undefined;
}

function statusFailure(status: number, retryAfter: string | undefined, body: string): ProviderEvent {
  const kind: FailureKind = status === 429 ? "http_429" : status >= 500 ? "http_5xx" : "http_4xx";
  const event = {
    type: "failure" as const,
    atUs: nowUs(),
    kind,
    status,
    message: `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ""}`,
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

/** The failure kind of an error undici threw or passed to onError; `url` is shown in messages. */
export function classifyNetworkError(err: unknown, url: string): { kind: FailureKind; message: string } {
  const code = (err as { code?: string } | undefined)?.code ?? "";
  const text = err instanceof Error ? err.message : String(err);
  if (err instanceof undiciErrors.ConnectTimeoutError)
    return { kind: "connect", message: `connect timeout to ${url}` };
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return { kind: "timeout", message: text };
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(code)) {
    return { kind: "connect", message: `cannot connect to ${url} (${code})` };
  }
  if (err instanceof undiciErrors.SocketError || code === "ECONNRESET" || code === "EPIPE") {
    return { kind: "stream_dropped", message: `connection closed mid-response (${text})` };
  }
  return { kind: "stream_dropped", message: text };
}
