import type { PlanCase } from "../config/plan.js";
import type { TraceRow } from "../config/trace.js";
import type { ChatMessage, GenerationRequest } from "../providers/types.js";
import { createRng } from "../util/rng.js";
import type { TokenCountConfig } from "../config/schema.js";

/** Draws token counts: fixed, uniform over [min, max], or normal(mean, stddev) rounded, at least 1. */
export function createTokenCount(spec: TokenCountConfig, rng: () => number): () => number {
  if (typeof spec === "number") return () => spec;
  if ("min" in spec) {
    const lo = Math.min(spec.min, spec.max);
    const hi = Math.max(spec.min, spec.max);
    return () => lo + Math.floor(rng() * (hi - lo + 1));
  }
  return () => {
    const u = Math.max(rng(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
    return Math.max(1, Math.round(spec.mean + spec.stddev * z));
  };
}

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

/**
 * The requests a load phase sends: the suite's cases cycled in an order shuffled by `seed`, or
 * synthetic prompts of about `inputTokens` words asking for exactly `outputTokens` tokens
 * (`max_tokens` plus vLLM's `ignore_eos` where the server honours it).
 */
export function createWorkload(options: {
  cases: PlanCase[];
  params: Record<string, unknown>;
  stream: boolean;
  seed: number;
  synthetic?: { input_tokens: TokenCountConfig; output_tokens: TokenCountConfig };
}): () => GenerationRequest {
  const { params, stream } = options;
  if (options.synthetic) {
    const rng = createRng(options.seed);
    const inputTokens = createTokenCount(options.synthetic.input_tokens, rng);
    const outputTokens = createTokenCount(options.synthetic.output_tokens, rng);
    return () => {
      const words = Array.from({ length: inputTokens() }, () => WORDS[Math.floor(rng() * WORDS.length)]);
      // Fixed output length: max_tokens plus vLLM's ignore_eos where the server honours it.
      const synthParams = { ...params, max_tokens: outputTokens(), ignore_eos: true };
      return { messages: [{ role: "user", content: words.join(" ") }], params: synthParams, stream };
    };
  }
  if (options.cases.length === 0) throw new Error("a load phase needs cases or synthetic");
  const order = options.cases.map((_, i) => i);
  const rng = createRng(options.seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  return () => {
    const c = options.cases[order[next++ % order.length]!]!;
    return { messages: c.messages, params, stream };
  };
}

/**
 * The requests of a replay: slot i sends trace row i. A row with `messages` sends them; a row with
 * lengths only sends a synthetic prompt of `inputTokens` words that starts with the row's own tag
 * (`r17`), so a server's prefix cache shares nothing between rows, as between unrelated users. Rows
 * with `outputTokens` ask for exactly that many (`max_tokens` plus vLLM's `ignore_eos`). The prompts
 * are slices of one text built ahead, so a burst of rows costs no word-by-word building at dispatch.
 */
export function createReplayWorkload(options: {
  rows: readonly TraceRow[];
  params: Record<string, unknown>;
  stream: boolean;
  seed: number;
}): (slot: number) => GenerationRequest {
  const { rows, params, stream } = options;
  const longest = rows.reduce((n, r) => Math.max(n, r.inputTokens ?? 0), 0);
  const rng = createRng(options.seed);
  // ends[k]: where the text of k words (after the tag) ends.
  const ends = new Array<number>(longest);
  let text = "";
  for (let k = 0; k < longest; k++) {
    text += ` ${WORDS[Math.floor(rng() * WORDS.length)]!}`;
    ends[k] = text.length;
  }
  return (slot) => {
    const row = rows[slot];
    if (row === undefined) throw new RangeError(`replay: no trace row ${slot + 1} (${rows.length} rows)`);
    const messages: ChatMessage[] = row.messages ?? [
      { role: "user", content: `r${slot + 1}${text.slice(0, ends[(row.inputTokens ?? 1) - 2] ?? 0)}` },
    ];
    const rowParams =
      row.outputTokens === undefined ? params : { ...params, max_tokens: row.outputTokens, ignore_eos: true };
    return { messages, params: rowParams, stream };
  };
}
