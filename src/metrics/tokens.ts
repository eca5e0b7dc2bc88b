import { countTokens } from "gpt-tokenizer";
import type { ResponseRecord } from "../record/response.js";

/**
 * Output tokens counted by a client tokenizer (OpenAI's o200k BPE via gpt-tokenizer), for servers
 * that report no usage. The count is over the whole generated text at once: tokenizing chunk by
 * chunk would count a start-of-text token per chunk (triton client PR #563). It is an estimate
 * for any model with another vocabulary, and is marked so.
 */
export function countOutputTokens(record: Pick<ResponseRecord, "text" | "reasoning" | "toolCalls">): number {
  const text = record.reasoning + record.text + record.toolCalls.join("");
  return text.length === 0 ? 0 : countTokens(text);
}
