/**
 * The OTLP sink: every request the run records becomes one span (see otlp-spans.ts) under one run
 * span, exported over OTLP/HTTP (JSON) by the official OpenTelemetry exporter. While a phase runs,
 * a finished request costs one array push: its span is built and sent once no phase is running (at
 * each phase's end, and at the run's end), so span export never competes with a phase's own requests
 * for the client's CPU. A phase longer than HOLD_IN_PHASE requests sends in the phase, a batch of
 * that many at a time, so memory stays bounded. What could not be delivered is counted, never fatal,
 * and said once at the end, so a span count that falls short of requests.ndjson is never silent.
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

type RequestFinished = Extract<RunEvent, { type: "request_finished" }>;

/** Spans per export call: the collector's default batch size. */
const BATCH = 512;
/** Finished requests held while a phase runs; at this many they are sent in the phase. */
const HOLD_IN_PHASE = 8_192;
/**
 * Spans queued or in flight while the collector is slow; past this they are dropped (and counted),
 * so memory stays bounded.
 */
const MAX_QUEUED = 20_000;
/** One export call, the exporter's retries of a refused or failed send included. */
const EXPORT_TIMEOUT_MS = 5_000;
/** How long the run waits between phases for the held spans to be delivered (see RunSink.settle). */
const SETTLE_DEADLINE_MS = 2_000;
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
 * A span processor that queues what it is given and sends it, in batches, only when told to
 * (`sendAll`, called once no phase is running), counting what it delivered, failed to deliver and
 * dropped (the SDK's own batch processor exports from a timer, whenever, and drops silently when its
 * queue is full).
 */
function countingBatches(exporter: OTLPTraceExporter): SpanProcessor & {
  delivery: Delivery;
  sendAll(): void;
  /** Resolves when every export sent so far has returned. */
  sent(): Promise<void>;
} {
  const queue: ReadableSpan[] = [];
  const inFlight = new Set<Promise<void>>();
  let spansInFlight = 0;
  const delivery: Delivery = { exported: 0, failed: 0, dropped: 0 };
  const exportOne = (batch: ReadableSpan[]) => {
    spansInFlight += batch.length;
    const done = new Promise<void>((resolve) => {
      exporter.export(batch, (result) => {
        spansInFlight -= batch.length;
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
  // Every batch is serialized and handed to the socket now, between phases, rather than as earlier
  // exports return, which could be in the next phase. Once an export has failed (after the
  // exporter's own retries), the rest is not sent to the same collector to fail again, and waited
  // on again, at every phase's end: it is counted as not delivered.
  const sendAll = () => {
    if (delivery.failed > 0) delivery.failed += queue.splice(0).length;
    while (queue.length > 0) exportOne(queue.splice(0, BATCH));
  };
  return {
    delivery,
    sendAll,
    sent: async () => {
      await Promise.all(inFlight);
    },
    onStart: () => {},
    onEnd: (span) => {
      if (queue.length + spansInFlight >= MAX_QUEUED) {
        delivery.dropped += 1;
        return;
      }
      queue.push(span);
    },
    forceFlush: async () => {
      while (queue.length > 0 || inFlight.size > 0) {
        sendAll();
        if (inFlight.size > 0) await Promise.race(inFlight);
      }
    },
    shutdown: async () => {
      await exporter.shutdown();
    },
  };
}

/** Whether `work` settled within `ms` (false: the deadline came first; the work goes on). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return inTime;
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
  /** Every request span's parent: the run span, also for spans built after it ended. */
  let runContext = ROOT_CONTEXT;
  let requests = 0;
  /** Finished requests whose spans are not built yet, and the phases (of any target) running now. */
  const held: RequestFinished[] = [];
  let phasesRunning = 0;

  const endRun = (status?: { failed: boolean; message: string }) => {
    if (!runSpan) return;
    if (status?.failed) runSpan.setStatus({ code: SpanStatusCode.ERROR, message: redact(status.message) });
    runSpan.setAttribute("gauntlet.requests", requests);
    runSpan.end(hrTimeOfUs(nowUs()));
    runSpan = undefined;
  };

  /** One request's span, built from its sample as requests.ndjson has it, under the run span. */
  const spanOf = (e: RequestFinished, target: SpanTarget) => {
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
    const span = tracer.startSpan(
      s.name,
      { kind: SpanKind.CLIENT, startTime: hrTimeOfUs(s.startUs), attributes: s.attributes },
      runContext,
    );
    for (const ev of s.events) span.addEvent(ev.name, hrTimeOfUs(ev.atUs));
    if (s.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: s.error });
    span.end(hrTimeOfUs(s.endUs));
  };

  /** Builds the held requests' spans and sends them, with any span already queued (the run's own). */
  const release = () => {
    for (const e of held.splice(0)) {
      const target = targets.get(e.sample.target);
      if (target) spanOf(e, target);
    }
    processor.sendAll();
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
        runContext = trace.setSpan(ROOT_CONTEXT, runSpan);
        return;
      case "target_started":
        phasesRunning += 1;
        return;
      case "target_finished":
        phasesRunning = Math.max(0, phasesRunning - 1);
        if (phasesRunning === 0) release();
        return;
      case "request_finished":
        if (!targets.has(e.sample.target)) return;
        requests += 1;
        held.push(e);
        if (phasesRunning === 0 || held.length >= HOLD_IN_PHASE) release();
        return;
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
    start: async () => {},
    event,
    settle: async () => {
      if (phasesRunning > 0) return;
      release();
      await within(processor.sent(), SETTLE_DEADLINE_MS);
    },
    // Between phases nothing is held; in a phase, sending now is what holding avoids.
    flush: () => {
      if (phasesRunning === 0) release();
    },
    close: async () => {
      endRun();
      release();
      const deadline = options.closeDeadlineMs ?? CLOSE_DEADLINE_MS;
      const timedOut = !(await within(processor.forceFlush(), deadline));
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
