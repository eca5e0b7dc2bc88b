import type { IncomingMessage, ServerResponse } from "node:http";
import { nowUs } from "../util/clock.js";
import { replicateStreamFormat, replicateWaitFormat, startingPrediction } from "./formats/replicate.js";
import type { SimFormat } from "./formats/types.js";

/** Replicate's create call: /v1/models/{owner}/{name}/predictions, or /v1/predictions with a version. */
export const REPLICATE_CREATE = /^\/v1\/(models\/[^/]+\/[^/]+\/)?predictions$/;
/** Its stream, at the URL the create call answered with. */
export const REPLICATE_STREAM = /^\/v1\/predictions\/([^/]+)\/stream$/;
/** Predictions created and not yet streamed, at most: the oldest go first. */
const MAX_PENDING_PREDICTIONS = 10_000;

/** What the routes need of the server: read a body, answer JSON, run a request in a format. */
export interface SimRouteKit {
  readBody(req: IncomingMessage): Promise<Buffer>;
  sendJson(res: ServerResponse, status: number, payload: unknown): void;
  handle(format: SimFormat, body: Buffer, res: ServerResponse, receivedUs: number): Promise<void>;
  model: string;
}

/**
 * Replicate's two requests. A create call with `Prefer: wait` runs the prediction now and answers
 * with it finished; without, it answers with a starting prediction whose `urls.stream` points back
 * here, and the GET of that URL runs it (the truth log's record is the generating request's).
 */
export function createReplicateRoutes(kit: SimRouteKit): {
  create(req: IncomingMessage, res: ServerResponse): void;
  stream(res: ServerResponse, id: string): void;
} {
  const pending = new Map<string, Buffer>();
  let predictions = 0;
  const run = (format: SimFormat, body: Buffer, res: ServerResponse, receivedUs: number) =>
    void kit.handle(format, body, res, receivedUs).catch(() => res.destroy());
  return {
    create(req, res) {
      const receivedUs = nowUs();
      kit.readBody(req).then(
        (body) => {
          if (/\bwait\b/.test(String(req.headers.prefer ?? "")))
            return run(replicateWaitFormat, body, res, receivedUs);
          try {
            JSON.parse(body.toString("utf8"));
          } catch {
            return kit.sendJson(res, 400, { detail: "invalid JSON body" });
          }
          const id = `pred-${++predictions}`;
          pending.set(id, body);
          const oldest = pending.keys().next();
          if (pending.size > MAX_PENDING_PREDICTIONS && !oldest.done) pending.delete(oldest.value);
          kit.sendJson(
            res,
            201,
            startingPrediction(id, kit.model, `http://${req.headers.host ?? "127.0.0.1"}`),
          );
        },
        () => kit.sendJson(res, 400, { detail: "request body too large or unreadable" }),
      );
    },
    stream(res, id) {
      const body = pending.get(id);
      if (!body) return kit.sendJson(res, 404, { detail: "no such prediction" });
      pending.delete(id);
      run(replicateStreamFormat, body, res, nowUs());
    },
  };
}
