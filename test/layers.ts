/**
 * The layers of src/, lowest first: the one statement of what may import what. A module may import
 * from its own folder and from folders in lower layers, never from a higher layer or from another
 * folder of its own layer. test/import-direction.test.ts enforces it on every import (type-only
 * ones too) and checks that README's Architecture table says the same.
 */
export interface Layer {
  /** Folders (`src/util`) or single files (`src/errors.ts`) in this layer. */
  paths: readonly string[];
  /** What the layer is for, as README's Architecture table says it. */
  concern: string;
}

export const LAYERS: readonly Layer[] = [
  {
    paths: ["src/util", "src/errors.ts", "src/version.ts"],
    concern:
      "clock, durations, seeded random numbers, redaction, the JSON path subset and JSON Schema checks; the error family and exit codes; the tool's version",
  },
  {
    paths: ["src/record"],
    concern:
      "the run's record: failure kinds, the per-request sample and raw response, case outcomes, aggregates' shape, comparisons, task metrics, sweeps, verdicts with their threshold, the run result; the one run.json reader (validated against run.schema.json); exit codes of a result",
  },
  {
    paths: ["src/stats"],
    concern:
      "statistics: the normal distribution, Wilson, McNemar exact, Newcombe, clustered errors, power (checked against SciPy-computed fixtures)",
  },
  {
    paths: ["src/metrics"],
    concern:
      "per-request metric definitions, HDR recorders, aggregates, timelines, merging shards, per-request SLOs",
  },
  {
    paths: ["src/sim"],
    concern:
      "the simulated endpoint, writing each wire format with its own code (never the client's parsers)",
  },
  {
    paths: ["src/providers"],
    concern:
      "wire formats over undici: one request → a stream of typed, timestamped events; incremental parsers",
  },
  {
    paths: ["src/thresholds"],
    concern:
      "the threshold grammar, the metric registry (unit, tags, how each is read from a run, what it needs to get a sample), judging",
  },
  {
    paths: ["src/config"],
    concern:
      "zod schema (source of truth; also the JSON Schema), YAML loading with positions, env interpolation, templates, datasets, plan building",
  },
  {
    paths: ["src/load"],
    concern: "executors: closed and open loop, arrival schedules, workloads; nothing of wire formats",
  },
  {
    paths: ["src/quality"],
    concern:
      "assertions (one module per family under `assertions/`), case scoring, graders (judge and embeddings targets), task metrics",
  },
  {
    paths: ["src/compare"],
    concern:
      "variant comparison: Wilson, McNemar exact, Newcombe, clustered errors, power, logprob agreement, saved runs",
  },
  {
    paths: ["src/run"],
    concern:
      "orchestration: the run's event stream, quality, load and sweeps, the --baseline comparison, merge",
  },
  {
    paths: ["src/report", "src/ui"],
    concern:
      "renderers of the record: console summary, run.json, requests.ndjson lines, cases.csv, junit.xml, summary.md, review.jsonl, report.html; the live ink view",
  },
  {
    paths: ["src/sinks"],
    concern:
      "consumers of the run's events with a lifecycle (start, event, flush, close): requests.ndjson, the live view, CI progress lines",
  },
  {
    paths: ["src/cli"],
    concern: "commander commands; the only place that reads argv/env and writes files",
  },
];
