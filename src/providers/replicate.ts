import { HttpClient } from "./http-client.js";
import { bearerHeaders, type HttpProviderOptions } from "./http-provider.js";
import { ProtocolError } from "./protocol-error.js";
import { fetchServerInfo, type InfoRoute } from "./server-info.js";
import type { ChatMessage, EventSink, GenerationRequest, Provider } from "./types.js";
import { count, createJsonDecoder, createStreamDecoder, obj, str, type StreamFormat } from "./wire.js";

/**
 * Replicate's predictions API, in two requests. The create call (POST /models/{owner}/{name}/predictions,
 * or /predictions with a version) answers with the prediction and its `urls.stream`; a GET of that URL
 * is a server-sent event stream of `output` events (the text itself, not JSON), ended by `done`,
 * failed by `error`. The request id and `sent` are the create call's, and a request's start is the
 * create call's scheduled start, so TTFT holds the create round trip as a user of the API waits it.
 * With `Prefer: wait` in the target's headers, or `stream: false`, the create call may answer with the
 * finished prediction: its output is then the answer (one chunk) and its metrics the token counts;
 * one not finished within the server's wait is streamed as usual.
 */

/** The prediction fields read from the create call's answer. */
interface Prediction {
  status?: string;
  error?: string;
  streamUrl?: string;
  output?: string;
  inputTokens?: number;
  outputTokens?: number;
}

/** `owner/name` is a model (its latest version); `owner/name:version` or a bare version id is a version. */
export function predictionRoute(model: string): { path: string; version?: string } {
  const colon = model.indexOf(":");
  if (colon >= 0) return { path: "/predictions", version: model.slice(colon + 1) };
  if (!model.includes("/")) return { path: "/predictions", version: model };
  return { path: `/models/${model.split("/").map(encodeURIComponent).join("/")}/predictions` };
}

/**
 * The model's input: the user turns as `prompt`, a system message as `system_prompt` (the names the
 * language models on Replicate take), then the suite's params as written (`max_tokens`,
 * `max_new_tokens`, `temperature`: each model names its own).
 */
export function predictionInput(request: GenerationRequest): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === "system");
  const rest = request.messages.filter((m) => m.role !== "system");
  const text = (ms: ChatMessage[]) => ms.map((m) => m.content).join("\n\n");
  return {
    prompt: text(rest),
    ...(system.length > 0 ? { system_prompt: text(system) } : {}),
    ...request.params,
  };
}

/** Reads a prediction object; its output may be a string or the list of streamed pieces. */
function readPrediction(body: Record<string, unknown>): Prediction {
  const urls = obj(body.urls);
  const output = Array.isArray(body.output)
    ? body.output.filter((x): x is string => typeof x === "string").join("")
    : str(body.output);
  const metrics = obj(body.metrics);
  const error = body.error == null ? undefined : (str(body.error) ?? JSON.stringify(body.error));
  const p: Prediction = {};
  const status = str(body.status);
  const streamUrl = str(urls?.stream);
  const inputTokens = count(metrics?.input_token_count);
  const outputTokens = count(metrics?.output_token_count);
  if (status !== undefined) p.status = status;
  if (error !== undefined) p.error = error;
  if (streamUrl !== undefined) p.streamUrl = streamUrl;
  if (output !== undefined) p.output = output;
  if (inputTokens !== undefined) p.inputTokens = inputTokens;
  if (outputTokens !== undefined) p.outputTokens = outputTokens;
  return p;
}

/** The stream at `urls.stream`: `output` events carry text; `done` ends it; `error` fails it. */
const STREAM: StreamFormat = {
  framing: "sse",
  terminator: "the done event",
  onRecord({ event, data }, ctx) {
    switch (event) {
      case "output":
        ctx.chunk()("text", data);
        return;
      case "done": {
        // `{}` when the model finished; `{"reason": "canceled"}` or `"error"` when it did not. Its
        // data is JSON: a cut one is a stream that never finished.
        const parsed = data.trim() === "" ? {} : safeJson(data);
        if (parsed === undefined) throw new ProtocolError("malformed", "done event that is not JSON: ", data);
        const reason = str(obj(parsed)?.reason);
        if (reason === "canceled" || reason === "error")
          throw new ProtocolError("http_5xx", `prediction ended: ${reason}`);
        ctx.sink({ type: "finish", atUs: ctx.atUs, reason: "stop" });
        ctx.done();
        return;
      }
      case "error": {
        const parsed = safeJson(data);
        if (parsed === undefined)
          throw new ProtocolError("malformed", "error event that is not JSON: ", data);
        const detail = str(obj(parsed)?.detail) ?? data;
        throw new ProtocolError("http_5xx", `prediction failed: ${detail}`);
      }
      default:
        return; // Comments, keep-alives and events Gauntlet does not read (`logs`).
    }
  },
};

/**
 * Where a Replicate model describes itself: `GET /models/{owner}/{name}`, whose latest version id
 * changes when the model is redeployed (a pinned `:version` is its own identity).
 */
export function replicateModelInfo(model: string): InfoRoute {
  const [name = model, pinned] = model.split(":");
  return {
    path: `/models/${name.split("/").map(encodeURIComponent).join("/")}`,
    read(body) {
      const latest = obj(obj(body)?.latest_version);
      const version = pinned ?? str(latest?.id);
      if (version === undefined) return { versioned: false };
      const created = str(latest?.created_at);
      return {
        models: [name],
        identity: { version, ...(created && !pinned ? { created_at: created } : {}) },
        versioned: true,
      };
    },
  };
}

