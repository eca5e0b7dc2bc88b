/**
 * A target's `params`, sent to the server as written. The well-known sampling fields have their
 * types checked here, so `max_tokens: lots` is a located error at `validate` rather than a 400 from
 * the server for every request under load; every other field passes through untouched (servers
 * take their own: vLLM's ignore_eos, llama.cpp's cache_prompt, ...).
 */
import { z } from "zod";

const PositiveInt = z
  .number()
  .int("expected a whole number of tokens")
  .positive("expected a positive whole number");

/** OpenAI's range for the penalties; servers that follow it refuse anything outside. */
const Penalty = z.number().min(-2, "expected a number from -2 to 2").max(2, "expected a number from -2 to 2");

export const ParamsSchema = z
  .looseObject({
    max_tokens: PositiveInt.optional().describe("The most tokens to generate"),
    max_completion_tokens: PositiveInt.optional().describe(
      "The most tokens to generate (OpenAI's newer name)",
    ),
    temperature: z.number().min(0, "expected a temperature of 0 or more").optional(),
    top_p: z
      .number()
      .min(0, "expected a probability from 0 to 1")
      .max(1, "expected a probability from 0 to 1")
      .optional(),
    top_k: z
      .number()
      .int("expected a whole number")
      .min(-1, "expected a whole number, -1 or more (-1 or 0: every token, on servers that take it)")
      .optional(),
    seed: z.number().int("expected a whole number").optional(),
    n: PositiveInt.optional().describe("Choices per request (only the first is scored)"),
    stop: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe("A stop sequence or a list of them"),
    presence_penalty: Penalty.optional(),
    frequency_penalty: Penalty.optional(),
  })
  .describe("Passed to the server as written; the well-known sampling fields are type-checked");
