import { randomUUID } from "node:crypto";
import type { Client, Dispatcher } from "undici";
import { ConnectionPool } from "./connection-pool.js";
import { nowUs } from "../util/clock.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, ProviderEvent, Timeouts } from "./types.js";
import { NO_SECRETS, redactUrl, type Redactor } from "../util/redact.js";
import { watchAbort } from "./shared-abort.js";
import {
  abortFailure,
  classifyNetworkError,
  failureEvent,
  headerValue,
  statusFailure,
  withServerRequestId,
} from "./http-failures.js";

/** The header each request carries its id in, so a server's log can be joined to requests.ndjson. */
export const REQUEST_ID_HEADER = "x-request-id";

/** The most of an error body kept in a failure's message, in characters. */
const ERROR_BODY_SHOWN = 300;

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
  /** Applied to server text (error bodies, snippets) before it is cut into a failure's message. */
  redact?: Redactor;
}

/**
 * POSTs JSON (or GETs) over a keep-alive undici pool and streams the body into a decoder, stamping each
 * network chunk with its arrival time. Maps every way a request can go wrong onto a failure kind.
 */
export class HttpClient {
  private readonly pool: ConnectionPool;
  private readonly origin: string;
  private readonly basePath: string;
  /** The base_url's query string (`?api-version=...`), sent on every request. */
  private readonly search: string;
  private readonly headers: Record<string, string>;
  /** A request id the suite's headers fix for every request (then it is recorded as given). */
  private readonly fixedRequestId: string | undefined;
  private readonly redact: Redactor;
  readonly displayUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.search = url.search;
    this.displayUrl = redactUrl(options.baseUrl);
    this.redact = options.redact ?? NO_SECRETS;
    this.headers = { "content-type": "application/json", ...options.headers };
    const own = Object.keys(this.headers).find((h) => h.toLowerCase() === REQUEST_ID_HEADER);
    this.fixedRequestId = own === undefined ? undefined : this.headers[own];
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
   * Each request carries a fresh `x-request-id` (emitted first as `request_id`); a failed one keeps
   * the server's own request id. An abort whose reason is a CutOff fails with the CutOff's kind.
   */
  post(
    path: string,
    body: string | Uint8Array,
    decoder: BodyDecoder,
    sink: EventSink,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.send("POST", path, body, decoder, sink, signal);
  }

  /** A GET of `path` (below the base URL), its body streamed into `decoder` as `post` does. */
  get(path: string, decoder: BodyDecoder, sink: EventSink, signal?: AbortSignal): Promise<void> {
    return this.send("GET", path, undefined, decoder, sink, signal);
  }

  private send(
    method: "GET" | "POST",
    path: string,
    body: string | Uint8Array | undefined,
    decoder: BodyDecoder,
    sink: EventSink,
    signal?: AbortSignal,
  ): Promise<void> {
    const { timeouts } = this.options;
    return new Promise<void>((resolve) => {
      let finished = false;
      let status = 0;
      let retryAfter: string | undefined;
      let location: string | undefined;
      let responseHeaders: Buffer[] | string[] | null = null;
      let errorBody = "";
      let errorBodyCut = false;
      let abortRequest: ((err: Error) => void) | undefined;
      let firstTokenTimer: NodeJS.Timeout | undefined;
      let lease: Client | undefined;
      let unwatch: (() => void) | undefined;
      const maxErrorBody = this.options.maxErrorBodyBytes ?? 4096;
      const requestId = this.fixedRequestId ?? randomUUID();
      sink({ type: "request_id", id: requestId });

      const finish = (failure?: ProviderEvent) => {
        if (finished) return;
        finished = true;
        clearTimeout(totalTimer);
        if (firstTokenTimer) clearTimeout(firstTokenTimer);
        unwatch?.();
        // Released after undici has finished its own bookkeeping for this response.
        if (lease) queueMicrotask(() => this.pool.release(lease!));
        if (failure) sink(withServerRequestId(failure, responseHeaders));
        sink({ type: "end", atUs: nowUs() });
        resolve();
      };
      // Record our verdict first: aborting makes undici call onError, which must not overwrite it.
      const fail = (failure: ProviderEvent) => {
        finish(failure);
        abortRequest?.(new Error("cancelled"));
      };
      const onAbort = () => fail(abortFailure(signal?.reason));
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
          // Kept by reference and read only if the request fails: a success costs nothing.
          responseHeaders = rawHeaders;
          if (statusCode >= 300) {
            retryAfter = headerValue(rawHeaders, "retry-after");
            location = headerValue(rawHeaders, "location");
          }
          return true;
        },
        onData: (chunk) => {
          if (finished) return false;
          const atUs = nowUs();
          if (status >= 300) {
            if (errorBody.length < maxErrorBody) errorBody += chunk.toString("utf8", 0, maxErrorBody);
            if (errorBody.length >= maxErrorBody || chunk.length > maxErrorBody) errorBodyCut = true;
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
          if (status >= 300) {
            const shown = this.redact.cut(errorBodyCut ? errorBody : errorBody.trim(), ERROR_BODY_SHOWN, {
              mark: "…",
              partial: errorBodyCut,
            });
            return finish(
              statusFailure(status, retryAfter, shown, location && this.redirectTarget(location)),
            );
          }
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
            method,
            headers: this.fixedRequestId ? this.headers : { ...this.headers, [REQUEST_ID_HEADER]: requestId },
            ...(body === undefined ? {} : { body }),
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
    if (err instanceof ProtocolError) {
      // The server's own text is redacted before it is cut, so no cut leaves a key's first characters.
      const snippet = err.snippet === undefined ? "" : this.redact.cut(err.snippet, 120, { mark: "…" });
      return failureEvent(err.kind, this.redact(err.message) + snippet);
    }
    const { kind, message } = classifyNetworkError(err, this.displayUrl, this.options.timeouts);
    return failureEvent(kind, this.redact(message));
  }

  /** Where a redirect points, resolved against the base URL and shown without credentials or query. */
  private redirectTarget(location: string): string {
    try {
      return redactUrl(new URL(location, this.options.baseUrl).toString());
    } catch {
      return "<invalid location>";
    }
  }
}
