import path from "node:path";
import type { ConfigIssue } from "../errors.js";
import { ConfigError } from "../errors.js";
import type { ChatMessage, Timeouts } from "../providers/types.js";
import { SimProfileSchema, type SimProfile } from "../sim/profile.js";
import { parseDurationMs } from "../util/duration.js";
import { readDataset } from "./dataset.js";
import { formatPath, type FieldPath } from "./locate.js";
import { sortIssues, type LoadedSuite } from "./load-suite.js";
import type { AssertionConfig, LoadPhaseConfig, PromptConfig, Suite, TargetConfig } from "./schema.js";
import { resolveAssertion, type PlanAssertion } from "./plan-assertions.js";
import { missingVariables, renderTemplate, type TemplateVars } from "./template.js";
import { resolveThresholds } from "./plan-thresholds.js";
import { resolveTask, taskOf, type TaskDraft } from "./plan-task.js";
import type { Threshold } from "../thresholds/parse.js";
import { createRequestSlos } from "../metrics/request-slo.js";

export type ProviderKind = NonNullable<TargetConfig["provider"]>;

/** A target with `extends` resolved and defaults applied. */
export interface PlanTarget {
  name: string;
  provider: ProviderKind;
  baseUrl?: string;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  params: Record<string, unknown>;
  stream: boolean;
  timeouts: Timeouts;
  pricing: { inputPerMtok?: number; outputPerMtok?: number; gpuHourUsd?: number };
  gpus?: number;
  sim?: SimProfile;
  /** Only grades answers (llm-judge, similar): not run with the suite's cases or load. */
  grader?: boolean;
  /** Top-k logprobs asked of quality calls (`logprobs:`), for the comparison's same-top-1 and KL. */
  logprobs?: number;
}

export type { PlanAssertion } from "./plan-assertions.js";

export interface PlanCase {
  id: string;
  prompt: { name: string; version: number };
  messages: ChatMessage[];
  vars: TemplateVars;
  assertions: PlanAssertion[];
  threshold?: number;
  /** Expected class label (classification metrics), rendered from the case's vars. */
  label?: string;
  /** Expected items (set precision/recall), rendered and split on "|" when given as one string. */
  expected?: string[];
  /** Cases sharing a cluster are not independent: comparisons give cluster-robust errors. */
  cluster?: string;
  /** How many times the case is sent to each target (>= 1). */
  repeat: number;
  /** Where the case was defined, for messages and reports. */
  source: { file: string; line?: number };
}

/** Retries for quality calls: exponential backoff from `baseDelayMs`, or the server's Retry-After. */
export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The resolved, validated plan: everything a run needs, nothing it must still check. */
export interface Plan {
  suiteName: string;
  suiteFile: string;
  seed: number;
  targets: PlanTarget[];
  cases: PlanCase[];
  qualityConcurrency: number;
  /** Retries for quality calls (never for load samples). */
  retry: RetryPolicy;
  load: LoadPhaseConfig[];
  compare?: { baseline: string; candidates: string[]; alpha: number };
  thresholds: Threshold[];
  secrets: string[];
}

/** Providers whose wire format returns per-token top-k logprobs (the comparison's same-top-1 and KL). */
const LOGPROBS_PROVIDERS: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "tgi", "sim"]);

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, firstTokenMs: 60_000, totalMs: 300_000 };

