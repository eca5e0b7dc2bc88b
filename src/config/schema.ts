// The suite's zod schema, the source of truth for validation and the JSON Schema: past 300 lines
// because it is one schema; its assertion and duration parts already live in their own modules.
import { z } from "zod";
import { PROVIDER_KINDS } from "../providers/kinds.js";
import { SimProfileSchema } from "../sim/profile.js";
import { AssertionSchema } from "./assertion-schema.js";
import { DurationField as Duration } from "./duration-field.js";
import { LIMITS, overLimit, type LimitName } from "./limits.js";
import { ParamsSchema } from "./params-schema.js";
import { phaseShapeProblems } from "./phase-shape.js";

/** A number no larger than its limit (see limits.ts), with the limit's reason as the message. */
const upTo = (name: LimitName) => z.number().max(LIMITS[name].max, overLimit(name));
/** A whole number from 1 up to its limit. */
const countUpTo = (name: LimitName) => upTo(name).int().positive();

const Identifier = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+$/, { message: "expected letters, digits, '_', '-' or '.'" });

export const TargetSchema = z
  .strictObject({
    extends: Identifier.optional().describe("Inherit every field from another target, then override"),
    provider: z.enum(PROVIDER_KINDS).optional(),
    base_url: z.url({ message: "expected an absolute URL such as http://host:8000/v1" }).optional(),
    model: z.string().min(1).optional(),
    api_key: z.string().optional().describe("Use ${VAR}: never write a key into a suite"),
    headers: z.record(z.string(), z.string()).optional(),
    params: ParamsSchema.optional(),
    stream: z.boolean().optional().describe("Stream responses (default true)"),
    timeouts: z
      .strictObject({
        connect: Duration.optional(),
        first_token: Duration.optional(),
        total: Duration.optional(),
      })
      .optional(),
    pricing: z
      .strictObject({
        input_per_mtok: z.number().nonnegative().optional(),
        output_per_mtok: z.number().nonnegative().optional(),
        gpu_hour_usd: z.number().nonnegative().optional(),
      })
      .optional(),
    gpus: countUpTo("gpus").optional(),
    logprobs: z
      .union([z.boolean(), z.number().int().min(1).max(20)])
      .optional()
      .describe(
        "Ask quality calls for top-k logprobs (true = 5; openai-chat, openai-completions, tgi and sim): comparisons then report same-top-1 and a KL lower bound",
      ),
    grader: z
      .boolean()
      .optional()
      .describe("Only grades answers (llm-judge, similar target): never sent the suite's cases or load"),
    sim: SimProfileSchema.partial().optional().describe("Simulator behaviour, for provider: sim"),
    metrics: z
      .union([
        z.literal(false),
        z.strictObject({
          url: z.url({ message: "expected an absolute URL such as http://host:8000/metrics" }).optional(),
          interval: Duration.optional().describe("Time between scrapes (default 1s)"),
        }),
      ])
      .optional()
      .describe(
        "The server's Prometheus endpoint, scraped during load phases (default: /metrics on the target's origin for openai-chat, openai-completions, tgi and sim targets, used when it answers); false: none",
      ),
  })
  .describe("A model endpoint to test");

const EMPTY_PROMPT = "the prompt is empty: write the user message";
export const PromptSchema = z.union([
  z.string().min(1, EMPTY_PROMPT).describe("The user message template"),
  z.strictObject({
    version: z.number().int().positive().default(1),
    system: z.string().optional(),
    user: z.string().min(1, EMPTY_PROMPT),
  }),
]);

export { ASSERTION_TYPES, AssertionSchema, GRADED_DEFAULT_THRESHOLD } from "./assertion-schema.js";
export type { AssertionType } from "./assertion-schema.js";

const Vars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Per-case task fields: classification label, expected list, cluster and repeats (templated). */
const TaskFields = {
  label: z
    .string()
    .optional()
    .describe(
      'Expected class label, e.g. "{{label}}": the suite reports per-label precision/recall/F1 and a confusion matrix',
    ),
  expected: z
    .union([z.array(z.string()), z.string()])
    .optional()
    .describe(
      'Expected items for set precision/recall (extraction), a list or one template split on "|", e.g. "{{entities}}"',
    ),
  cluster: z
    .string()
    .optional()
    .describe(
      "Cases sharing a cluster (template, source document) are not independent: clustered standard errors",
    ),
  repeat: countUpTo("repeat").optional().describe("Run this case K times (overrides quality.repeat)"),
};

/** A case's prompt, or several: the case then runs under each (a prompt A/B over the same cases). */
const CasePrompt = z
  .union([Identifier, z.array(Identifier).min(1)])
  .describe("A prompt's name, or several: the case runs under each, e.g. [classify-v1, classify-v2]");

export const InlineCaseSchema = z.strictObject({
  id: Identifier.optional(),
  prompt: CasePrompt,
  vars: Vars.default({}),
  assert: z.array(AssertionSchema).default([]),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Weighted score needed to pass (default: all pass)"),
  tags: z.array(z.string()).optional(),
  ...TaskFields,
});

