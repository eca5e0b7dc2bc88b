import type { ServerResponse } from "node:http";

/**
 * Writes response text, honouring back-pressure (a slow client never makes the simulator buffer
 * without bound) and, in trickle mode, sending a few bytes at a time to exercise clients' parsers
 * on splits anywhere, inside a UTF-8 character too.
 */
export function createResponseWriter(
  res: ServerResponse,
  trickle?: { bytes: number; delayMs: number },
): { write(text: string): Promise<void>; end(text: string): Promise<void> } {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const raw = async (data: string | Buffer) => {
    if (res.destroyed) return;
    if (!res.write(data)) await drained(res);
  };
  const write = async (text: string) => {
    if (!trickle) return raw(text);
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length && !res.destroyed; i += trickle.bytes) {
      await raw(bytes.subarray(i, i + trickle.bytes));
      await sleep(trickle.delayMs);
    }
  };
  return {
    write,
    end: async (text: string) => {
      await write(text);
      if (!res.destroyed) res.end();
    },
  };
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
