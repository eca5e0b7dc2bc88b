import path from "node:path";
import { createLiveViewSink } from "./live-view.js";
import { createProgressLinesSink } from "./progress-lines.js";
import { createRequestsFileSink } from "./requests-file.js";
import type { RunSink } from "./sink.js";
import type { OutputError } from "../errors.js";
import type { Redactor } from "../util/redact.js";

/** The sinks a run can have. A later exporter is one more kind here and one more entry below. */
export type SinkKind = "requests-file" | "live-view" | "progress-lines";

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
}

export type SinkFactory = (ctx: SinkContext) => RunSink;

/** One factory per sink kind; the Record makes the compiler demand each. */
export const SINKS: Record<SinkKind, SinkFactory> = {
  "requests-file": (ctx) =>
    createRequestsFileSink(path.join(ctx.outDir, "requests.ndjson"), ctx.redact, ctx.fail),
  "live-view": (ctx) => createLiveViewSink(ctx.stderr),
  "progress-lines": (ctx) =>
    createProgressLinesSink((line) => ctx.stderr.write(ctx.redact(line) + "\n"), ctx.heartbeatMs),
};

/**
 * Which sinks a run gets: requests.ndjson always; then, unless quiet, the live view for a person at
 * a terminal, or plain progress lines for CI and pipes. The order is the order events reach them.
 */
export function chooseSinks(options: { quiet: boolean; interactive: boolean }): SinkKind[] {
  if (options.quiet) return ["requests-file"];
  return ["requests-file", options.interactive ? "live-view" : "progress-lines"];
}
