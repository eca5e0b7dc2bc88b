/**
 * Target resolution: `extends` chains merged, defaults applied, provider-specific checks, and the
 * simulator's `answers_from` datasets read. Every problem is pushed as a located issue.
 */
import path from "node:path";
import type { ConfigIssue } from "../errors.js";
import type { HttpProviderKind } from "../providers/kinds.js";
import type { Timeouts } from "../providers/types.js";
import { SimProfileSchema, type SimProfile } from "../sim/profile.js";
import { parseDurationMs } from "../util/duration.js";
import { basicAuthorization, urlCredentials } from "../util/endpoint-url.js";
import type { IssueAt } from "./issue-at.js";
import type { LoadedSuite } from "./load-suite.js";
import type { Suite, TargetConfig } from "./schema.js";
import { readDatasetAnswers } from "./sim-answers.js";

export type { ProviderKind } from "../providers/kinds.js";

/** What every target has, with `extends` resolved and defaults applied. */
interface PlanTargetFields {
  name: string;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  params: Record<string, unknown>;
  stream: boolean;
  timeouts: Timeouts;
  pricing: { inputPerMtok?: number; outputPerMtok?: number; gpuHourUsd?: number };
  gpus?: number;
  /** Only grades answers (llm-judge, similar): not run with the suite's cases or load. */
  grader?: boolean;
  /** Top-k logprobs asked of quality calls (`logprobs:`), for the comparison's same-top-1 and KL. */
  logprobs?: number;
  /** The server's Prometheus endpoint, scraped during load phases (see metricsOf); absent: none. */
  metrics?: MetricsEndpoint;
}

/**
 * A target's metrics endpoint: its `url`, or when the suite names none, `/metrics` on the origin
 * the target is served from (known once connected: a simulator's port is chosen then), used only
 * when it answers (`required` false).
 */
export interface MetricsEndpoint {
  url?: string;
  intervalMs: number;
  required: boolean;
}

/** The kinds whose servers are self-hosted engines with a Prometheus endpoint at /metrics. */
const SELF_HOSTED: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "tgi", "sim"]);

const DEFAULT_SCRAPE_MS = 1_000;
const MIN_SCRAPE_MS = 100;

function metricsOf(t: TargetConfig, provider: string): MetricsEndpoint | undefined {
  if (t.metrics === false) return undefined;
  // A scrape at most every 100 ms: faster would load the server it watches.
  const intervalMs = Math.max(
    MIN_SCRAPE_MS,
    t.metrics?.interval === undefined
      ? DEFAULT_SCRAPE_MS
      : (parseDurationMs(t.metrics.interval) ?? DEFAULT_SCRAPE_MS),
  );
  if (t.metrics?.url) return { url: t.metrics.url, intervalMs, required: true };
  if (t.metrics || SELF_HOSTED.has(provider)) return { intervalMs, required: t.metrics !== undefined };
  return undefined;
}

/** A `provider: sim` target: the run starts a simulator with this profile for it. */
export interface SimulatedTarget extends PlanTargetFields {
  provider: "sim";
  sim: SimProfile;
}

/** A target served at `baseUrl` by a server speaking its provider's wire format. */
export interface HttpTarget extends PlanTargetFields {
  provider: HttpProviderKind;
  baseUrl: string;
}

/** A resolved target; `provider` tells the two kinds apart (see connectTarget). */
export type PlanTarget = SimulatedTarget | HttpTarget;

/** Providers whose wire format returns per-token top-k logprobs (the comparison's same-top-1 and KL). */
const LOGPROBS_PROVIDERS: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "tgi", "sim"]);

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, firstTokenMs: 60_000, totalMs: 300_000 };

function mergeTarget(base: TargetConfig, over: TargetConfig): TargetConfig {
  const merged: TargetConfig = { ...base, ...over };
  for (const k of ["headers", "params", "timeouts", "pricing", "sim"] as const) {
    if (base[k] || over[k]) (merged as Record<string, unknown>)[k] = { ...base[k], ...over[k] };
  }
  delete merged.extends;
  return merged;
}

/**
 * What a base_url carries besides where to send: `user:password` becomes a Basic Authorization
 * header (the URL never carries it to a request or an output); the password, the header and query
 * values that look like credentials become secrets. The query string stays on every request.
 */
function urlAccess(
  baseUrl: string,
  t: TargetConfig,
  report: (message: string) => void,
): { url: string; headers: Record<string, string>; secrets: string[] } {
  const { url, basic, secrets } = urlCredentials(baseUrl);
  if (!basic) return { url, headers: {}, secrets };
  const hasAuthorization = Object.keys(t.headers ?? {}).some((h) => h.toLowerCase() === "authorization");
  if (t.api_key !== undefined || hasAuthorization) {
    report("base_url has a user:password and the target sets api_key or an authorization header: use one");
    return { url, headers: {}, secrets };
  }
  const authorization = basicAuthorization(basic);
  return { url, headers: { authorization }, secrets: [...secrets, basic.password, authorization] };
}

