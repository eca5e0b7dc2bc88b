import { loadSuite, type LoadedSuite } from "../config/load-suite.js";
import { buildPlan, type Plan } from "../config/plan.js";
import { estimateLoadDuration } from "../config/plan-duration.js";
import { formatSpanMs } from "../util/duration.js";
import { ExitCode, type ExitCodeValue, type OutputError } from "../errors.js";
import { createResponseCache, DEFAULT_CACHE_DIR } from "../run/response-cache.js";
import { checkBaselinePairing } from "../run/baseline.js";
import { runSuite } from "../run/run-suite.js";
import { chooseSinks, SINKS } from "../sinks/registry.js";
import { startSinks } from "../sinks/sink.js";
import { caseInputKey } from "../report/review.js";
import { createRedactor, redactDeep, redactErrors, type Redactor } from "../util/redact.js";
import { prepareOutDir } from "./out-dir.js";
import { defaultOutDir, printWarnings, suiteEnv } from "./io.js";
import { readBaseline } from "./run-baseline.js";
import { applyLoadOverrides } from "./load-overrides.js";
import { applyOtlpOverride } from "./otlp-override.js";
import { CONCURRENCY_RENAMED, heartbeatMs, selectRun, type RunCommandOptions } from "./run-options.js";
import { printOutcome } from "./run-outcome.js";
import { shardWork } from "./run-shard.js";
import { sortUnmeasurable } from "./run-preflight.js";
import { chooseCache } from "./cache-choice.js";
import { onInterrupt } from "./signals.js";
import { writeReports } from "./write-reports.js";

/** Load phases longer than this are announced before the run starts. */
const LONG_RUN_MS = 60_000;

/**
 * `gauntlet run SUITE`: plan, run, write run.json and requests.ndjson (line by line as requests
 * finish, so Ctrl-C loses nothing and a SIGKILL at most the last 50 ms batch), print the summary,
 * return the exit code. A report file that cannot be written ends it with exit 3.
 */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<ExitCodeValue> {
  const env = suiteEnv(opts.var, process.env);
  const loaded = applyOtlpOverride(applyLoadOverrides(await loadSuite(file, env), opts), opts.otlp);
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
  redact: Redactor,
): Promise<ExitCodeValue> {
  // Everything that can be wrong with the options, the thresholds, the baseline file or the report
  // folder is an error (exit 2) before anything is sent; thresholds --only or --target leave
  // unmeasured are skipped.
  const work = shardWork(selectRun(plan, opts), plan);
  if ("idle" in work) {
    process.stderr.write(`gauntlet: ${work.idle}; nothing was sent, no file was written\n`);
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
      `gauntlet: shard ${run.shard?.index}/${run.shard?.count}: ${left.message}; merge judges it\n`,
    );
  // As k6 prints "max duration": a run that will take minutes says so before it starts.
  const estimate = run.only === "quality" ? undefined : estimateLoadDuration(run.plan, run.targets);
  if (!opts.quiet && estimate && estimate.plannedMs > LONG_RUN_MS)
    process.stderr.write(
      `gauntlet: load phases take about ${formatSpanMs(estimate.plannedMs)} (at most ${formatSpanMs(estimate.maxMs)} with every time limit); \`gauntlet validate\` shows each phase\n`,
    );
  const cache = chooseCache(opts.cache, plan.qualityCache, env);
  const heartbeat = heartbeatMs(opts.heartbeat);
  const baseline = await readBaseline(opts.baseline, opts.pairBy);
  if (baseline) {
    const targets = run.plan.targets
      .filter((t) => !t.grader && (!run.targets?.length || run.targets.includes(t.name)))
      .map((t) => t.name);
    checkBaselinePairing(run.only === "load" ? [] : run.plan.cases, targets, baseline);
  }
  const outDir = opts.out ?? defaultOutDir();
  await prepareOutDir(outDir);
  const controller = new AbortController();
  // A file the run cannot write (disk full) stops it as Ctrl-C does; it then exits 3, naming the file.
  let outputFailure: OutputError | undefined;
  const fail = (error: OutputError) => {
    outputFailure ??= error;
    controller.abort(error.message);
  };
  // A person at a terminal gets the live view; CI and pipes get plain periodic lines.
  const interactive = Boolean(process.stderr.isTTY) && !env.CI;
  const sinkContext = {
    outDir,
    redact,
    fail,
    stderr: process.stderr,
    ...(heartbeat === undefined ? {} : { heartbeatMs: heartbeat }),
    ...(plan.export?.otlp ? { otlp: plan.export.otlp } : {}),
    targets: new Map(plan.targets.map((t) => [t.name, { provider: t.provider, model: t.model }])),
  };
  const sinks = await startSinks(
    chooseSinks({ quiet: Boolean(opts.quiet), interactive, otlp: Boolean(plan.export?.otlp) }).map((kind) =>
      SINKS[kind](sinkContext),
    ),
  );
  const stopListening = onInterrupt(() => controller.abort());
  let result;
  try {
    result = await runSuite(run.plan, {
      targets: run.targets,
      signal: controller.signal,
      emit: sinks.emit,
      settle: sinks.settle,
      graceMs: 2_000,
      redact,
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
  // The record is redacted whole before any renderer cuts or escapes a string of it.
  result = redactDeep(result, redact);
  let reportFailure: unknown;
  const annotations = await writeReports(outDir, result, {
    redact,
    env,
    inputs: new Map(
      run.plan.cases.map((c) => [
        caseInputKey(c.id, c.prompt.name),
        { messages: redactDeep(c.messages, redact), vars: redactDeep(c.vars, redact) },
      ]),
    ),
    // Only the suite's own thresholds have a line; baseline verdicts are made up by --baseline.
    thresholdLine: (key) =>
      run.plan.thresholds.some((t) => t.key === key)
        ? loaded.locator.locate(["thresholds", key]).line
        : undefined,
  }).catch((err: unknown) => {
    reportFailure = err;
    return "";
  });
  const code = printOutcome(result, { outDir, redact, env, annotations, quiet: opts.quiet, json: opts.json });
  // requests.ndjson failed first (it stopped the run); either way the message names the file (exit 3).
  const failure = outputFailure ?? reportFailure;
  if (failure) throw failure;
  return code;
}
