import { Agent, errors as undiciErrors } from "undici";
import { nowUs } from "../util/clock.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, FailureKind, Timeouts } from "./types.js";
import { redactUrl } from "../util/redact.js";

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
  private readonly agent: Agent;
  private readonly origin: string;
  private readonly basePath: string;
  readonly displayUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.displayUrl = redactUrl(options.baseUrl);
    this.agent = new Agent({
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.timeouts.connectMs },
    });
  }

  /** Never rejects: failures go to the sink as `failure` events, followed by `end`. */
  async post(
    path: string,
    body: string,
    decoder: BodyDecoder,
    sink: EventSink,
    signal?: AbortSignal,
  ): Promise<void> {
    const { timeouts } = this.options;
    const controller = new AbortController();
    let timedOut: string | undefined;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timeout = (what: string, ms: number) =>
      setTimeout(() => {
        timedOut = `${what} timeout after ${ms} ms`;
        controller.abort(new Error(timedOut));
      }, ms);
    const totalTimer = timeout("total", timeouts.totalMs);
    let firstTokenTimer: NodeJS.Timeout | undefined = timeout("first-token", timeouts.firstTokenMs);
    const stopFirstTokenTimer = () => {
      if (firstTokenTimer && decoder.sawContent) {
        clearTimeout(firstTokenTimer);
        firstTokenTimer = undefined;
      }
    };
    try {
      sink({ type: "sent", atUs: nowUs() });
      const res = await this.agent.request({
        origin: this.origin,
        path: this.basePath + path,
        method: "POST",
        headers: { "content-type": "application/json", ...this.options.headers },
        body,
        signal: controller.signal,
        headersTimeout: timeouts.firstTokenMs,
        bodyTimeout: timeouts.firstTokenMs,
      });
      if (res.statusCode >= 300) {
        const text = await readCapped(res.body, this.options.maxErrorBodyBytes ?? 4096);
        sink(statusFailure(res.statusCode, res.headers["retry-after"], text));
        return;
      }
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        decoder.onBytes(chunk, nowUs());
        if (firstTokenTimer) stopFirstTokenTimer();
      }
      decoder.onEnd(nowUs());
    } catch (err) {
      sink(this.failureFrom(err, timedOut, signal));
    } finally {
      clearTimeout(totalTimer);
      if (firstTokenTimer) clearTimeout(firstTokenTimer);
      signal?.removeEventListener("abort", onAbort);
      sink({ type: "end", atUs: nowUs() });
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private failureFrom(err: unknown, timedOut: string | undefined, signal?: AbortSignal) {
    const atUs = nowUs();
    if (err instanceof ProtocolError)
      return { type: "failure" as const, atUs, kind: err.kind, message: err.message };
    if (timedOut) return { type: "failure" as const, atUs, kind: "timeout" as const, message: timedOut };
    if (signal?.aborted)
      return { type: "failure" as const, atUs, kind: "timeout" as const, message: "aborted" };
    const { kind, message } = classifyNetworkError(err, this.displayUrl);
    return { type: "failure" as const, atUs, kind, message };
  }
}

function statusFailure(status: number, retryAfter: string | string[] | undefined, body: string) {
  const kind: FailureKind = status === 429 ? "http_429" : status >= 500 ? "http_5xx" : "http_4xx";
  const event = {
    type: "failure" as const,
    atUs: nowUs(),
    kind,
    status,
    message: `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ""}`,
  };
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return retryAfterMs === undefined ? event : { ...event, retryAfterMs };
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function classifyNetworkError(err: unknown, url: string): { kind: FailureKind; message: string } {
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

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, max: number) {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      parts.push(Buffer.from(chunk));
      size += chunk.byteLength;
      if (size >= max) break;
    }
  } catch {
    // A broken error body still leaves us the status code, which is what counts.
  }
  return Buffer.concat(parts).toString("utf8").slice(0, max).trim();
}
