import { mkdir } from "node:fs/promises";
import { loadSuite, type LoadedSuite } from "../config/load-suite.js";
import { buildPlan, type Plan } from "../config/plan.js";
import { ExitCode, type ExitCodeValue } from "../errors.js";
import { createResponseCache, DEFAULT_CACHE_DIR } from "../run/response-cache.js";
import { runSuite } from "../run/run-suite.js";
import { chooseSinks, SINKS } from "../sinks/registry.js";
import { startSinks } from "../sinks/sink.js";
import { createRedactor, redactErrors } from "../util/redact.js";
import { defaultOutDir, printWarnings, suiteEnv } from "./io.js";
import { readBaseline } from "./run-baseline.js";
import { applyLoadOverrides } from "./load-overrides.js";
import { CONCURRENCY_RENAMED, selectRun, type RunCommandOptions } from "./run-options.js";
import { printOutcome } from "./run-outcome.js";
import { shardWork } from "./run-shard.js";
import { sortUnmeasurable } from "./run-preflight.js";
import { chooseCache } from "./cache-choice.js";
import { onInterrupt } from "./signals.js";
import { writeReports } from "./write-reports.js";

/**
 * `gauntlet run SUITE`: plan, run, write run.json and requests.ndjson (line by line as requests
 * finish, so an interrupted run loses nothing), print the summary, return the exit code.
 */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<ExitCodeValue> {
  const env = suiteEnv(opts.var, process.env);
  const loaded = applyLoadOverrides(await loadSuite(file, env), opts);
  const plan = await buildPlan(loaded);
  if (opts.concurrency !== undefined && !opts.quiet)
    process.stderr.write(`gauntlet: note: ${CONCURRENCY_RENAMED}\n`);
  if (!opts.quiet) printWarnings(plan.warnings, process.stderr);
  const redact = createRedactor(plan.secrets);
  return redactErrors(redact, () => runPlanned(opts, env, loaded, plan, redact));
}

/** Everything after the plan exists; what it throws leaves through the suite's redactor. */
async function runPlanned(
  opts: RunCommandOptions,
  env: NodeJS.ProcessEnv,
  loaded: LoadedSuite,
  plan: Plan,
  redact: (text: string) => string,
): Promise<ExitCodeValue> {
  // Everything that can be wrong with the options, the thresholds or the baseline file is an
  // error (exit 2) before anything is sent; thresholds --only or --target leave unmeasured are skipped.
  const work = shardWork(selectRun(plan, opts), plan);
  if ("idle" in work) {
    process.stderr.write(`gauntlet: ${work.idle}; nothing was sent, no file was written
`);
    return ExitCode.ok;
  }
  // A shard's share is checked as the whole suite: merge judges what the share cannot sample.
  const skipped = sortUnmeasurable({ ...work.run, plan }, loaded);
  const skippedKeys = new Set(skipped.map((t) => t.key));
  const run = {
    ...work.run,
    plan: { ...work.run.plan, thresholds: work.run.plan.thresholds.filter((t) => !skippedKeys.has(t.key)) },
  };
  for (const left of work.leftToMerge)
    process.stderr.write(
      `gauntlet: shard ${run.shard?.index}/${run.shard?.count}: ${left.message}; merge judges it
`,
    );
  const cache = chooseCache(opts.cache, plan.qualityCache, env);
  const baseline = await readBaseline(opts.baseline);
  const outDir = opts.out ?? defaultOutDir();
  await mkdir(outDir, { recursive: true });
  // A person at a terminal gets the live view; CI and pipes get plain periodic lines.
  const interactive = Boolean(process.stderr.isTTY) && !env.CI;
  const sinkContext = { outDir, redact, stderr: process.stderr };
  const sinks = await startSinks(
    chooseSinks({ quiet: Boolean(opts.quiet), interactive }).map((kind) => SINKS[kind](sinkContext)),
  );
  const controller = new AbortController();
  const stopListening = onInterrupt(() => controller.abort());
  let result;
  try {
    result = await runSuite(run.plan, {
      targets: run.targets,
      signal: controller.signal,
      emit: sinks.emit,
      graceMs: 2_000,
      ...(run.only ? { only: run.only } : {}),
      ...(run.shard ? { shard: run.shard } : {}),
      ...(baseline ? { baseline } : {}),
      ...(skipped.length ? { skipped } : {}),
      // Quality answers are cached in the working directory; GAUNTLET_CACHE_DIR moves the folder.
      cache: {
        ...cache,
        ...(cache.mode !== "off"
          ? { store: createResponseCache(env.GAUNTLET_CACHE_DIR || DEFAULT_CACHE_DIR) }
          : {}),
      },
    });
  } finally {
    stopListening();
    await sinks.close();
  }
  const annotations = await writeReports(outDir, result, {
    redact,
    env,
    inputs: new Map(run.plan.cases.map((c) => [c.id, { messages: c.messages, vars: c.vars }])),
    // Only the suite's own thresholds have a line; baseline verdicts are made up by --baseline.
    thresholdLine: (key) =>
      run.plan.thresholds.some((t) => t.key === key)
        ? loaded.locator.locate(["thresholds", key]).line
        : undefined,
  });
  return printOutcome(result, { outDir, redact, env, annotations, quiet: opts.quiet, json: opts.json });
}
