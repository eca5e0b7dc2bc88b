import { nowUs } from "../../util/clock.js";
import type { SimResponseContext, SimTrack } from "./types.js";

// Framing and request helpers every format shares: the wire details differ, these do not.

/** One SSE event with a data line only, as OpenAI and vLLM write it (`data: ` with a space). */
export const sse = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

/** One named SSE event (`event:` then `data:`), as Anthropic writes it. */
export const sseEvent = (name: string, payload: unknown): string =>
  `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

/** One NDJSON line, as Ollama writes it. */
export const ndjson = (payload: unknown): string => `${JSON.stringify(payload)}\n`;

/** Text of a message's content: a string, or the `text` of each part of a list of parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === "object" && p && "text" in p ? String((p as { text: unknown }).text) : ""))
      .join("");
  }
  return "";
}

/** The texts of a chat's messages (after any separate system text) and its last user message. */
export function fromMessages(
  messages: unknown,
  system?: unknown,
): { texts: string[]; lastUserMessage: string } | { error: string } {
  if (!Array.isArray(messages) || messages.length === 0) {
    return { error: "messages must be a non-empty array" };
  }
  const list = messages as Array<{ role?: unknown; content?: unknown }>;
  const users = list.filter((m) => m.role === "user");
  return {
    texts: [...(system === undefined ? [] : [textOf(system)]), ...list.map((m) => textOf(m.content))],
    lastUserMessage: textOf(users[users.length - 1]?.content ?? ""),
  };
}

/** `{ maxTokens }` when the field is a number, else nothing (the format's default applies). */
export const maxTokensOf = (value: unknown): { maxTokens?: number } =>
  typeof value === "number" ? { maxTokens: value } : {};

/**
 * The response's memory (see SimTrack), started on first use. Formats that need it call it from
 * `preamble` (so a stream's start is its admission) and from `token` with the text written.
 */
export function track(ctx: SimResponseContext, text?: string): SimTrack {
  const t = (ctx.track ??= { text: "", chars: 0, startUs: nowUs() });
  if (text !== undefined) {
    t.firstTokenUs ??= nowUs();
    t.text += text;
    t.chars += codePoints(text);
  }
  return t;
}

/** Python's len(), which servers' text offsets count in: code points, not UTF-16 units. */
export const codePoints = (text: string): number => [...text].length;
