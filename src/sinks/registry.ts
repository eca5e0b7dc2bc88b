import path from "node:path";
import type { OtlpExport } from "../config/plan.js";
import { createLiveViewSink } from "./live-view.js";
import { createOtlpSink } from "./otlp-export.js";
import type { SpanTarget } from "./otlp-spans.js";
import { createProgressLinesSink } from "./progress-lines.js";
import { createRequestsFileSink } from "./requests-file.js";
import type { RunSink } from "./sink.js";
import type { OutputError } from "../errors.js";
import type { Redactor } from "../util/redact.js";

/** The sinks a run can have. A later exporter is one more kind here and one more entry below. */
export type SinkKind = "requests-file" | "live-view" | "progress-lines" | "otlp";

/** What a sink is built from; the CLI reads the environment and argv, sinks never do. */
export interface SinkContext {
  /** The report folder (it exists). */
  outDir: string;
  /** Applied to everything a sink writes. */
  redact: Redactor;
  /** A sink that can no longer do its work (a file it cannot write) calls this once: the run stops sending. */
  fail: (error: OutputError) => void;
  /** Where the live view and progress lines go. */
  stderr: NodeJS.WriteStream;
  /** How often progress lines report a running phase (--heartbeat); absent, their default. */
  heartbeatMs?: number;
  /** Where spans go (`export.otlp` or --otlp); absent, the otlp sink is never chosen. */
  otlp?: OtlpExport;
  /** Provider kind and model of each target, for the spans' GenAI attributes. */
  targets: ReadonlyMap<string, SpanTarget>;
}

export type SinkFactory = (ctx: SinkContext) => RunSink;

/** One factory per sink kind; the Record makes the compiler demand each. */
export const SINKS: Record<SinkKind, SinkFactory> = {
  "requests-file": (ctx) =>
    createRequestsFileSink(path.join(ctx.outDir, "requests.ndjson"), ctx.redact, ctx.fail),
  "live-view": (ctx) => createLiveViewSink(ctx.stderr),
  "progress-lines": (ctx) =>
    createProgressLinesSink((line) => ctx.stderr.write(ctx.redact(line) + "\n"), ctx.heartbeatMs),
  otlp: (ctx) => {
    // A programming error, never a user's: chooseSinks picks otlp only when an endpoint is set.
    if (!ctx.otlp) throw new Error("the otlp sink was chosen without an OTLP endpoint");
    return createOtlpSink({
      otlp: ctx.otlp,
      targets: ctx.targets,
      redact: ctx.redact,
      say: (line) => ctx.stderr.write(line + "\n"),
    });
  },
};

/**
 * Which sinks a run gets: requests.ndjson always; spans when an OTLP endpoint is set (quiet or not:
 * it is an output, not the console); then, unless quiet, the live view for a person at a terminal,
 * or plain progress lines for CI and pipes. The order is the order events reach them.
 */
export function chooseSinks(options: { quiet: boolean; interactive: boolean; otlp?: boolean }): SinkKind[] {
  const outputs: SinkKind[] = options.otlp ? ["requests-file", "otlp"] : ["requests-file"];
  if (options.quiet) return outputs;
  return [...outputs, options.interactive ? "live-view" : "progress-lines"];
}
