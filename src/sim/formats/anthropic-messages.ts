import type { SimFormat, SimRequest, SimResponseContext } from "./types.js";
import { fromMessages, sseEvent } from "./wire.js";

interface MessagesBody {
  max_tokens?: unknown;
  system?: unknown;
  messages?: unknown;
  stream?: boolean;
}

const STOP_REASON = { stop: "end_turn", length: "max_tokens" } as const;

const messageId = (ctx: SimResponseContext) => `msg_${ctx.id}`;

function message(
  ctx: SimResponseContext,
  content: unknown[],
  stopReason: string | null,
  outputTokens: number,
) {
  return {
    id: messageId(ctx),
    type: "message",
    role: "assistant",
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: ctx.promptTokens, output_tokens: outputTokens },
  };
}

/** Each event's `event:` name is its data's `type`, as Anthropic writes them. */
const event = (payload: { type: string; [field: string]: unknown }) => sseEvent(payload.type, payload);

/**
 * Anthropic `/v1/messages`, as Anthropic streams it: message_start (output_tokens 1, a placeholder),
 * content_block_start and ping at admission; a text_delta per token; content_block_stop,
 * message_delta (stop reason, cumulative output_tokens) and message_stop, with no [DONE].
 */
export const anthropicMessagesFormat: SimFormat = {
  endpoint: "/v1/messages",
  streamContentType: "text/event-stream",
  decode(raw): SimRequest | { error: string } {
    const body = raw as MessagesBody;
    // Anthropic has no default: max_tokens is required.
    if (typeof body.max_tokens !== "number") return { error: "max_tokens: Field required" };
    const messages = fromMessages(body.messages, body.system);
    if ("error" in messages) return messages;
    return { ...messages, maxTokens: body.max_tokens, stream: body.stream === true, includeUsage: true };
  },
  preamble(ctx) {
    return (
      event({ type: "message_start", message: message(ctx, [], null, 1) }) +
      event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
      // Anthropic writes the ping with a space after the colon.
      'event: ping\ndata: {"type": "ping"}\n\n'
    );
  },
  token(_ctx, text) {
    return event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
  },
  end(ctx, finishReason) {
    return (
      event({ type: "content_block_stop", index: 0 }) +
      event({
        type: "message_delta",
        delta: { stop_reason: STOP_REASON[finishReason], stop_sequence: null },
        usage: { output_tokens: ctx.completionTokens },
      }) +
      event({ type: "message_stop" })
    );
  },
  json(ctx, text, finishReason) {
    const content = [{ type: "text", text }];
    return JSON.stringify(message(ctx, content, STOP_REASON[finishReason], ctx.completionTokens));
  },
  malformed() {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tru\n\n';
  },
  error(status, message) {
    const type = status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error";
    return JSON.stringify({ type: "error", error: { type, message } });
  },
};