/** Builds the plan, collecting every semantic issue (extends, references, templates, datasets, ids). */
export async function buildPlan(loaded: LoadedSuite): Promise<Plan> {
  const { suite, locator } = loaded;
  const issues: ConfigIssue[] = [];
  const at = (p: FieldPath, message: string, key?: string): ConfigIssue => ({
    file: locator.file,
    ...locator.locate(p, key === undefined ? undefined : { key }),
    path: formatPath(key === undefined ? p : [...p, key]),
    message,
  });

  const targets = resolveTargets(suite, at, issues);
  await loadSimAnswers(loaded, targets, at, issues);
  const cases = await resolveCases(loaded, targets, at, issues);
  const phaseNames = new Set<string>();
  suite.load.forEach((phase, i) => {
    if (phaseNames.has(phase.name))
      issues.push(at(["load", i, "name"], `duplicate phase name "${phase.name}"`));
    phaseNames.add(phase.name);
    for (const [key, expression] of Object.entries(phase.slo ?? {})) {
      try {
        createRequestSlos({ [key]: expression });
      } catch (err) {
        issues.push(at(["load", i, "slo", key], (err as Error).message));
      }
    }
    for (const [j, t] of (phase.targets ?? []).entries()) {
      if (!suite.targets[t]) issues.push(at(["load", i, "targets", j], `unknown target "${t}"`));
    }
  });
  if (suite.compare) {
    const { baseline, candidates } = suite.compare;
    if (!suite.targets[baseline]) issues.push(at(["compare", "baseline"], `unknown target "${baseline}"`));
    candidates.forEach((c, i) => {
      if (!suite.targets[c]) issues.push(at(["compare", "candidates", i], `unknown target "${c}"`));
      if (c === baseline)
        issues.push(at(["compare", "candidates", i], "a candidate cannot be its own baseline"));
    });
  }
  const thresholds = resolveThresholds(suite, phaseNames, at, issues);
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));
  return {
    suiteName: suite.name,
    suiteFile: loaded.file,
    seed: suite.seed ?? 1,
    targets,
    cases,
    qualityConcurrency: suite.quality.concurrency,
    retry: { retries: suite.quality.retries, baseDelayMs: 250, maxDelayMs: 10_000 },
    load: suite.load,
    ...(suite.compare ? { compare: suite.compare } : {}),
    thresholds,
    secrets: loaded.secrets,
  };
}

type At = (p: FieldPath, message: string, key?: string) => ConfigIssue;

function mergeTarget(base: TargetConfig, over: TargetConfig): TargetConfig {
  const merged: TargetConfig = { ...base, ...over };
  for (const k of ["headers", "params", "timeouts", "pricing", "sim"] as const) {
    if (base[k] || over[k]) (merged as Record<string, unknown>)[k] = { ...base[k], ...over[k] };
  }
  delete merged.extends;
  return merged;
}

function resolveTargets(suite: Suite, at: At, issues: ConfigIssue[]): PlanTarget[] {
  const resolved = new Map<string, TargetConfig | undefined>();
  const resolve = (name: string, chain: string[]): TargetConfig | undefined => {
    if (resolved.has(name)) return resolved.get(name);
    const own = suite.targets[name]!;
    if (!own.extends) return own;
    if (chain.includes(own.extends)) {
      issues.push(
        at(["targets", name, "extends"], `extends forms a cycle: ${[...chain, own.extends].join(" -> ")}`),
      );
      resolved.set(name, undefined);
      return undefined;
    }
    if (!suite.targets[own.extends]) {
      issues.push(
        at(
          ["targets", name, "extends"],
          `unknown target "${own.extends}" (targets: ${Object.keys(suite.targets).join(", ")})`,
        ),
      );
      resolved.set(name, undefined);
      return undefined;
    }
    const base = resolve(own.extends, [...chain, own.extends]);
    const merged = base ? mergeTarget(base, own) : undefined;
    resolved.set(name, merged);
    return merged;
  };

  const out: PlanTarget[] = [];
  for (const name of Object.keys(suite.targets)) {
    const t = resolve(name, [name]);
    if (!t) continue;
    const where = ["targets", name];
    if (!t.provider) {
      issues.push(at(where, "required field is missing (expected provider)", undefined));
      continue;
    }
    if (t.provider !== "sim" && !t.base_url) issues.push(at(where, `provider ${t.provider} needs base_url`));
    if (t.provider !== "sim" && !t.model) issues.push(at(where, `provider ${t.provider} needs model`));
    if (t.provider !== "sim" && t.sim)
      issues.push(at([...where, "sim"], "sim settings apply only to provider: sim"));
    const ms = (v: string | number | undefined, d: number) => (v === undefined ? d : parseDurationMs(v)!);
    const sim = t.provider === "sim" ? SimProfileSchema.parse(t.sim ?? {}) : undefined;
    const target: PlanTarget = {
      name,
      provider: t.provider,
      model: t.model ?? sim?.model ?? "",
      headers: t.headers ?? {},
      params: t.params ?? {},
      stream: t.stream ?? true,
      timeouts: {
        connectMs: ms(t.timeouts?.connect, DEFAULT_TIMEOUTS.connectMs),
        firstTokenMs: ms(t.timeouts?.first_token, DEFAULT_TIMEOUTS.firstTokenMs),
        totalMs: ms(t.timeouts?.total, DEFAULT_TIMEOUTS.totalMs),
      },
      pricing: {
        inputPerMtok: t.pricing?.input_per_mtok,
        outputPerMtok: t.pricing?.output_per_mtok,
        gpuHourUsd: t.pricing?.gpu_hour_usd,
      },
    };
    if (t.base_url) target.baseUrl = t.base_url;
    if (t.api_key) target.apiKey = t.api_key;
    if (t.gpus) target.gpus = t.gpus;
    if (t.grader) target.grader = true;
    if (t.logprobs) {
      // The wire formats that return per-token top-k alternatives (see src/providers/logprobs.ts).
      if (LOGPROBS_PROVIDERS.has(t.provider)) target.logprobs = t.logprobs === true ? 5 : t.logprobs;
      else
        issues.push(
          at(
            [...where, "logprobs"],
            `logprobs are read from ${[...LOGPROBS_PROVIDERS].join(", ")} targets, not ${t.provider}`,
          ),
        );
    }
    if (sim) target.sim = sim;
    out.push(target);
  }
  return out;
}

