/**
 * The OTLP sink: every request the run records becomes one span (see otlp-spans.ts) under one run
 * span, exported over OTLP/HTTP (JSON) by the official OpenTelemetry exporter. Spans are built when
 * a request finishes (a few object allocations on the hot path) and exported in batches from a timer,
 * never awaited by the run. What could not be delivered is counted, never fatal, and said once at
 * the end, so a span count that falls short of requests.ndjson is never silent.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type HrTime, type Span } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { TracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace";
import type { OtlpExport } from "../config/plan.js";
import type { RunEvent } from "../run/events.js";
import { nowUs } from "../util/clock.js";
import type { Redactor } from "../util/redact.js";
import { TOOL_VERSION as VERSION } from "../version.js";
import { requestSpan, type SpanTarget } from "./otlp-spans.js";
import type { RunSink } from "./sink.js";

/** Spans per export call: the collector's default batch size. */
const BATCH = 512;
/** How often a partial batch is sent. */
const EXPORT_EVERY_MS = 500;
/** Spans held while the collector is slow; past this they are dropped (and counted), so memory stays bounded. */
const MAX_QUEUED = 20_000;
/** Export calls in flight at once. */
const MAX_EXPORTS_IN_FLIGHT = 2;
/** One export call, the exporter's retries of a refused or failed send included. */
const EXPORT_TIMEOUT_MS = 5_000;
/** How long the end of the run waits for the last exports before counting them undelivered. */
const CLOSE_DEADLINE_MS = 15_000;

export interface OtlpSinkOptions {
  otlp: OtlpExport;
  /** Provider kind and model of each target, by name. */
  targets: ReadonlyMap<string, SpanTarget>;
  redact: Redactor;
  /** Where the one line about delivery goes (stderr). */
  say: (line: string) => void;
  /** Tests shorten the close deadline. */
  closeDeadlineMs?: number;
}

/** Epoch microseconds as the OpenTelemetry API's [seconds, nanoseconds]. */
export function hrTimeOfUs(us: number): HrTime {
  const seconds = Math.floor(us / 1e6);
  return [seconds, Math.round((us - seconds * 1e6) * 1000)];
}

/** Delivery counts, for the closing line. */
interface Delivery {
  exported: number;
  failed: number;
  dropped: number;
  firstError?: string;
}

/**
 * A batching span processor that counts what it delivered, failed to deliver and dropped (the
 * SDK's own batch processor drops silently when its queue is full).
 */
