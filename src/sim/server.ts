import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { nowUs } from "../util/clock.js";
import { createRng } from "../util/rng.js";
import { chooseAnswer, simPromptTokens } from "./answer.js";
import { simEmbeddingsResponse } from "./embeddings.js";
import { Batcher } from "./batcher.js";
import { anthropicMessagesFormat } from "./formats/anthropic-messages.js";
import { logprobsFor } from "./formats/logprobs.js";
import { ollamaChatFormat } from "./formats/ollama-chat.js";
import { ollamaGenerateFormat } from "./formats/ollama-generate.js";
import { openAiChatFormat } from "./formats/openai-chat.js";
import { openAiCompletionsFormat } from "./formats/openai-completions.js";
import { tgiGenerateFormat, tgiGenerateStreamFormat } from "./formats/tgi.js";
import { createReplicateRoutes, REPLICATE_CREATE, REPLICATE_STREAM } from "./replicate-routes.js";
import type { SimFormat, SimResponseContext } from "./formats/types.js";
import type { SimProfile } from "./profile.js";
import type { TruthRecord, TruthSink } from "./truth-log.js";
import { pickFault } from "./faults.js";
import { createResponseWriter } from "./response-writer.js";
import { describeSim } from "./describe.js";
import { simMetricsText } from "./metrics-endpoint.js";

