import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request the server received, as its own log saw it (independent of anything Gauntlet writes). */
export interface TruthEntry {
  /** The `x-request-id` header the client sent, when it sent one. */
  requestId?: string;
  /** Order of arrival, from 0. */
  seq: number;
  /** True when the server never answered it (held until the client gave up or the server closed). */
  silent: boolean;
  receivedMs: number;
  /** The request body, when the request ended. */
  body?: string;
}

export interface TruthServer {
  /** The OpenAI-style base URL (`http://127.0.0.1:PORT/v1`). */
  url: string;
  /** Every request received so far, in arrival order. */
  readonly log: TruthEntry[];
  /** Destroys every held socket and stops listening. */
  close(): Promise<void>;
}

export interface TruthServerOptions {
  /** Requests (by arrival order) that are never answered: the headers are never sent. */
  silent?: (seq: number) => boolean;
  /** Content chunks per answered stream. */
  chunks?: number;
  /** Pause between chunks. */
  chunkGapMs?: number;
  /** Overrides the answer for one request (after its body arrived); return true when it handled it. */
  answer?: (body: string, res: ServerResponse, req: IncomingMessage) => boolean;
}

/**
 * A minimal OpenAI chat server on 127.0.0.1 written with node:http alone (none of Gauntlet's code),
 * keeping its own truth log of every request it received. Used to check that what Gauntlet records
 * matches what was actually sent: a request is logged the moment its headers arrive.
 */
export async function startTruthServer(options: TruthServerOptions = {}): Promise<TruthServer> {
  const log: TruthEntry[] = [];
  const sockets = new Set<Socket>();
  const chunks = options.chunks ?? 3;
  const gapMs = options.chunkGapMs ?? 5;
  const server = createServer((req, res) => {
    // Gauntlet asks a self-hosted target's /metrics once a phase; this server has none, and that
    // question is not one of the requests the log is kept for.
    if (req.method === "GET" && req.url === "/metrics") return void res.writeHead(404).end();
    const seq = log.length;
    const header = req.headers["x-request-id"];
    const silent = options.silent?.(seq) ?? false;
    const entry: TruthEntry = {
      seq,
      silent,
      receivedMs: Date.now(),
      ...(typeof header === "string" ? { requestId: header } : {}),
    };
    log.push(entry);
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.once("end", () => {
      entry.body = body;
      if (silent || options.answer?.(body, res, req)) return;
      res.writeHead(200, { "content-type": "text/event-stream" });
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (sent < chunks) {
          const delta = sent === 0 ? { role: "assistant", content: "x" } : { content: " x" };
          res.write(`data: ${JSON.stringify({ id: `r${seq}`, choices: [{ index: 0, delta }] })}\n\n`);
          sent++;
          setTimeout(tick, gapMs);
          return;
        }
        const usage = { prompt_tokens: 3, completion_tokens: chunks, total_tokens: chunks + 3 };
        res.write(
          `data: ${JSON.stringify({ id: `r${seq}`, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage })}\n\n`,
        );
        res.end("data: [DONE]\n\n");
      };
      tick();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    log,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