function promptParts(p: PromptConfig): { version: number; system?: string; user: string } {
  return typeof p === "string" ? { version: 1, user: p } : p;
}

interface CaseDraft {
  id?: string;
  prompt: string;
  vars: TemplateVars;
  assert: AssertionConfig[];
  threshold?: number;
  task: TaskDraft;
  where: FieldPath;
  source: { file: string; line?: number };
  /** For dataset rows: issues point at the dataset line, not the suite. */
  datasetIssue?: (message: string) => ConfigIssue;
}

async function resolveCases(
  loaded: LoadedSuite,
  targets: PlanTarget[],
  at: At,
  issues: ConfigIssue[],
): Promise<PlanCase[]> {
  const { suite, locator } = loaded;
  const drafts: CaseDraft[] = [];
  const suiteDir = path.dirname(path.resolve(loaded.file));
  for (const [i, entry] of suite.cases.entries()) {
    const where: FieldPath = ["cases", i];
    if ("from" in entry) {
      const file = path.resolve(suiteDir, entry.from);
      const shown = path.relative(process.cwd(), file) || file;
      const { rows, issues: dataIssues } = await readDataset(file);
      issues.push(
        ...dataIssues.map((d) =>
          // No line: the file could not be read, so point at the suite's `from` instead.
          d.line === undefined
            ? at([...where, "from"], `${d.message}: ${shown}`)
            : { ...d, file: shown, path: d.path ?? formatPath([...where, "from"]) },
        ),
      );
      const idColumn = entry.id_column ?? "id";
      if (entry.id_column && rows.length > 0 && !(entry.id_column in rows[0]!.values)) {
        issues.push(at([...where, "id_column"], `column "${entry.id_column}" is not in ${entry.from}`));
      }
      for (const [r, row] of rows.entries()) {
        const idValue = row.values[idColumn];
        drafts.push({
          id:
            idValue === undefined || idValue === ""
              ? `${path.basename(entry.from).replace(/\.\w+$/, "")}-${r + 1}`
              : String(idValue),
          prompt: entry.prompt,
          vars: { ...entry.vars, ...row.values },
          assert: entry.assert,
          threshold: entry.threshold,
          task: taskOf(entry),
          where,
          source: { file: shown, line: row.line },
          datasetIssue: (message) => ({ file: shown, line: row.line, path: `row ${r + 1}`, message }),
        });
      }
    } else {
      drafts.push({
        id: entry.id,
        prompt: entry.prompt,
        vars: entry.vars,
        assert: entry.assert,
        threshold: entry.threshold,
        task: taskOf(entry),
        where,
        source: { file: locator.file, ...locator.locate(where) },
      });
    }
  }

  const seen = new Map<string, CaseDraft>();
  const cases: PlanCase[] = [];
  drafts.forEach((d, n) => {
    const id = d.id ?? `case-${n + 1}`;
    const issue = (p: FieldPath, message: string) =>
      d.datasetIssue?.(message) ?? at([...d.where, ...p], message);
    const prior = seen.get(id);
    if (prior) {
      issues.push(
        issue(
          ["id"],
          `duplicate case id "${id}" (first defined at ${prior.source.file}:${prior.source.line ?? "?"})`,
        ),
      );
    } else seen.set(id, d);
    const promptConfig = suite.prompts[d.prompt];
    if (!promptConfig) {
      const known = Object.keys(suite.prompts);
      issues.push(
        at(
          [...d.where, "prompt"],
          `unknown prompt "${d.prompt}"${known.length ? ` (prompts: ${known.join(", ")})` : ""}`,
        ),
      );
      return;
    }
    const prompt = promptParts(promptConfig);
    const templates: Array<[FieldPath, string]> = [[["user"], prompt.user]];
    if (prompt.system) templates.push([["system"], prompt.system]);
    let ok = true;
    for (const [field, tpl] of templates) {
      for (const name of missingVariables(tpl, d.vars)) {
        ok = false;
        issues.push(
          issue(
            ["vars"],
            `prompt "${d.prompt}" ${String(field[0])} uses {{${name}}}, which this case does not define (vars: ${Object.keys(d.vars).join(", ") || "none"})`,
          ),
        );
      }
    }
    const assertions = resolveAssertions(d, { suiteDir, vars: d.vars, targets }, issue, issues);
    const task = resolveTask(d.task, d.vars, suite.quality.repeat, issue, issues);
    if (!ok || !assertions || !task) return;
    const messages: ChatMessage[] = [];
    if (prompt.system) messages.push({ role: "system", content: renderTemplate(prompt.system, d.vars) });
    messages.push({ role: "user", content: renderTemplate(prompt.user, d.vars) });
    const planCase: PlanCase = {
      id,
      prompt: { name: d.prompt, version: prompt.version },
      messages,
      vars: d.vars,
      assertions,
      ...task,
      source: d.source,
    };
    if (d.threshold !== undefined) planCase.threshold = d.threshold;
    cases.push(planCase);
  });
  return cases;
}

