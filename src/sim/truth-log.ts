import { createWriteStream, type WriteStream } from "node:fs";

/**
 * What the simulator actually did for one request: the ground truth tests and the bench compare
 * the client's measurements against. Times are µs on the shared `nowUs` clock.
 */
export interface TruthRecord {
  id: string;
  endpoint: string;
  stream: boolean;
  status: number;
  /** Request headers parsed: the earliest moment the server's code sees the request. */
  receivedUs: number;
  /** Admitted by the batcher (receivedUs + queueing). */
  admittedUs?: number;
  /** The write of the first content chunk. */
  firstTokenUs?: number;
  /** The write of the last content chunk. */
  lastTokenUs?: number;
  /** Every content write, for ITL truth. */
  tokenTimesUs?: number[];
  completionTokens: number;
  promptTokens: number;
  /** The output length the request asked for (`max_tokens` or its format's name for it). */
  maxTokens?: number;
  finishReason?: string;
  degraded?: boolean;
  fault?: string;
  /** The last user message, first 200 characters: joins truth to a client's case when a wire format has no response id. */
  prompt?: string;
}

export type TruthSink = (record: TruthRecord) => void;

/** Appends truth records as NDJSON; `close` flushes. */
export function createTruthFile(path: string): { sink: TruthSink; close: () => Promise<void> } {
  const out: WriteStream = createWriteStream(path, { flags: "w" });
  return {
    sink: (record) => out.write(JSON.stringify(record) + "\n"),
    close: () => new Promise((resolve) => out.end(resolve)),
  };
}
