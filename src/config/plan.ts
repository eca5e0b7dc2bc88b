/**
 * The plan: a suite resolved into everything a run needs, nothing it must still check. Each concern
 * resolves in its own module (targets, cases, load phases, thresholds); this one assembles them and throws one
 * ConfigError carrying every located issue.
 */
import type { ConfigIssue } from "../errors.js";
import { ConfigError } from "../errors.js";
import type { RetryPolicy } from "../providers/retry.js";
import { createIssueAt } from "./issue-at.js";
import { formatCount, LIMITS, overLimit } from "./limits.js";
import { redactIssues, sortIssues, type LoadedSuite } from "./load-suite.js";
import type { LoadPhase } from "./load-phase.js";
import { resolveCases, type PlanCase } from "./plan-cases.js";
import { loadSimAnswers, resolveTargets, type PlanTarget } from "./plan-targets.js";
import { resolveLoadPhases } from "./plan-load.js";
import { readTraces } from "./plan-replay.js";
import { checkTemplateSyntax } from "./plan-templates.js";
import { resolveThresholds } from "./plan-thresholds.js";
import type { Threshold } from "../record/verdict.js";
import type { MetricName } from "../thresholds/metrics.js";
import type { CompareSpec } from "../thresholds/needs.js";
import { compareIssues } from "./plan-compare.js";
import { resolveExport, type OtlpExport } from "./plan-export.js";

export type { PlanAssertion } from "./plan-assertions.js";
export type { PlanCase } from "./plan-cases.js";
export type { PlanTarget, ProviderKind } from "./plan-targets.js";
export type { LoadPhase } from "./load-phase.js";
export type { OtlpExport } from "./plan-export.js";

/** The resolved, validated plan: everything a run needs, nothing it must still check. */
export interface Plan {
  suiteName: string;
  suiteFile: string;
  seed: number;
  targets: PlanTarget[];
  /** The quality cases this run scores: every case of the suite, or on a shard its dealt share. */
  cases: PlanCase[];
  /**
   * The request bodies load phases cycle through: on a shard, every case of the suite (a load
   * shard sends its share of the load, never a share of the bodies); undefined: `cases`.
   */
  loadCases?: PlanCase[];
  qualityConcurrency: number;
  /** `quality.cache`: the suite asks for the response cache (see chooseCache for when it is read). */
  qualityCache: boolean;
  /** Retries for quality calls (never for load samples). */
  retry: RetryPolicy;
  /** The load phases, each resolved into its executor kind. */
  load: LoadPhase[];
  /** The suite's `compare:`: targets (`by: target`) or prompts (`by: prompt`), checked to pair. */
  compare?: CompareSpec;
  thresholds: Array<Threshold<MetricName>>;
  secrets: string[];
  /** Where requests are also sent as they finish (`export:`; `--otlp` sets or replaces the URL). */
  export?: { otlp?: OtlpExport };
  /** Valid but most likely not meant (`error_rate: "< 1"` is 100%): printed, never fatal. */
  warnings?: ConfigIssue[];
}

/** Builds the plan, collecting every semantic issue (extends, references, templates, datasets, ids). */
export async function buildPlan(loaded: LoadedSuite): Promise<Plan> {
  const { suite, locator } = loaded;
  const issues: ConfigIssue[] = [];
  const at = createIssueAt(locator);

  const targetSecrets: string[] = [];
  const targets = resolveTargets(suite, at, issues, targetSecrets);
  await loadSimAnswers(loaded, targets, at, issues);
  const cases = await resolveCases(loaded, targets, at, issues);
  const traces = await readTraces(loaded, at, issues);
  const { phases: load, names: phaseNames } = resolveLoadPhases(suite, at, issues, traces);
  if (suite.compare) compareIssues(suite.compare, suite, cases, at, issues);
  const warnings: ConfigIssue[] = [];
  const thresholds = resolveThresholds(suite, phaseNames, at, issues, warnings);
  checkTemplateSyntax(suite, at, issues);
  const exportSecrets: string[] = [];
  const exportTo = resolveExport(suite, at, issues, exportSecrets);
  const calls = cases.reduce((n, c) => n + c.repeat, 0);
  if (calls > LIMITS.qualityCalls.max)
    issues.push(
      at(
        ["cases"],
        `${formatCount(calls)} quality calls per target (cases × repeats): ${overLimit("qualityCalls")}`,
      ),
    );
  if (targets.length > 0 && targets.every((t) => t.grader))
    issues.push(
      at(
        ["targets"],
        "every target is a grader (grader: true), so there is no target to run the cases and load on: add one",
      ),
    );
  // An issue may quote a value the suite took from a secret (`extends: ${MY_TOKEN}` names it):
  // every message leaves through the suite's redactor, as load-suite's do.
  const secrets = [...loaded.secrets, ...targetSecrets, ...exportSecrets];
  if (issues.length > 0) throw new ConfigError(sortIssues(redactIssues(issues, secrets)));
  return {
    suiteName: suite.name,
    suiteFile: loaded.file,
    seed: suite.seed ?? 1,
    targets,
    cases,
    qualityConcurrency: suite.quality.concurrency,
    qualityCache: suite.quality.cache,
    retry: { retries: suite.quality.retries, baseDelayMs: 250, maxDelayMs: 10_000 },
    load,
    ...(suite.compare ? { compare: suite.compare } : {}),
    thresholds,
    secrets,
    ...(exportTo ? { export: exportTo } : {}),
    ...(warnings.length > 0 ? { warnings: redactIssues(warnings, secrets) } : {}),
  };
}