function resolveAssertions(
  d: CaseDraft,
  scope: Parameters<typeof resolveAssertion>[1],
  issue: (p: FieldPath, message: string) => ConfigIssue,
  issues: ConfigIssue[],
): PlanAssertion[] | undefined {
  const out: PlanAssertion[] = [];
  let ok = true;
  d.assert.forEach((a, j) => {
    const resolved = resolveAssertion(a, scope, (field, message) =>
      issues.push(issue(["assert", j, ...field], message)),
    );
    if (resolved) out.push(resolved);
    else ok = false;
  });
  return ok ? out : undefined;
}

/** Fills `answers` of sim targets from their `answers_from` dataset, after any inline answers. */
async function loadSimAnswers(loaded: LoadedSuite, targets: PlanTarget[], at: At, issues: ConfigIssue[]) {
  const suiteDir = path.dirname(path.resolve(loaded.file));
  for (const t of targets) {
    const from = t.sim?.answers_from;
    if (!t.sim || !from) continue;
    const file = path.resolve(suiteDir, from.file);
    const shown = path.relative(process.cwd(), file) || file;
    const { rows, issues: dataIssues } = await readDataset(file);
    issues.push(
      ...dataIssues.map((d) =>
        d.line === undefined
          ? at(["targets", t.name, "sim", "answers_from", "file"], `${d.message}: ${shown}`)
          : { ...d, file: shown, path: d.path ?? `targets.${t.name}.sim.answers_from.file` },
      ),
    );
    for (const column of [from.match, from.reply]) {
      if (rows.length > 0 && !(column in rows[0]!.values)) {
        issues.push(
          at(["targets", t.name, "sim", "answers_from"], `column "${column}" is not in ${from.file}`),
        );
        return;
      }
    }
    t.sim.answers = [
      ...t.sim.answers,
      ...rows.map((r) => ({ match: String(r.values[from.match]), reply: String(r.values[from.reply]) })),
    ];
  }
}
