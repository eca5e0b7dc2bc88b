import { z } from "zod";
import { DurationField as Duration } from "./duration-field.js";

/** Every assertion a case can make; `src/quality/assertions.ts` has one handler per entry. */
export const ASSERTION_TYPES = [
  "equals",
  "contains",
  "icontains",
  "starts-with",
  "regex",
  "one-of",
  "is-json",
  "json-schema",
  "json-path",
  "number",
  "levenshtein",
  "rouge-l",
  "bleu",
  "chrf",
  "similar",
  "llm-judge",
  "javascript",
  "latency",
  "cost",
] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

/**
 * Assertions whose score is graded (0..1, not just 0 or 1): they pass when the score reaches their
 * `threshold`, whose default is given here.
 */
export const GRADED_DEFAULT_THRESHOLD: Partial<Record<AssertionType, number>> = {
  levenshtein: 0.8,
  "rouge-l": 0.5,
  bleu: 0.5,
  chrf: 0.5,
  similar: 0.8,
  "llm-judge": 0.5,
  javascript: 0.5,
};

const References = z
  .union([z.string(), z.array(z.string()).min(1)])
  .describe("The reference text (or several: the best-matching one counts); templates allowed");

/** Options that belong to one or a few assertion types only, and which types those are. */
const OPTION_TYPES: Record<string, readonly AssertionType[]> = {
  threshold: Object.keys(GRADED_DEFAULT_THRESHOLD) as AssertionType[],
  max_distance: ["levenshtein"],
  tolerance: ["number"],
  relative_tolerance: ["number"],
  target: ["similar", "llm-judge"],
  timeout: ["javascript"],
};

export const AssertionSchema = z
  .strictObject({
    equals: z.string().optional(),
    contains: z.string().optional(),
    icontains: z.string().optional(),
    "starts-with": z.string().optional(),
    regex: z.string().optional().describe("A JavaScript regular expression, run with a 200 ms time limit"),
    "one-of": z.array(z.string()).min(1).optional(),
    "is-json": z.literal(true).optional().describe("The output parses as JSON (one ```json fence allowed)"),
    "json-schema": z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The output is JSON valid against this JSON Schema (draft-07, checked by ajv)"),
    "json-path": z
      .strictObject({
        path: z.string().describe("$, .key, ['key'] and [index] steps, e.g. $.items[0].name"),
        equals: z.unknown().describe("The value found there (deep equality; strings compared like equals)"),
      })
      .optional(),
    number: z
      .union([z.number(), z.string()])
      .optional()
      .describe("The first number in the output equals this, within tolerance / relative_tolerance"),
    levenshtein: References.optional(),
    "rouge-l": References.optional(),
    bleu: References.optional(),
    chrf: References.optional(),
    similar: References.optional().describe("Cosine similarity of embeddings from `target`"),
    "llm-judge": z.string().optional().describe("A rubric, graded by the judge `target`"),
    javascript: z
      .string()
      .optional()
      .describe("FILE.js or FILE.js#name (relative to the suite): a function (output, context) => result"),
    latency: z
      .union([Duration, z.strictObject({ ttft: Duration.optional(), e2e: Duration.optional() })])
      .optional()
      .describe("This request's e2e (or { ttft, e2e }) under a limit"),
    cost: z.number().nonnegative().optional().describe("This request's cost in USD at most, from pricing"),
    trim: z.boolean().optional().describe("Trim whitespace before comparing (default true)"),
    case: z.enum(["sensitive", "insensitive"]).optional(),
    not: z.boolean().optional().describe("Invert the assertion"),
    weight: z.number().nonnegative().optional(),
    threshold: z.number().min(0).max(1).optional().describe("Graded assertions: the score needed to pass"),
    max_distance: z.number().int().nonnegative().optional().describe("levenshtein: edits allowed"),
    tolerance: z.number().nonnegative().optional().describe("number: absolute tolerance (default 0)"),
    relative_tolerance: z
      .number()
      .nonnegative()
      .optional()
      .describe("number: tolerance as a fraction of the expected value"),
    target: z.string().optional().describe("similar: the embeddings target; llm-judge: the judge target"),
    timeout: Duration.optional().describe(
      "javascript: how long the function may run for one case (default 5s); past it the case fails",
    ),
  })
  .superRefine((value, ctx) => {
    const kinds = ASSERTION_TYPES.filter((k) => value[k] !== undefined);
    const kind = kinds[0];
    if (kind === undefined || kinds.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          kinds.length === 0
            ? `expected one assertion type (${ASSERTION_TYPES.join(", ")})`
            : `expected one assertion type per entry, found ${kinds.join(" and ")}`,
      });
      return;
    }
    for (const [option, types] of Object.entries(OPTION_TYPES)) {
      if ((value as Record<string, unknown>)[option] !== undefined && !types.includes(kind)) {
        ctx.addIssue({
          code: "custom",
          path: [option],
          message: `${option} applies to ${types.join(", ")}, not ${kind}`,
        });
      }
    }
    if ((kind === "similar" || kind === "llm-judge") && value.target === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: `${kind} needs target: the target that grades`,
      });
    }
    const jsonPath = value["json-path"];
    if (jsonPath !== undefined && !("equals" in jsonPath)) {
      ctx.addIssue({ code: "custom", path: ["json-path", "equals"], message: "expected equals: the value" });
    }
    if (
      typeof value.latency === "object" &&
      value.latency.ttft === undefined &&
      value.latency.e2e === undefined
    ) {
      ctx.addIssue({ code: "custom", path: ["latency"], message: "expected ttft or e2e" });
    }
  });
