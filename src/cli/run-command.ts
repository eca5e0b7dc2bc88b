import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { loadSuite, type LoadedSuite } from "../config/load-suite.js";
import { buildPlan, type Plan } from "../config/plan.js";
import { formatPath } from "../config/locate.js";
import { ConfigError, ExitCode, UsageError, type ExitCodeValue } from "../errors.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import { renderRequestLine } from "../report/request-line.js";
import type { RunEvent } from "../run/events.js";
import { runSuite } from "../run/run-suite.js";
import { createRedactor, redactErrors } from "../util/redact.js";
import { colorLevel, defaultOutDir, suiteEnv } from "./io.js";
import { createPlainProgress } from "./progress.js";
import { startLiveUi } from "../ui/live-ui.js";
import { compareSavedRuns, phaseRatios } from "../compare/saved-runs.js";
import { readRun } from "./compare-command.js";
import { applyShard, parseShard, type Shard } from "../run/shard.js";
import { createResponseCache, DEFAULT_CACHE_DIR } from "../run/response-cache.js";
import { preflightThresholds } from "../thresholds/preflight.js";
import { writeReports } from "./write-reports.js";

/** requests.ndjson batching: the longest a finished request waits to reach the file, and the batch size. */
const FLUSH_MS = 50;
const FLUSH_CHARS = 64 * 1024;

