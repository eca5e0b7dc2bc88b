import { hashString } from "../util/rng.js";
import type { SimProfile } from "./profile.js";

/** What the simulator will generate for one request, decided before any byte is sent. */
export interface SimAnswer {
  tokens: string[];
  finishReason: "stop" | "length";
  degraded: boolean;
}

const FILLER = ["the", "model", "streams", "a", "simulated", "answer", "token", "by", "token", "for", "load"];

/** Splits text into tokens the way the simulator streams them: each word with its leading space. */
export function simTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? (text.length > 0 ? [text] : []);
}

/** Rough prompt token count the simulator reports in usage: words of every message, plus 1 per message. */
export function simPromptTokens(texts: string[]): number {
  return texts.reduce((n, t) => n + simTokens(t).length + 1, 0);
}

/**
 * Perturbs an answer the way a worse variant would: a wrong label for one-word answers, a changed
 * word otherwise. Deterministic, and never equal to the original.
 */
function degrade(reply: string, h: number): string {
  const words = simTokens(reply);
  if (words.length <= 1)
    return ["unsure", "other", "unknown"][h % 3] === reply.trim()
      ? "none"
      : ["unsure", "other", "unknown"][h % 3]!;
  const i = h % words.length;
  // A word that already reads "[garbled]" must still change, or the answer would not be degraded.
  words[i] = words[i]!.replace(/\S+/, (w) => (w === "[garbled]" ? "[scrambled]" : "[garbled]"));
  return words.join("");
}

/**
 * Chooses the answer for a prompt: the first canned answer whose `match` the last user message
 * contains, perturbed for a `degrade` fraction of prompts (chosen by a hash of the prompt and seed,
 * so the same prompts degrade on every run); else `output_tokens` filler tokens.
 */
export function chooseAnswer(
  profile: SimProfile,
  lastUserMessage: string,
  maxTokens: number | undefined,
  ignoreEos = false,
): SimAnswer {
  const canned = profile.answers.find((a) => lastUserMessage.includes(a.match));
  let tokens: string[];
  let degraded = false;
  if (canned) {
    const h = hashString(lastUserMessage, profile.seed);
    degraded = profile.degrade > 0 && h / 4294967296 < profile.degrade;
    tokens = simTokens(degraded ? degrade(canned.reply, h >>> 8) : canned.reply);
  } else {
    tokens = Array.from(
      { length: profile.output_tokens },
      (_, i) => (i === 0 ? "" : " ") + FILLER[i % FILLER.length],
    );
  }
  // ignore_eos: the model keeps generating past its answer until max_tokens, as vLLM does.
  if (ignoreEos && maxTokens !== undefined && maxTokens > tokens.length) {
    const pad = Array.from({ length: maxTokens - tokens.length }, (_, i) => " " + FILLER[i % FILLER.length]);
    return { tokens: [...tokens, ...pad], finishReason: "length", degraded };
  }
  if (maxTokens !== undefined && maxTokens >= 0 && tokens.length > maxTokens) {
    return { tokens: tokens.slice(0, maxTokens), finishReason: "length", degraded };
  }
  return { tokens, finishReason: "stop", degraded };
}