export const DatasetCasesSchema = z.strictObject({
  from: z.string().regex(/\.(csv|jsonl)$/i, { message: "expected a .csv or .jsonl file" }),
  prompt: CasePrompt.optional().describe(
    "The prompt each row's columns fill; without it, the rows bring their own messages (format)",
  ),
  format: z
    .enum(["sharegpt", "openai_chat"])
    .optional()
    .describe(
      "Rows that are conversations: sharegpt (conversations: [{from, value}]) or openai_chat (messages: [{role, content}]); detected from the first row when prompt is not set",
    ),
  scrub: z
    .enum(["pii"])
    .optional()
    .describe(
      "pii: e-mail addresses, phone numbers and runs of 7+ digits become placeholders as the rows are read",
    ),
  id_column: z.string().optional().describe("Column holding each case's id (default: id, else file:row)"),
  vars: Vars.default({}).describe("Extra vars for every row; columns win"),
  assert: z.array(AssertionSchema).default([]),
  threshold: z.number().min(0).max(1).optional(),
  ...TaskFields,
});

export const CaseEntrySchema = z.union([DatasetCasesSchema, InlineCaseSchema]);

const Arrival = z.enum(["constant", "poisson", "gamma"]);

/** A token count up to its limit: fixed, uniform over a range, or normal (rounded, at least 1). */
const tokenCount = (limit: "inputTokens" | "outputTokens") =>
  z
    .union([
      countUpTo(limit),
      z.strictObject({ min: countUpTo(limit), max: countUpTo(limit) }).superRefine((r, ctx) => {
        if (r.min > r.max)
          ctx.addIssue({ code: "custom", path: ["max"], message: `max ${r.max} is below min ${r.min}` });
      }),
      z.strictObject({ mean: upTo(limit).positive(), stddev: upTo(limit).nonnegative() }),
    ])
    .describe("128, { min: 64, max: 256 } or { mean: 128, stddev: 32 }");
export type TokenCountConfig = z.output<ReturnType<typeof tokenCount>>;
const SloMap = z.record(z.string(), z.string()).describe('SLOs such as { "ttft.p95": "<300ms" }');

/** Load phases' fail-fast rule: how many first requests must all fail with a 4xx to stop, or false. */
const FailFast = z
  .union([z.number().int().positive(), z.literal(false)])
  .describe(
    "Stop a load phase when its first N completed requests all fail with a non-retryable 4xx (wrong key, unknown model, wrong path): N, or false to never stop (default 20)",
  );

export const LoadPhaseSchema = z
  .strictObject({
    name: Identifier,
    // Users and max_in_flight are bounded by the plan (plan-load.ts), which knows a ramp's peak too.
    concurrency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Closed loop: this many users, each sends its next request when the previous ends"),
    rate: upTo("rate")
      .positive()
      .optional()
      .describe("Open loop: requests per second on a seeded schedule, whatever the server does"),
    arrival: Arrival.optional().describe(
      "Open loop's arrival process (default poisson; a sweep's rate steps default to constant)",
    ),
    burstiness: z
      .number()
      .min(0.01, "expected at least 0.01 (below it nearly every arrival falls in one burst)")
      .max(100, "expected at most 100 (past it the arrivals are as regular as arrival: constant)")
      .optional()
      .describe("Gamma shape for arrival: gamma (1 = Poisson, 0.01..100)"),
    max_in_flight: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "The most requests in flight: an open loop drops arrivals over it (default 1024, sweeps 256); users never exceed it",
      ),
    think_time: Duration.optional().describe("Closed loop: each user waits this long between requests"),
    stages: z
      .array(z.strictObject({ to: z.number().nonnegative(), over: Duration }))
      .min(1)
      .max(LIMITS.stages.max, overLimit("stages"))
      .optional()
      .describe(
        "Linear ramps: of the rate from `rate`, of users from `concurrency`, or alone, of users from 0",
      ),
    sweep: z
      .strictObject({
        slo: SloMap.describe('What every step must meet, e.g. { "ttft.p95": "< 300ms" }'),
        rates: z
          .array(upTo("rate").positive())
          .min(1)
          .max(LIMITS.sweepSteps.max, overLimit("sweepSteps"))
          .optional()
          .describe("Rates to try (default: evenly between synchronous and saturation throughput)"),
        steps: countUpTo("sweepSteps").optional().describe("How many rates between them (default 5)"),
        refine: upTo("sweepRefine")
          .int()
          .nonnegative()
          .optional()
          .describe("Bisection steps between the last passing and first failing rate (default 3)"),
      })
      .optional()
      .describe(
        "Find the capacity at SLO; each step runs for duration (default 5s) and until it has 100 requests, longer while its served/offered share has not settled, up to 4x duration",
      ),
    replay: z
      .string()
      .regex(/\.(csv|jsonl)$/i, { message: "expected a .jsonl or .csv trace" })
      .optional()
      .describe(
        "Replay a trace (relative to the suite): one request per row at its timestamp, open loop; rows give input_tokens + output_tokens or messages (Mooncake and Azure LLM inference traces are read as they are)",
      ),
    speed: z
      .number()
      .positive()
      .max(1_000_000)
      .optional()
      .describe("A replay's time scale: 2 sends the trace twice as fast (default 1)"),
    timestamp_unit: z
      .enum(["ms", "s"])
      .optional()
      .describe("What a replay trace's timestamp counts: ms (default) or s from the start"),
    duration: Duration.optional(),
    requests: countUpTo("requests").optional(),
    warmup: Duration.optional(),
    time_limit: Duration.optional(),
    slo: SloMap.optional(),
    synthetic: z
      .strictObject({ input_tokens: tokenCount("inputTokens"), output_tokens: tokenCount("outputTokens") })
      .optional()
      .describe("Synthetic requests instead of the suite's cases"),
    targets: z.array(Identifier).optional(),
    fail_fast: FailFast.optional(),
  })
  .superRefine((phase, ctx) => {
    for (const problem of phaseShapeProblems(phase)) {
      ctx.addIssue({
        code: "custom",
        message: problem.message,
        ...(problem.field ? { path: [problem.field] } : {}),
      });
    }
  })
  .describe(
    "A load phase, one of: closed loop (concurrency), open loop (rate), ramp of users (stages, from concurrency or from 0), ramp of rate (rate with stages), sweep, replay of a trace (replay)",
  );

