import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { truncate } from "node:fs/promises";
import path from "node:path";
import { OutputError } from "../errors.js";
import { renderRequestLine } from "../report/request-line.js";
import { redactDeep, type Redactor } from "../util/redact.js";
import { ioReason } from "../util/write-file-atomic.js";
import { createBatchedLines } from "./batched-lines.js";
import type { RunSink } from "./sink.js";

/**
 * requests.ndjson: one redacted line per finished request, appended as requests finish (in batches,
 * see createBatchedLines): an orderly end or Ctrl-C loses nothing, a SIGKILL at most the last batch.
 * `start` opens the file, so a folder that cannot be written stops the run before a request is sent.
 * A write that fails (disk full, file too large) calls `fail` once, writes nothing more, and cuts
 * the file back to its last whole line, so it always ends on a line boundary.
 */
export function createRequestsFileSink(
  file: string,
  redact: Redactor,
  fail: (error: OutputError) => void = () => {},
): RunSink {
  let stream: WriteStream | undefined;
  /** Bytes the file holds in whole batches (of whole lines): where a failed write is cut back to. */
  let committed = 0;
  let broken: Promise<void> | undefined;
  const onError = (err: unknown) => {
    if (broken) return;
    broken = truncate(file, committed).catch(() => {});
    fail(
      new OutputError(
        `cannot write ${path.basename(file)} in ${path.dirname(file)} (${ioReason(err)}): stopped sending`,
        "free space in the report folder or choose another with --out",
      ),
    );
  };
  const lines = createBatchedLines((chunk) => {
    const s = stream;
    if (!s || broken) return;
    const bytes = Buffer.byteLength(chunk);
    s.write(chunk, (err) => {
      if (!err) committed += bytes;
    });
  });
  return {
    async start() {
      stream = createWriteStream(file);
      await once(stream, "open");
      stream.on("error", onError);
    },
    event(e) {
      if (e.type !== "request_finished") return;
      // Redacted raw, before the line escapes any of it; then the line as a whole, as every output.
      const sample = redactDeep(e.sample, redact);
      const outcome = e.outcome && redactDeep(e.outcome, redact);
      lines.push(redact(renderRequestLine(sample, outcome, e.warmup)));
    },
    flush: () => lines.flush(),
    async close() {
      lines.flush();
      const s = stream;
      if (s && !broken)
        await new Promise<void>((resolve) => {
          // The last batch may fail too: then 'error' ends the wait, not 'finish'.
          s.once("error", () => resolve());
          s.end(() => resolve());
        });
      if (broken) {
        s?.destroy();
        await broken;
      }
    },
  };
}
