import type { SimFormat, SimRequest, SimResponseContext } from "./types.js";

interface ChatBody {
  messages?: Array<{ role?: string; content?: unknown }>;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === "object" && p && "text" in p ? String((p as { text: unknown }).text) : ""))
      .join("");
  }
  return "";
}

const sse = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

function chunk(ctx: SimResponseContext, delta: Record<string, unknown>, finishReason: string | null) {
  return {
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.createdS,
    model: ctx.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

function usage(ctx: SimResponseContext) {
  return {
    prompt_tokens: ctx.promptTokens,
    completion_tokens: ctx.completionTokens,
    total_tokens: ctx.promptTokens + ctx.completionTokens,
  };
}

/** OpenAI `/v1/chat/completions`, as OpenAI and vLLM send it: role chunk, deltas, finish, usage, [DONE]. */
export const openAiChatFormat: SimFormat = {
  endpoint: "/v1/chat/completions",
  streamContentType: "text/event-stream",
  decode(raw): SimRequest | { error: string } {
    const body = raw as ChatBody;
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return { error: "messages must be a non-empty array" };
    }
    const texts = body.messages.map((m) => textOf(m.content));
    const users = body.messages.filter((m) => m.role === "user");
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    return {
      texts,
      lastUserMessage: textOf(users[users.length - 1]?.content ?? ""),
      ...(typeof maxTokens === "number" ? { maxTokens } : {}),
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
    };
  },
  preamble(ctx) {
    // Sent at admission, long before the first token: a client that counts it shows a TTFT near 0.
    return sse(chunk(ctx, { role: "assistant", content: "" }, null));
  },
  token(ctx, text) {
    return sse(chunk(ctx, { content: text }, null));
  },
  end(ctx, finishReason, includeUsage) {
    let out = sse(chunk(ctx, {}, finishReason));
    if (includeUsage) {
      const tail = { id: ctx.id, object: "chat.completion.chunk", created: ctx.createdS, model: ctx.model };
      out += sse({ ...tail, choices: [], usage: usage(ctx) });
    }
    return out + "data: [DONE]\n\n";
  },
  json(ctx, text, finishReason) {
    return JSON.stringify({
      id: ctx.id,
      object: "chat.completion",
      created: ctx.createdS,
      model: ctx.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: text },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: usage(ctx),
    });
  },
  malformed(ctx) {
    return `data: {"id":"${ctx.id}","choices":[{"index":0,"delta":{"content":"tru\n\n`;
  },
  error(status, message) {
    const type =
      status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
    return JSON.stringify({ error: { message, type, code: status } });
  },
};