/** The decoder of the stream at `urls.stream`. */
export const createReplicateStreamDecoder = (sink: EventSink) => createStreamDecoder(sink, STREAM);

/**
 * The decoder of a finished prediction's body (a create call that waited, or a GET of `urls.get`):
 * its output as one content chunk, its metrics' token counts, and its end.
 */
export const createReplicateJsonDecoder = (sink: EventSink) =>
  createJsonDecoder(sink, (body, ctx) => {
    const p = readPrediction(body);
    const failed = predictionFailure(p);
    if (failed !== undefined) throw new ProtocolError("http_5xx", failed);
    emitFinished(p, ctx.atUs, sink);
  });

/** Why a prediction failed (failed, canceled, or an error given), or undefined when it did not. */
function predictionFailure(p: Prediction): string | undefined {
  if (p.status !== "failed" && p.status !== "canceled" && p.error === undefined) return undefined;
  return `prediction ${p.status ?? "failed"}: ${p.error ?? "no error given"}`;
}

/** A finished prediction's output, token counts and finish, all at `atUs`. */
function emitFinished(p: Prediction, atUs: number, sink: EventSink): void {
  if (p.output) sink({ type: "content", atUs, kind: "text", text: p.output });
  if (p.inputTokens !== undefined || p.outputTokens !== undefined)
    sink({
      type: "usage",
      atUs,
      ...(p.inputTokens !== undefined ? { promptTokens: p.inputTokens } : {}),
      ...(p.outputTokens !== undefined ? { completionTokens: p.outputTokens } : {}),
    });
  sink({ type: "finish", atUs, reason: "stop" });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createReplicateProvider(options: HttpProviderOptions): Provider {
  const headers = bearerHeaders(options);
  const wait = Object.entries(headers).some(([k, v]) => k.toLowerCase() === "prefer" && /\bwait\b/.test(v));
  const client = (baseUrl: string, extra: Record<string, string> = {}) =>
    new HttpClient({
      baseUrl,
      headers: { ...headers, ...extra },
      timeouts: options.timeouts,
      connections: options.connections,
      ...(options.redact ? { redact: options.redact } : {}),
    });
  const api = client(options.baseUrl);
  // The stream is served from its own origin (stream.replicate.com): one keep-alive pool per origin.
  const streams = new Map<string, HttpClient>();
  const streamClient = (origin: string) => {
    let stream = streams.get(origin);
    if (!stream) {
      stream = client(origin, { accept: "text/event-stream", "cache-control": "no-store" });
      streams.set(origin, stream);
    }
    return stream;
  };
  const route = predictionRoute(options.model);
  // A request that does not stream asks the create call to wait for the finished prediction.
  let waitingApi: HttpClient | undefined;
  const waitApi = () => (waitingApi ??= client(options.baseUrl, { prefer: "wait" }));

  return {
    kind: "replicate",
    async send(request, sink, sendOptions) {
      const signal = sendOptions?.signal;
      let prediction: Prediction | undefined;
      let failed = false;
      let endedAtUs = 0;
      // The create call's events but its end: the request goes on with the stream.
      const createSink: EventSink = (e) => {
        if (e.type === "end") return void (endedAtUs = e.atUs);
        if (e.type === "failure") failed = true;
        sink(e);
      };
      const waits = wait || !request.stream;
      const body = {
        ...(route.version ? { version: route.version } : {}),
        input: predictionInput(request),
        stream: request.stream,
      };
      await (waits && !wait ? waitApi() : api).post(
        route.path,
        JSON.stringify(body),
        createJsonDecoder(createSink, (b) => void (prediction = readPrediction(b))),
        createSink,
        signal,
      );
      if (failed || !prediction) return sink({ type: "end", atUs: endedAtUs });
      const p = prediction;
      const fail = (kind: "http_5xx" | "not_a_stream", message: string) => {
        sink({
          type: "failure",
          atUs: endedAtUs,
          kind,
          message: options.redact ? options.redact(message) : message,
        });
        sink({ type: "end", atUs: endedAtUs });
      };
      const why = predictionFailure(p);
      if (why !== undefined) return fail("http_5xx", why);
      if (waits && p.status === "succeeded") {
        // Prefer: wait answered with the finished prediction: the whole output arrived at once.
        emitFinished(p, endedAtUs, sink);
        return sink({ type: "end", atUs: endedAtUs });
      }
      if (!p.streamUrl)
        return fail(
          "not_a_stream",
          "the prediction has no urls.stream: the model does not stream its output",
        );
      let url: URL;
      try {
        url = new URL(p.streamUrl, options.baseUrl);
      } catch {
        return fail("not_a_stream", "the prediction's urls.stream is not a URL");
      }
      // The stream's own request id and `sent` are not the request's: the create call's are.
      await streamClient(url.origin).get(
        url.pathname + url.search,
        createReplicateStreamDecoder(sink),
        (e) => {
          if (e.type !== "request_id" && e.type !== "sent") sink(e);
        },
        signal,
      );
    },
    warmUp: (connections) => api.warmUp(connections),
    serverInfo: (timeoutMs) =>
      fetchServerInfo(options.baseUrl, replicateModelInfo(options.model), headers, options.model, timeoutMs),
    close: async () => {
      const clients = [api, ...(waitingApi ? [waitingApi] : []), ...streams.values()];
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
