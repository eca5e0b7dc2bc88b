import { Agent, request } from "undici";
import { ServerTimelineRecorder } from "../metrics/server-timeline.js";
import { CLIENT_IN_FLIGHT, type ServerEngine, type ServerTelemetry } from "../record/server-telemetry.js";
import type { Clock } from "../util/clock.js";
import { redactUrl } from "../util/redact.js";
import { parsePrometheusText } from "./prometheus-text.js";
import { detectEngine, mapScrape, totals } from "./vocabulary.js";

/** A /metrics body past this is cut off and the scrape counted failed (vLLM's is ~40 KiB). */
const MAX_BODY_BYTES = 4 << 20;

/** Where and how often to scrape: what the run knows of a connected target's endpoint. */
export interface ScrapeTarget {
  url: string;
  /** Shown in run.json and errors: the URL without credentials or query string. */
  shownUrl: string;
  intervalMs: number;
  /**
   * false for the default endpoint (/metrics on the target's origin): when its first scrape gets
   * no metrics, scraping stops quietly and the phase has no telemetry. true when the suite names
   * it: every failure is counted and reported.
   */
  required: boolean;
}

export interface ScrapeOptions extends ScrapeTarget {
  /** The client's requests in flight now, recorded beside each scrape. */
  inFlight: () => number;
  clock: Clock;
}

export interface Scraper {
  /** Stops scraping; resolves with what was scraped (undefined: the default endpoint had no metrics). */
  stop(): Promise<ServerTelemetry | undefined>;
}

/**
 * Its own connection, never the target's pool: a scrape must not queue behind (or in front of) a
 * request being measured. One connection: scrapes never overlap (a slow one delays the next).
 */
function scrapeAgent(): Agent {
  return new Agent({ connections: 1, pipelining: 0 });
}

async function fetchBody(agent: Agent, o: ScrapeOptions, signal: AbortSignal): Promise<string> {
  const res = await request(o.url, { dispatcher: agent, headers: { accept: "text/plain" }, signal });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`HTTP ${res.statusCode}`);
  }
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.body.destroy();
      throw new Error(`body over ${MAX_BODY_BYTES >> 20} MiB`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * Scrapes a Prometheus endpoint every `intervalMs` from now until stopped, off the request path: a
 * timer of its own and a connection of its own. A failed scrape is counted with its reason and
 * never ends the phase. Each scrape is mapped to the vocabulary (counters as rates since the scrape
 * before) and folded into one-second slices with the client's in-flight count.
 */
export function startScraper(o: ScrapeOptions): Scraper {
  const agent = scrapeAgent();
  const recorder = new ServerTimelineRecorder();
  const timeoutMs = Math.max(500, Math.min(o.intervalMs, 5_000));
  let scrapes = 0;
  let failures = 0;
  let lastFailure: string | undefined;
  let engine: ServerEngine | undefined;
  let before: { values: ReturnType<typeof totals>; atUs: number } | undefined;
  let abandoned = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Stopping cancels a scrape in flight: a phase never waits on a slow endpoint to end.
  const stopping = new AbortController();

  const once = async () => {
    const atUs = o.clock();
    const inFlight = o.inFlight();
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]);
      const parsed = parsePrometheusText(await fetchBody(agent, o, signal));
      if (parsed.samples.length === 0) throw new Error("no Prometheus samples in the body");
      const now = totals(parsed.samples);
      engine ??= detectEngine(parsed.samples);
      const values = mapScrape(now, before?.values, before ? (atUs - before.atUs) / 1e6 : 0);
      recorder.add(atUs, { ...values, [CLIENT_IN_FLIGHT]: inFlight });
      before = { values: now, atUs };
      scrapes++;
    } catch (e) {
      if (stopping.signal.aborted) return;
      if (!o.required && scrapes === 0) {
        abandoned = true;
        return;
      }
      failures++;
      lastFailure = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
  };
  const tick = () => {
    if (stopped || abandoned) return;
    running = once().finally(() => {
      if (!stopped && !abandoned) timer = setTimeout(tick, o.intervalMs);
    });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
      await running;
      await agent.close().catch(() => {});
      // The default endpoint that never answered with metrics gives no telemetry at all.
      if (abandoned || (!o.required && scrapes === 0)) return undefined;
      return {
        url: o.shownUrl,
        ...(engine ? { engine } : {}),
        intervalMs: o.intervalMs,
        scrapes,
        failures,
        ...(lastFailure ? { lastFailure } : {}),
        timeline: recorder.toTimeline(),
      };
    },
  };
}

/**
 * A connected target's scrape target: the suite's `metrics.url`, else /metrics on the origin its
 * requests go to. No credential of the target's is sent there.
 */
export function scrapeTargetOf(
  endpoint: { url?: string; intervalMs: number; required: boolean },
  baseUrl: string,
): ScrapeTarget {
  const url = endpoint.url ?? new URL("/metrics", baseUrl).href;
  return { url, shownUrl: redactUrl(url), intervalMs: endpoint.intervalMs, required: endpoint.required };
}
