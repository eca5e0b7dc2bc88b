import type { PlanCase } from "../config/plan.js";
import type { GenerationRequest } from "../providers/types.js";
import { createRng } from "../util/rng.js";

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
  synthetic?: { input_tokens: number; output_tokens: number };
}): () => GenerationRequest {
  const { params, stream } = options;
  if (options.synthetic) {
    const { input_tokens, output_tokens } = options.synthetic;
    const rng = createRng(options.seed);
    const synthParams = { ...params, max_tokens: output_tokens, ignore_eos: true };
    return () => {
      const words = Array.from({ length: input_tokens }, () => WORDS[Math.floor(rng() * WORDS.length)]);
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
