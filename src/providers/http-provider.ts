import { HttpClient, type BodyDecoder } from "./http-client.js";
import { fetchServerInfo, type InfoRoute } from "./server-info.js";
import type { ChatMessage, EventSink, GenerationRequest, Provider, Timeouts } from "./types.js";
import type { Redactor } from "../util/redact.js";

// The request side every HTTP provider shares: a wire format is a table (headers, path, body builder,
// decoders) and this turns it into a Provider.

/**
 * Renders chat messages as one plain-text prompt for the text-completion APIs (OpenAI completions,
 * TGI): each message's content in order (the system message first, then the user's), separated by a
 * blank line. No chat template is applied: the server sees exactly this text.
 */
export function renderPrompt(messages: readonly ChatMessage[]): string {
  return messages.map((m) => m.content).join("\n\n");
}

/** The suite's headers and, with a key, a bearer token (OpenAI-compatible servers, TGI, Ollama behind a proxy). */
export function bearerHeaders(options: { apiKey?: string; headers?: Record<string, string> }) {
  const out: Record<string, string> = { ...options.headers };
  if (options.apiKey) out.authorization = `Bearer ${options.apiKey}`;
  return out;
}

/** What every HTTP provider is built from (ProviderSpec's fields). */
export interface HttpProviderOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeouts: Timeouts;
  connections: number;
  /** Applied to server text before it is cut into a failure's message (see HttpClientOptions). */
  redact?: Redactor;
}

/**
 * What a wire format adds to the shared HTTP client: its headers, where it POSTs, its request body
 * (every provider-specific knob lives in its body builder) and its two decoders.
 */
export interface WireFormat<O extends HttpProviderOptions = HttpProviderOptions> {
  kind: string;
  headers(options: O): Record<string, string>;
  path(stream: boolean): string;
  body(request: GenerationRequest, options: O): unknown;
  streamDecoder(sink: EventSink): BodyDecoder;
  jsonDecoder(sink: EventSink): BodyDecoder;
  /** Where its servers describe themselves (the models they list, each model's version). */
  info: InfoRoute;
}

/** A Provider speaking `format` over a keep-alive HttpClient. Never rejects (see Provider.send). */
export function createHttpProvider<O extends HttpProviderOptions>(
  format: WireFormat<O>,
  options: O,
): Provider {
  const http = new HttpClient({
    baseUrl: options.baseUrl,
    headers: format.headers(options),
    timeouts: options.timeouts,
    connections: options.connections,
    ...(options.redact ? { redact: options.redact } : {}),
  });
  // Bodies encoded ahead by `prepare`, each taken by the send of its request (weak: a request
  // prepared and never sent, at a phase's end, is simply dropped). Held as bytes: undici writes them
  // as they are instead of encoding a string at the send, and bytes live outside the JS heap, so a
  // minor GC while hundreds of rows wait does not copy their bodies.
  const prepared = new WeakMap<GenerationRequest, Uint8Array>();
  return {
    kind: format.kind,
    prepare(request) {
      prepared.set(request, Buffer.from(JSON.stringify(format.body(request, options))));
    },
    send(request, sink, sendOptions) {
      const ahead = prepared.get(request);
      if (ahead !== undefined) prepared.delete(request);
      const body = ahead ?? JSON.stringify(format.body(request, options));
      const decoder = request.stream ? format.streamDecoder(sink) : format.jsonDecoder(sink);
      return http.post(format.path(request.stream), body, decoder, sink, sendOptions?.signal);
    },
    warmUp: (connections) => http.warmUp(connections),
    serverInfo: (timeoutMs) =>
      fetchServerInfo(options.baseUrl, format.info, format.headers(options), options.model, timeoutMs),
    close: () => http.close(),
  };
}
