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
      "clock, durations, seeded random numbers, redaction, the JSON path subset and JSON Schema checks; the error family and the exit-code table; the tool's version",
  },
  {
    paths: ["src/record"],
    concern:
      "the run's record, the shapes run.json and requests.ndjson hold: failure kinds, the per-request sample and raw response, case outcomes, aggregates, comparisons, task metrics, sweeps, verdicts with their parsed threshold, the run result; the one run.json reader (validated against `run.schema.json`); a result's exit code",
  },
  {
    paths: ["src/stats"],
    concern:
      "statistics: the normal and t distributions, Wilson, McNemar exact, Newcombe, cluster-robust (CR1) errors, the interval a comparison's gates decide by and its p, Holm, power (checked against SciPy, NumPy, exact-fraction and published fixtures in `src/stats/fixtures`)",
  },
  {
    paths: ["src/metrics"],
    concern:
      "metric definitions per request, HDR recorders, aggregates and their timelines, measurement-health verdicts, merging shards exactly",
  },
  {
    paths: ["src/sim"],
    concern:
      "the simulated endpoint, writing each wire format with its own code (never the client's parsers)",
  },
  {
    paths: ["src/providers"],
    concern:
      "wire formats over undici: one request → a stream of typed, timestamped events; incremental parsers; connecting a target (`connectTarget`: a simulator for `sim`, else its base_url); retry with backoff; embeddings calls",
  },
  {
    paths: ["src/telemetry"],
    concern:
      "server telemetry: the Prometheus text format read exactly, each engine's metric names mapped to one vocabulary (vLLM, TGI, SGLang, llama.cpp), scraping a target's /metrics off the request path",
  },
  {
    paths: ["src/thresholds"],
    concern:
      "the threshold grammar (written once, in `parse.ts`), the metric registry (`METRICS`: each metric's unit, statistics, tags, how it is read from a run, what it needs to get a sample, its own judging rule), preflight, judging, per-request SLOs",
  },
  {
    paths: ["src/config"],
    concern:
      "zod schema (source of truth; also the JSON Schema), the limits table, YAML loading with positions (nesting, aliases and encodings checked first), env interpolation, templates, datasets (an RFC 4180 reader in one pass; conversations, PII scrubbing), replay traces, plan building, what to write instead of another tool's syntax (promptfoo, k6) or a misspelt field",
  },
  {
    paths: ["src/load"],
    concern:
      "executors: closed and open loop, trace replay, arrival schedules, workloads; nothing of wire formats",
  },
  {
    paths: ["src/quality"],
    concern:
      "assertions (one module per family under `assertions/`; user `javascript` in a small pool of worker threads), case scoring, graders (judge and embeddings targets), task metrics (classification, extraction, repeats)",
  },
  {
    paths: ["src/compare"],
    concern:
      "variant comparison: pairing cases, flips, agreement, logprob agreement, classification deltas, two saved runs compared; rendering a comparison",
  },
  {
    paths: ["src/run"],
    concern:
      "orchestration: the run's event stream, quality, load phases and sweeps, the client watching itself (event loop, CPU), abort_on_fail, run health and fail_fast, the response cache, the `--baseline` comparison, merging shards",
  },
  {
    paths: ["src/report", "src/ui"],
    concern:
      "pure renderers of the record: console summary, run.json, requests.ndjson lines, cases.csv, junit.xml, summary.md, review.jsonl, report.html (inline SVG charts), annotations, plan text; the live terminal view (ink: `src/ui` is the only folder that imports it), a pure reduction of the run's events redrawn four times a second",
  },
  {
    paths: ["src/sinks"],
    concern:
      "consumers of the run's event stream with a lifecycle (start, event, flush, settle between phases, close), in one list the CLI chooses: requests.ndjson (written in batches), the live view (drawn by `src/ui`), CI progress lines, OpenTelemetry spans over OTLP/HTTP; a later exporter is one more entry in `SINKS`",
  },
  {
    paths: ["src/cli"],
    concern: "commander commands; the only place that reads argv/env; writes the reports",
  },
];

/**
 * README's Architecture table, as it must read: one row per layer, lowest first, with its folders,
 * its concern and what it may import. test/import-direction.test.ts checks README holds exactly this.
 */
export function architectureTable(layers: readonly Layer[] = LAYERS): string {
  const rows = layers.map((l, i) => {
    const folders = l.paths.map((p) => `\`${p}\``).join(", ");
    const lower = i === 0 ? "nothing else" : i === 1 ? "layer 1" : `layers 1–${i}`;
    const peers = l.paths.length > 1 && !l.paths[0]!.endsWith(".ts") ? "; not each other" : "";
    return `| ${i + 1} | ${folders} | ${l.concern} | ${lower}${peers} |`;
  });
  return ["| layer | folder | concern | may import |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