const ThresholdEntry = z.union([
  z.string(),
  z.strictObject({
    threshold: z.string(),
    abort_on_fail: z.boolean().optional(),
    delay_abort_eval: Duration.optional(),
  }),
]);

export const SuiteSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, { message: "expected version: 1" }),
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().optional(),
    targets: z.record(Identifier, TargetSchema).refine((t) => Object.keys(t).length > 0, {
      message: "expected at least one target",
    }),
    prompts: z.record(Identifier, PromptSchema).default({}),
    cases: z.array(CaseEntrySchema).default([]),
    quality: z
      .strictObject({
        concurrency: countUpTo("qualityConcurrency")
          .default(8)
          .describe("Quality requests in flight per target"),
        retries: upTo("retries")
          .int()
          .nonnegative()
          .default(2)
          .describe(
            "Retries of a quality call after 429, 5xx, connect errors or dropped streams (Retry-After honoured)",
          ),
        repeat: countUpTo("repeat")
          .default(1)
          .describe("Run every case K times: per-case consistency, pass@k and pass^k"),
        cache: z
          .boolean()
          .default(false)
          .describe(
            "Answer quality calls already made from .gauntlet-cache/ (local iteration; never read under CI=true unless --cache=force)",
          ),
      })
      .default({ concurrency: 8, retries: 2, repeat: 1, cache: false }),
    load: z.array(LoadPhaseSchema).default([]),
    fail_fast: FailFast.optional().describe(
      "Every load phase's fail_fast unless the phase sets its own (default 20; false: never stop)",
    ),
    compare: z
      .strictObject({
        by: z
          .enum(["target", "prompt"])
          .default("target")
          .describe(
            "target: baseline and candidates are targets, over the same cases; prompt: they are prompts, over the cases that name them all, on every target",
          ),
        baseline: Identifier,
        candidates: z.array(Identifier).min(1),
        alpha: z
          .number()
          .gt(0)
          .lt(1)
          .default(0.05)
          .describe("The level of every interval and the family-wise level of the delta gates (Holm)"),
      })
      .optional(),
    export: z
      .strictObject({
        otlp: z
          .strictObject({
            url: z
              .url({ message: "expected an absolute URL such as http://localhost:4318/v1/traces" })
              .describe(
                "OTLP/HTTP endpoint: a full traces URL (…/v1/traces), or an origin to which /v1/traces is added",
              ),
            headers: z
              .record(z.string(), z.string())
              .optional()
              .describe("Sent with every export (use ${VAR} for keys: they are redacted like api_key)"),
          })
          .describe("One span per request, sent to an OpenTelemetry collector (or --otlp URL)"),
      })
      .optional()
      .describe("Where the run's requests are also sent as they finish"),
    thresholds: z.record(z.string(), z.union([ThresholdEntry, z.array(ThresholdEntry).min(1)])).default({}),
  })
  .describe("A Gauntlet suite: targets, prompts, cases, load, comparison and thresholds");

export type Suite = z.output<typeof SuiteSchema>;
export type TargetConfig = z.output<typeof TargetSchema>;
export type PromptConfig = z.output<typeof PromptSchema>;
export type AssertionConfig = z.output<typeof AssertionSchema>;
export type InlineCaseConfig = z.output<typeof InlineCaseSchema>;
export type DatasetCasesConfig = z.output<typeof DatasetCasesSchema>;
export type LoadPhaseConfig = z.output<typeof LoadPhaseSchema>;
export type ArrivalConfig = z.output<typeof Arrival>;

/** The suite's JSON Schema, for editors (`# yaml-language-server: $schema=...`). */
export function suiteJsonSchema(): unknown {
  return z.toJSONSchema(SuiteSchema, { io: "input", unrepresentable: "any" });
}
