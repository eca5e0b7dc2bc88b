import { HttpClient, type BodyDecoder } from "./http-client.js";
import { ProtocolError } from "./protocol-error.js";
import { SseLimitError, SseParser, type SseEvent } from "./sse-parser.js";
import type { EventSink, GenerationRequest, Provider, SendOptions, Timeouts } from "./types.js";

export interface OpenAiChatOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeouts: Timeouts;
  connections: number;
  /** Ask for `stream_options.include_usage` so output tokens come from the server. */
  includeUsage?: boolean;
}

const MAX_JSON_BODY_CHARS = 16 << 20;

/** OpenAI-compatible `/chat/completions`: OpenAI, vLLM, SGLang, llama.cpp server, TGI messages, Ollama. */
export function createOpenAiChatProvider(options: OpenAiChatOptions): Provider {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const http = new HttpClient({
    baseUrl: options.baseUrl,
    headers,
    timeouts: options.timeouts,
    connections: options.connections,
  });
  return {
    kind: "openai-chat",
    send(request: GenerationRequest, sink: EventSink, sendOptions?: SendOptions) {
      const body: Record<string, unknown> = {
        model: options.model,
        messages: request.messages,
        ...request.params,
        stream: request.stream,
      };
      if (request.stream && options.includeUsage !== false) body.stream_options = { include_usage: true };
      const decoder = request.stream ? createChatStreamDecoder(sink) : createChatJsonDecoder(sink);
      return http.post("/chat/completions", JSON.stringify(body), decoder, sink, sendOptions?.signal);
    },
    warmUp: (connections) => http.warmUp(connections),
    close: () => http.close(),
  };
}

interface ChatChunk {
  id?: string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: unknown[];
    };
    message?: { content?: string | null; reasoning_content?: string | null; tool_calls?: unknown[] };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string | null;
}

/** A count from the wire, or undefined when the server sent something that is not one. */
const count = (value: unknown) => (typeof value === "number" ? value : undefined);

function parseJson(text: string): ChatChunk {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError("malformed", `invalid JSON in response: ${text.slice(0, 120)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("malformed", `expected a JSON object, got ${text.slice(0, 120)}`);
  }
  return value as ChatChunk;
}

/** JSON.stringify recurses: absurdly deep nesting from a hostile server is malformed, not a crash. */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    throw new ProtocolError("malformed", "tool_calls nested too deeply");
  }
}

/** Emits the events one decoded chunk (streamed delta or full message) carries. */
function emitChunk(
  chunk: ChatChunk,
  atUs: number,
  sink: EventSink,
  streaming: boolean,
  state: { id?: string },
) {
  if (chunk.error !== undefined && chunk.error !== null) {
    const message = typeof chunk.error === "string" ? chunk.error : String(chunk.error.message ?? "error");
    throw new ProtocolError("http_5xx", `server reported an error in the stream: ${message}`);
  }
  if (typeof chunk.id === "string" && chunk.id && state.id === undefined) {
    state.id = chunk.id;
    sink({ type: "response_id", id: chunk.id });
  }
  const choice = chunk.choices?.[0];
  if (choice) {
    const part = streaming ? choice.delta : choice.message;
    if (part) {
      let sameChunk = false;
      const emit = (kind: "text" | "reasoning" | "tool_call", text: string) => {
        sink({ type: "content", atUs, kind, text, sameChunk });
        sameChunk = true;
      };
      const reasoning = part.reasoning_content ?? (part as { reasoning?: unknown }).reasoning;
      if (typeof reasoning === "string" && reasoning) emit("reasoning", reasoning);
      if (typeof part.content === "string" && part.content) emit("text", part.content);
      if (Array.isArray(part.tool_calls) && part.tool_calls.length > 0)
        emit("tool_call", stringify(part.tool_calls));
    }
    if (typeof choice.finish_reason === "string" && choice.finish_reason)
      sink({ type: "finish", atUs, reason: choice.finish_reason });
  }
  if (typeof chunk.usage === "object" && chunk.usage !== null) {
    sink({
      type: "usage",
      atUs,
      promptTokens: count(chunk.usage.prompt_tokens),
      completionTokens: count(chunk.usage.completion_tokens),
    });
  }
}

/** SSE stream of `chat.completion.chunk` objects ending in `data: [DONE]`. */
export function createChatStreamDecoder(sink: EventSink): BodyDecoder {
  const state: { id?: string; done: boolean; sawContent: boolean } = { done: false, sawContent: false };
  let atUs = 0;
  const contentSink: EventSink = (e) => {
    if (e.type === "content") state.sawContent = true;
    sink(e);
  };
  const parser = new SseParser((event: SseEvent) => {
    if (state.done) return;
    if (event.data === "[DONE]") {
      state.done = true;
      return;
    }
    emitChunk(parseJson(event.data), atUs, contentSink, true, state);
  });
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof SseLimitError) throw new ProtocolError("malformed", err.message);
      throw err;
    }
  };
  return {
    get sawContent() {
      return state.sawContent;
    },
    onBytes(bytes, at) {
      atUs = at;
      guard(() => parser.push(bytes));
    },
    onEnd(at) {
      atUs = at;
      try {
        guard(() => parser.end());
      } catch (err) {
        // A body cut off mid-event leaves a partial JSON line: the stream dropped, the server did not
        // send garbage.
        if (!state.done && err instanceof ProtocolError && err.kind === "malformed") {
          throw new ProtocolError("stream_dropped", `stream ended mid-event before [DONE] (${err.message})`);
        }
        throw err;
      }
      if (!state.done) throw new ProtocolError("stream_dropped", "stream ended before [DONE]");
    },
  };
}

/** Non-streaming JSON body: the content "arrives" with the body's last byte. */
export function createChatJsonDecoder(sink: EventSink): BodyDecoder {
  const decoder = new TextDecoder();
  let text = "";
  let sawContent = false;
  return {
    get sawContent() {
      return sawContent;
    },
    onBytes(bytes) {
      text += decoder.decode(bytes, { stream: true });
      if (text.length > MAX_JSON_BODY_CHARS) {
        throw new ProtocolError("malformed", `response body larger than ${MAX_JSON_BODY_CHARS} characters`);
      }
    },
    onEnd(atUs) {
      text += decoder.decode();
      emitChunk(
        parseJson(text),
        atUs,
        (e) => {
          if (e.type === "content") sawContent = true;
          sink(e);
        },
        false,
        {},
      );
    },
  };
}