export interface RunCommandOptions {
  var?: string[];
  target?: string[];
  out?: string;
  concurrency?: string;
  only?: string;
  seed?: string;
  shard?: string;
  baseline?: string;
  /** false with --no-cache. */
  cache?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/**
 * `gauntlet run SUITE`: plan, run, write run.json and requests.ndjson (line by line as requests
 * finish, so an interrupted run loses nothing), print the summary, return the exit code.
 */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<ExitCodeValue> {
  const env = suiteEnv(opts.var, process.env);
  const loaded = await loadSuite(file, env);
  const plan = await buildPlan(loaded);
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
  for (const name of opts.target ?? []) {
    if (!plan.targets.some((t) => t.name === name)) {
      throw new UsageError(
        `--target ${name}: no such target (targets: ${plan.targets.map((t) => t.name).join(", ")})`,
      );
    }
  }
  if (opts.concurrency !== undefined) {
    const n = Number(opts.concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--concurrency expects a positive integer, got ${opts.concurrency}`);
    plan.qualityConcurrency = n;
  }
  if (opts.only !== undefined && opts.only !== "quality" && opts.only !== "load") {
    throw new UsageError(`--only expects quality or load, got ${opts.only}`);
  }
  if (opts.seed !== undefined) {
    const n = Number(opts.seed);
    if (!Number.isInteger(n)) throw new UsageError(`--seed expects an integer, got ${opts.seed}`);
    plan.seed = n;
  }
  let shard: Shard | undefined;
  if (opts.shard !== undefined) {
    shard = parseShard(opts.shard);
    if (!shard) throw new UsageError(`--shard expects i/n with 1 <= i <= n, got ${opts.shard}`);
  }
  const runPlan = shard ? applyShard(plan, shard) : plan;
  // A threshold that cannot get a sample is an error; say so before sending anything (exit 2).
  const unmeasurable = preflightThresholds(runPlan, {
    ...(opts.target ? { targets: opts.target } : {}),
    ...(opts.only ? { only: opts.only as "quality" | "load" } : {}),
  });
  if (unmeasurable.length > 0) {
    throw new ConfigError(
      unmeasurable.map((p) => ({
        file: loaded.locator.file,
        ...loaded.locator.locate(["thresholds", p.key]),
        path: formatPath(["thresholds", p.key]),
        message: p.message,
      })),
    );
  }
  // Read the baseline before sending anything: a bad file is a usage error (exit 2).
  const baselineRun = opts.baseline ? await readRun(opts.baseline) : undefined;
  const outDir = opts.out ?? defaultOutDir();
  await mkdir(outDir, { recursive: true });
  const requestsFile = createWriteStream(path.join(outDir, "requests.ndjson"));
  const log = (line: string) => {
    if (!opts.quiet) process.stderr.write(redact(line) + "\n");
  };
  // A person at a terminal gets the live view; CI and pipes get plain periodic lines.
  const live = !opts.quiet && process.stderr.isTTY && !env.CI ? startLiveUi(process.stderr) : undefined;
  const progress = live ? live.onEvent : createPlainProgress(log);
  // Lines are written in batches, at most FLUSH_MS apart or FLUSH_BYTES large, rather than one
  // syscall each (or one per event-loop turn, which at saturation is still nearly one per request
  // and cost 9% of the client's CPU in the bench): a crash loses at most FLUSH_MS of lines, an
  // interrupt none (the finally below flushes).
  let pending: string[] = [];
  let pendingChars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) requestsFile.write(pending.join(""));
    pending = [];
    pendingChars = 0;
  };
  const emit = (e: RunEvent) => {
    if (e.type === "request_finished") {
      const line = redact(renderRequestLine(e.sample, e.outcome, e.warmup));
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= FLUSH_CHARS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    }
    progress(e);
  };

  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    // A second Ctrl-C means "now": stop waiting for in-flight requests.
    if (++signals > 1) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let result;
  try {
    result = await runSuite(runPlan, {
      targets: opts.target,
      signal: controller.signal,
      emit,
      graceMs: 2_000,
      ...(opts.only ? { only: opts.only as "quality" | "load" } : {}),
      ...(shard ? { shard } : {}),
      // Quality answers are cached in the working directory; GAUNTLET_CACHE_DIR moves the folder.
      ...(opts.cache === false
        ? {}
        : { cache: createResponseCache(env.GAUNTLET_CACHE_DIR || DEFAULT_CACHE_DIR) }),
    });
  } finally {
    live?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    flush();
    await new Promise((resolve) => requestsFile.end(resolve));
  }
  if (baselineRun) {
    // "No worse than the baseline": any significant pass-rate drop of a target fails (exit 99).
    const against = compareSavedRuns(
      baselineRun,
      { ...result, thresholds: [] },
      {},
      { old: opts.baseline!, new: "this run" },
    );
    result.baseline = {
      file: opts.baseline!,
      comparisons: against.comparisons,
      ratios: phaseRatios(baselineRun, result),
    };
    result.thresholds.push(...against.verdicts.map((v) => ({ ...v, key: `baseline ${v.key}` })));
  }
  const annotations = await writeReports(outDir, result, {
    redact,
    env,
    inputs: new Map(runPlan.cases.map((c) => [c.id, { messages: c.messages, vars: c.vars }])),
    // Only the suite's own thresholds have a line; baseline verdicts are made up by --baseline.
    thresholdLine: (key) =>
      runPlan.thresholds.some((t) => t.key === key)
        ? loaded.locator.locate(["thresholds", key]).line
        : undefined,
  });

  const summary = renderConsoleSummary(result, { colorLevel: colorLevel(env, process.stdout) });
  if (opts.json) {
    const brief = {
      status: result.status,
      out: outDir,
      quality: result.quality.totals,
      thresholds: result.thresholds,
    };
    process.stdout.write(redact(JSON.stringify(brief, null, 2)) + "\n");
  } else if (!opts.quiet) {
    process.stdout.write(redact(summary) + `\n\nreports: ${outDir}\n`);
  }
  // GitHub Actions reads workflow commands from the log; stdout stays pure JSON under --json.
  if (annotations) (opts.json ? process.stderr : process.stdout).write(annotations);
  if (result.status === "interrupted") return ExitCode.interrupted;
  if (result.status === "aborted") {
    const v = result.thresholds.find((t) => t.key === result.abortedBy);
    process.stderr.write(
      redact(
        `gauntlet: aborted: threshold ${result.abortedBy} failed (abort_on_fail)${v ? `: ${v.reason}` : ""}`,
      ) + "\n",
    );
    return ExitCode.incomplete;
  }
  if (result.status === "unreachable") {
    process.stderr.write("gauntlet: no target was reachable; nothing was measured\n");
    return ExitCode.incomplete;
  }
  const failed = result.thresholds.filter((v) => !v.pass);
  for (const v of failed)
    process.stderr.write(redact(`threshold failed: ${v.key} ${v.expression}: ${v.reason}`) + "\n");
  return failed.length > 0 ? ExitCode.thresholdFailed : ExitCode.ok;
}
