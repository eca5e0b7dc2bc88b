import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { renderRequestLine } from "../report/request-line.js";
import { createBatchedLines } from "./batched-lines.js";
import type { RunSink } from "./sink.js";

/**
 * requests.ndjson: one redacted line per finished request, appended as requests finish (in
 * batches, see createBatchedLines), so an interrupted run loses nothing. `start` opens the file,
 * so a folder that cannot be written stops the run before a request is sent.
 */
export function createRequestsFileSink(file: string, redact: (text: string) => string): RunSink {
  let stream: WriteStream | undefined;
  const lines = createBatchedLines((chunk) => stream?.write(chunk));
  return {
    async start() {
      stream = createWriteStream(file);
      await once(stream, "open");
    },
    event(e) {
      if (e.type === "request_finished") lines.push(redact(renderRequestLine(e.sample, e.outcome, e.warmup)));
    },
    flush: () => lines.flush(),
    async close() {
      lines.flush();
      const s = stream;
      if (s) await new Promise((resolve) => s.end(resolve));
    },
  };
}
