import { z } from "zod";
import { SimFaultsSchema } from "./faults.js";

/** A canned answer: when the last user message contains `match` (or equals it), reply with `reply`. */
export const SimAnswerSchema = z.strictObject({
  match: z.string().min(1).describe("Substring of the last user message that selects this reply"),
  reply: z.string().describe("The answer the simulator streams"),
});

/**
 * The most a profile may ask, as a suite's own limits (src/config/limits.ts) do: Node fires a timer
 * set past 2^31 ms at once, so times stop at a week; a client cuts a stream off past 1,000,000
 * chunks, so longer answers could never be read; a batch is requests in flight, at most 100,000.
 */
const WEEK_MS = 7 * 86_400_000;
const timeMs = () => z.number().nonnegative().max(WEEK_MS, "at most a week (604800000 ms)");

/**
 * How the simulated endpoint behaves. Used by `gauntlet sim` and by `provider: sim` targets.
 * Times in milliseconds; the simulator's ground-truth log records what it actually did.
 */
export const SimProfileSchema = z.strictObject({
  ttft_ms: timeMs().default(40).describe("Time from admission to the first token"),
  itl_ms: timeMs().default(8).describe("Time between tokens"),
  tail_ms: timeMs()
    .default(0)
    .describe("Delay between the last token and the finish/usage/[DONE] chunks (they must not extend e2e)"),
  output_tokens: z
    .number()
    .int()
    .positive()
    .max(1_000_000, "at most 1,000,000 (a client cuts a stream off past 1,000,000 chunks)")
    .default(32)
    .describe("Tokens per answer when no canned answer applies"),
  jitter: z.number().min(0).max(1).default(0).describe("Relative random variation of ttft and itl, seeded"),
  seed: z.number().int().default(1),
  max_batch: z
    .number()
    .int()
    .positive()
    .max(100_000, "at most 100,000 (requests in flight, as a phase's)")
    .default(256)
    .describe("Requests generating at once; more wait in a queue, so TTFT grows with load"),
  answers: z.array(SimAnswerSchema).default([]).describe("Canned answers, first match wins"),
  answers_from: z
    .strictObject({
      file: z.string().regex(/\.(csv|jsonl)$/i, { message: "expected a .csv or .jsonl file" }),
      match: z.string().describe("Column whose text selects the reply"),
      reply: z.string().describe("Column holding the reply"),
    })
    .optional()
    .describe("Canned answers from a dataset (path relative to the suite), after `answers`"),
  degrade: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe("Fraction of canned answers perturbed, as a degraded (e.g. quantized) variant would"),
  model: z.string().default("gauntlet-sim"),
  faults: SimFaultsSchema.optional().describe(
    "Injected faults: 429, 500, dropped streams, malformed chunks, stalls, trickles",
  ),
});
export type SimProfile = z.output<typeof SimProfileSchema>;
export type SimProfileInput = z.input<typeof SimProfileSchema>;

/** Built-in profiles for `gauntlet sim --profile NAME`. */
export const BUILTIN_PROFILES: Record<string, SimProfileInput> = {
  default: {},
  fast: { ttft_ms: 0, itl_ms: 0, output_tokens: 16 },
  realistic: { ttft_ms: 120, itl_ms: 20, jitter: 0.2, max_batch: 32, output_tokens: 64 },
  slow: { ttft_ms: 800, itl_ms: 60, output_tokens: 64 },
};