/** Header names whose values are credentials (`authorization`, `x-api-key`, `api-key`, a cookie, a token). */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|session|password/i;

/**
 * Shorter literal values are placeholders (`EMPTY` for vLLM, `ollama`), not keys: redacting them
 * would blank the word from every report (a provider named `ollama`).
 */
const MIN_LITERAL_KEY = 8;

/**
 * The values of a target that are credentials whatever their source: its api_key, and the values of
 * headers named like credentials, each also without its scheme (`Bearer `, `Basic `), which a server
 * may echo alone. Values shorter than MIN_LITERAL_KEY are left out.
 */
export function credentialValues(
  apiKey: string | undefined,
  headers: Record<string, string> | undefined,
): string[] {
  const out = apiKey ? [apiKey] : [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!CREDENTIAL_HEADER.test(name)) continue;
    out.push(value);
    const scheme = /^(?:Bearer|Basic|Token|Bot|Key|ApiKey|Api-Key)\s+(\S.*)$/i.exec(value);
    if (scheme?.[1]) out.push(scheme[1]);
  }
  return out.filter((v) => v.length >= MIN_LITERAL_KEY);
}

/**
 * Resolves every target; one that cannot be resolved is left out, its issues pushed. Credentials
 * found in base_urls, the api_key and credential headers go to `secrets`.
 */
export function resolveTargets(
  suite: Suite,
  at: IssueAt,
  issues: ConfigIssue[],
  secrets: string[] = [],
): PlanTarget[] {
  const resolved = new Map<string, TargetConfig | undefined>();
  const resolve = (name: string, chain: string[]): TargetConfig | undefined => {
    if (resolved.has(name)) return resolved.get(name);
    const own = Object.hasOwn(suite.targets, name) ? suite.targets[name] : undefined;
    if (!own?.extends) return own;
    if (chain.includes(own.extends)) {
      issues.push(
        at(["targets", name, "extends"], `extends forms a cycle: ${[...chain, own.extends].join(" -> ")}`),
      );
      resolved.set(name, undefined);
      return undefined;
    }
    if (!Object.hasOwn(suite.targets, own.extends)) {
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
    const ms = (v: string | number | undefined, d: number) =>
      v === undefined ? d : (parseDurationMs(v) ?? d);
    const fields: Omit<PlanTargetFields, "model"> = {
      name,
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
    let target: PlanTarget;
    if (t.provider === "sim") {
      const sim = SimProfileSchema.parse(t.sim ?? {});
      target = { ...fields, provider: "sim", model: t.model ?? sim.model, sim };
    } else {
      // A missing base_url or model is an issue above: a target built with "" never reaches a plan.
      target = { ...fields, provider: t.provider, model: t.model ?? "", baseUrl: t.base_url ?? "" };
      if (t.base_url) {
        const access = urlAccess(t.base_url, t, (message) =>
          issues.push(at([...where, "base_url"], message)),
        );
        target.baseUrl = access.url;
        target.headers = { ...target.headers, ...access.headers };
        secrets.push(...access.secrets);
      }
    }
    if (t.api_key) target.apiKey = t.api_key;
    // A key written into the suite itself (not from ${VAR}) is as secret as one from the environment:
    // a server that echoes it in an error must not put it in any output.
    secrets.push(...credentialValues(t.api_key, t.headers));
    if (t.gpus) target.gpus = t.gpus;
    if (t.grader) target.grader = true;
    const metrics = metricsOf(t, t.provider);
    if (metrics) target.metrics = metrics;
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
    out.push(target);
  }
  return out;
}

/** Fills `answers` of sim targets from their `answers_from` dataset, after any inline answers. */
export async function loadSimAnswers(
  loaded: LoadedSuite,
  targets: PlanTarget[],
  at: IssueAt,
  issues: ConfigIssue[],
) {
  const suiteDir = path.dirname(path.resolve(loaded.file));
  for (const t of targets) {
    if (t.provider !== "sim") continue;
    const from = t.sim.answers_from;
    if (!from) continue;
    const file = path.resolve(suiteDir, from.file);
    const shown = path.relative(process.cwd(), file) || file;
    const { answers, issues: dataIssues, missingColumn } = await readDatasetAnswers(file, from);
    issues.push(
      ...dataIssues.map((d) =>
        d.line === undefined
          ? at(["targets", t.name, "sim", "answers_from", "file"], `${d.message}: ${shown}`)
          : { ...d, file: shown, path: d.path ?? `targets.${t.name}.sim.answers_from.file` },
      ),
    );
    if (missingColumn !== undefined) {
      issues.push(
        at(["targets", t.name, "sim", "answers_from"], `column "${missingColumn}" is not in ${from.file}`),
      );
      return;
    }
    t.sim.answers = [...t.sim.answers, ...answers];
  }
}