export interface SimServer {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SimServerOptions {
  host?: string;
  port?: number;
  truth?: TruthSink;
}

/** Routes by path. A table, so every format the simulator speaks is visible in one place. */
const FORMATS: Record<string, SimFormat> = {
  "/v1/chat/completions": openAiChatFormat,
  "/chat/completions": openAiChatFormat,
  "/v1/completions": openAiCompletionsFormat,
  "/completions": openAiCompletionsFormat,
  "/v1/messages": anthropicMessagesFormat,
  "/api/chat": ollamaChatFormat,
  "/api/generate": ollamaGenerateFormat,
  "/generate_stream": tgiGenerateStreamFormat,
  "/generate": tgiGenerateFormat,
};

const MAX_REQUEST_BYTES = 8 << 20;

/** Starts the simulated endpoint on a real socket (port 0 = ephemeral). */
export async function startSimServer(
  profile: SimProfile,
  options: SimServerOptions = {},
): Promise<SimServer> {
  const batcher = new Batcher(profile.max_batch);
  const rng = createRng(profile.seed);
  const jitter = (ms: number) =>
    profile.jitter > 0 ? Math.max(0, ms * (1 + profile.jitter * (2 * rng() - 1))) : ms;
  let counter = 0;
  const described = describeSim(profile, Date.now()).routes;
  const handled = { promptTokens: 0, generationTokens: 0 };

  const server: Server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && (path === "/health" || path === "/v1/health"))
      return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && described[path] !== undefined) return sendJson(res, 200, described[path]);
    if (req.method === "GET" && path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      return void res.end(
        simMetricsText({
          model: profile.model,
          maxBatch: profile.max_batch,
          running: batcher.inFlight,
          waiting: batcher.queued,
          ...handled,
        }),
      );
    }
    if (req.method === "POST" && (path === "/v1/embeddings" || path === "/embeddings")) {
      return void readBody(req).then(
        (body) => {
          const r = simEmbeddingsResponse(body, profile.model);
          sendJson(res, r.status, r.payload);
        },
        () => sendJson(res, 400, { error: { message: "request body too large or unreadable" } }),
      );
    }
    if (req.method === "POST" && REPLICATE_CREATE.test(path)) return replicate.create(req, res);
    const streamed = req.method === "GET" ? REPLICATE_STREAM.exec(path) : null;
    if (streamed) return replicate.stream(res, streamed[1] ?? "");
    const format = req.method === "POST" ? FORMATS[path] : undefined;
    if (!format) return sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}` } });
    const receivedUs = nowUs();
    readBody(req).then(
      (body) =>
        handle(format, body, res, receivedUs).catch((err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
          else res.destroy();
        }),
      () => sendJson(res, 400, { error: { message: "request body too large or unreadable" } }),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  const faultRng = createRng(profile.seed ^ 0x5eed);

  const replicate = createReplicateRoutes({ readBody, sendJson, handle, model: profile.model });

  async function handle(format: SimFormat, rawBody: Buffer, res: ServerResponse, receivedUs: number) {
    const id = `sim-${++counter}`;
    const truth: TruthRecord = {
      id,
      endpoint: format.endpoint,
      stream: false,
      status: 200,
      receivedUs,
      completionTokens: 0,
      promptTokens: 0,
      tokenTimesUs: [],
    };
    try {
      await respond(format, rawBody, res, truth);
    } finally {
      const times = truth.tokenTimesUs!;
      if (times.length > 0 && truth.firstTokenUs === undefined) truth.firstTokenUs = times[0];
      if (times.length > 0 && truth.lastTokenUs === undefined) truth.lastTokenUs = times[times.length - 1];
      options.truth?.(truth);
    }
  }

  async function respond(format: SimFormat, rawBody: Buffer, res: ServerResponse, truth: TruthRecord) {
    const reject = (status: number, message: string, headers: Record<string, string> = {}) => {
      truth.status = status;
      res
        .writeHead(status, { "content-type": "application/json", ...headers })
        .end(format.error(status, message));
    };
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return reject(400, "invalid JSON body");
    }
    const request = format.decode(body);
    if ("error" in request) return reject(400, request.error);
    truth.stream = request.stream;
    truth.prompt = request.lastUserMessage.slice(0, 200);
    if (request.maxTokens !== undefined) truth.maxTokens = request.maxTokens;
    const fault = pickFault(profile.faults, faultRng());
    if (fault) truth.fault = fault;
    const faults = profile.faults!;
    if (fault === "http_429") {
      return reject(429, "rate limited (simulated)", { "retry-after": String(faults.retry_after_s) });
    }
    if (fault === "http_500") return reject(500, "internal error (simulated)");

    const answer = chooseAnswer(profile, request.lastUserMessage, request.maxTokens, request.ignoreEos);
    truth.degraded = answer.degraded;
    const ctx: SimResponseContext = {
      id: truth.id,
      model: profile.model,
      createdS: Math.floor(Date.now() / 1000),
      promptTokens: simPromptTokens(request.texts),
      completionTokens: 0,
      logprobs: logprobsFor(request, profile.seed),
    };
    truth.promptTokens = ctx.promptTokens;
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    const out = createResponseWriter(
      res,
      fault === "trickle" ? { bytes: faults.trickle_bytes, delayMs: faults.trickle_ms } : undefined,
    );
    // Faults that strike mid-stream do so halfway through the answer.
    const breakAt = Math.floor(answer.tokens.length / 2);

    await batcher.acquire();
    try {
      truth.admittedUs = nowUs();
      handled.promptTokens += ctx.promptTokens;
      // A client that left while queued gives its slot straight back.
      if (closed) {
        truth.fault ??= "client_closed";
        return;
      }
      if (request.stream) {
        res.writeHead(200, { "content-type": format.streamContentType, "cache-control": "no-cache" });
        await out.write(format.preamble(ctx));
      }
      if (fault === "stall") await sleepUntilClosed(res, faults.stall_ms);
      let dueUs = truth.admittedUs + jitter(profile.ttft_ms) * 1000;
      for (let i = 0; i < answer.tokens.length && !closed; i++) {
        if (i === breakAt && (fault === "drop" || fault === "malformed") && request.stream) {
          if (fault === "malformed") await out.write(format.malformed(ctx));
          // Give the bytes a moment to leave, then cut the connection as a crashed server would.
          setTimeout(() => res.destroy(), 5);
          return;
        }
        await sleepUntil(dueUs);
        if (closed) break;
        const at = nowUs();
        if (request.stream) await out.write(format.token(ctx, answer.tokens[i]!, i));
        truth.tokenTimesUs!.push(at);
        ctx.completionTokens++;
        handled.generationTokens++;
        dueUs += jitter(profile.itl_ms) * 1000;
      }
      truth.completionTokens = ctx.completionTokens;
      truth.finishReason = answer.finishReason;
      if (request.stream && profile.tail_ms > 0 && !closed)
        await sleepUntil(nowUs() + profile.tail_ms * 1000);
      if (closed) {
        truth.fault ??= "client_closed";
        return;
      }
      if (request.stream) return await out.end(format.end(ctx, answer.finishReason, request.includeUsage));
      const at = nowUs();
      truth.firstTokenUs = at;
      truth.lastTokenUs = at;
      res.writeHead(200, { "content-type": "application/json" });
      if (fault === "malformed")
        return await out.end(format.json(ctx, answer.tokens.join(""), answer.finishReason).slice(0, -7));
      if (fault === "drop") {
        await out.write(format.json(ctx, answer.tokens.join(""), answer.finishReason).slice(0, 20));
        setTimeout(() => res.destroy(), 5);
        return;
      }
      await out.end(format.json(ctx, answer.tokens.join(""), answer.finishReason));
    } finally {
      batcher.release();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue, as serving stacks use (uvicorn: 2048): with Node's default of 511, a
    // thousand new connections a second while the event loop is busy drop SYNs, and the client's
    // 1 s retransmit would read as the client's dispatch delay. The kernel caps it at somaxconn.
    server.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", backlog: 4096 }, () =>
      resolve(),
    );
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
}

function sleepUntil(dueUs: number): Promise<void> | undefined {
  const waitMs = (dueUs - nowUs()) / 1000;
  return waitMs > 0.05 ? new Promise((resolve) => setTimeout(resolve, waitMs)) : undefined;
}

/** Waits `ms`, or less if the client goes away first. */
function sleepUntilClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    }
    res.on("close", done);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error("too large"));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}
