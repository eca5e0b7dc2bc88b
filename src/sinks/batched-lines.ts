/** requests.ndjson batching: the longest a finished request waits to reach the file. */
export const FLUSH_MS = 50;
/** ... and the most characters held before they are written at once. */
export const FLUSH_CHARS = 64 * 1024;

/**
 * Lines written in batches, at most `flushMs` apart or `flushChars` large, rather than one syscall
 * each (or one per event-loop turn, which at saturation is still nearly one per request and cost 9%
 * of the client's CPU in the bench): a crash loses at most `flushMs` of lines, an orderly end none
 * (its owner calls `flush`).
 */
export function createBatchedLines(
  write: (chunk: string) => void,
  { flushMs = FLUSH_MS, flushChars = FLUSH_CHARS }: { flushMs?: number; flushChars?: number } = {},
): { push(line: string): void; flush(): void } {
  let pending: string[] = [];
  let pendingChars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) write(pending.join(""));
    pending = [];
    pendingChars = 0;
  };
  return {
    push: (line) => {
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= flushChars) flush();
      else timer ??= setTimeout(flush, flushMs);
    },
    flush,
  };
}