function countingBatches(exporter: OTLPTraceExporter): SpanProcessor & {
  delivery: Delivery;
  sendDue(): void;
} {
  const queue: ReadableSpan[] = [];
  const inFlight = new Set<Promise<void>>();
  const delivery: Delivery = { exported: 0, failed: 0, dropped: 0 };
  const exportOne = (batch: ReadableSpan[]) => {
    const done = new Promise<void>((resolve) => {
      exporter.export(batch, (result) => {
        if (result.code === ExportResultCode.SUCCESS) delivery.exported += batch.length;
        else {
          delivery.failed += batch.length;
          delivery.firstError ??= result.error?.message ?? "the collector refused the spans";
        }
        resolve();
      });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const sendDue = () => {
    while (queue.length > 0 && inFlight.size < MAX_EXPORTS_IN_FLIGHT) exportOne(queue.splice(0, BATCH));
  };
  return {
    delivery,
    sendDue,
    onStart: () => {},
    onEnd: (span) => {
      if (queue.length >= MAX_QUEUED) {
        delivery.dropped += 1;
        return;
      }
      queue.push(span);
      if (queue.length >= BATCH && inFlight.size < MAX_EXPORTS_IN_FLIGHT) exportOne(queue.splice(0, BATCH));
    },
    forceFlush: async () => {
      while (queue.length > 0 || inFlight.size > 0) {
        // Once an export has failed (after the exporter's own retries), the rest is not sent to the
        // same collector to fail again one batch at a time: it is counted as not delivered.
        if (delivery.failed > 0) delivery.failed += queue.splice(0).length;
        sendDue();
        if (inFlight.size > 0) await Promise.race(inFlight);
      }
    },
    shutdown: async () => {
      await exporter.shutdown();
    },
  };
}

export function createOtlpSink(options: OtlpSinkOptions): RunSink {
  const { otlp, targets, redact, say } = options;
  const exporter = new OTLPTraceExporter({
    url: otlp.url,
    headers: otlp.headers,
    timeoutMillis: EXPORT_TIMEOUT_MS,
  });
  const processor = countingBatches(exporter);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "gauntlet", "service.version": VERSION }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer("gauntlet", VERSION);
  let runSpan: Span | undefined;
  let requests = 0;
  let timer: NodeJS.Timeout | undefined;

  const endRun = (status?: { failed: boolean; message: string }) => {
    if (!runSpan) return;
    if (status?.failed) runSpan.setStatus({ code: SpanStatusCode.ERROR, message: redact(status.message) });
    runSpan.setAttribute("gauntlet.requests", requests);
    runSpan.end(hrTimeOfUs(nowUs()));
    runSpan = undefined;
  };

  const event = (e: RunEvent) => {
    switch (e.type) {
      case "run_started":
        runSpan = tracer.startSpan(
          `gauntlet run ${redact(e.suite)}`,
          {
            kind: SpanKind.INTERNAL,
            startTime: hrTimeOfUs(nowUs()),
            attributes: { "gauntlet.suite": redact(e.suite), "gauntlet.targets": e.targets.map(redact) },
          },
          ROOT_CONTEXT,
        );
        return;
      case "request_finished": {
        const target = targets.get(e.sample.target);
        if (!target) return;
        requests += 1;
        const s = requestSpan(
          e.sample,
          target,
          {
            ...(e.warmup ? { warmup: true } : {}),
            ...(e.retried ? { retried: true } : {}),
            ...(e.outcome && !e.outcome.error ? { casePassed: e.outcome.pass } : {}),
          },
          redact,
        );
        const parent = runSpan ? trace.setSpan(ROOT_CONTEXT, runSpan) : ROOT_CONTEXT;
        const span = tracer.startSpan(
          s.name,
          { kind: SpanKind.CLIENT, startTime: hrTimeOfUs(s.startUs), attributes: s.attributes },
          parent,
        );
        for (const ev of s.events) span.addEvent(ev.name, hrTimeOfUs(ev.atUs));
        if (s.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: s.error });
        span.end(hrTimeOfUs(s.endUs));
        return;
      }
      case "interrupted":
        endRun({ failed: true, message: `interrupted: ${e.reason}` });
        return;
      case "run_finished":
        endRun({ failed: e.result.status !== "completed", message: `run ${e.result.status}` });
        return;
      default:
        return;
    }
  };

  return {
    start: async () => {
      timer = setInterval(processor.sendDue, EXPORT_EVERY_MS);
      timer.unref();
    },
    event,
    flush: processor.sendDue,
    close: async () => {
      clearInterval(timer);
      endRun();
      const deadline = options.closeDeadlineMs ?? CLOSE_DEADLINE_MS;
      let deadlineTimer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        processor.forceFlush().then(() => false),
        new Promise<boolean>((resolve) => {
          deadlineTimer = setTimeout(() => resolve(true), deadline);
        }),
      ]);
      clearTimeout(deadlineTimer);
      const { exported, failed, dropped, firstError } = processor.delivery;
      const spans = requests + 1;
      const lost = spans - exported;
      if (lost > 0) {
        const why = [
          failed > 0 ? `${failed} refused or unreachable (${firstError ?? "no reason given"})` : "",
          dropped > 0 ? `${dropped} dropped while the collector fell ${MAX_QUEUED} spans behind` : "",
          timedOut ? `the rest not sent within ${deadline / 1000}s of the run's end` : "",
        ].filter(Boolean);
        say(
          redact(
            `gauntlet: OTLP export: ${lost} of ${spans} spans not delivered to ${otlp.url}: ${why.join("; ")}`,
          ),
        );
      }
      // Shutting down after a deadline must not wait for exports still hanging on a dead collector.
      if (!timedOut) await provider.shutdown();
    },
  };
}
