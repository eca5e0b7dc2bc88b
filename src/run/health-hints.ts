import type { PlanTarget } from "../config/plan.js";
import type { FailureKind } from "../record/failure.js";
import type { HealthError } from "../record/health.js";
import type { ServerInfo } from "../providers/server-info.js";

/** What a hint may read about the target whose requests failed. */
export interface HintContext {
  target: PlanTarget;
  /** Where its requests went, without credentials. */
  displayUrl: string;
  /** The server's description, asked at most once per target and only when a hint needs it. */
  serverInfo(): Promise<ServerInfo | undefined>;
}

type Failure = Omit<HealthError, "hint">;
type Hint = (failure: Failure, ctx: HintContext) => string | undefined | Promise<string | undefined>;

/** A duration as a suite writes it: 500ms, 30s. */
const asSuiteDuration = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Wire formats whose servers put their API under /v1 (base_url ends in /v1). */
const V1_FORMATS: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "anthropic"]);

function hasV1(url: string): boolean {
  try {
    return new URL(url).pathname.split("/").includes("v1");
  } catch {
    return true;
  }
}

/** A URL's path without its trailing slash: "/v1", or "" at the root. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

function timeoutHint(f: Failure, ctx: HintContext): string {
  const { name, timeouts } = ctx.target;
  const raise = (field: string, ms: number) =>
    `timeouts.${field} (${asSuiteDuration(ms)}): raise it on target ${name}, e.g. timeouts: { ${field}: ${asSuiteDuration(ms * 4)} }`;
  if (/total timeout/i.test(f.message))
    return `the answer did not end within ${raise("total", timeouts.totalMs)}, or ask for fewer tokens`;
  if (/body timeout/i.test(f.message))
    return `the server went quiet mid-answer for longer than ${raise("first_token", timeouts.firstTokenMs)} (it also bounds the gap between chunks)`;
  if (/^aborted$|interrupt/i.test(f.message)) return "cut short by the run's interrupt";
  return `no first token within ${raise("first_token", timeouts.firstTokenMs)}`;
}

async function notFoundHint(f: Failure, ctx: HintContext): Promise<string | undefined> {
  const { target, displayUrl } = ctx;
  if (V1_FORMATS.has(target.provider) && !hasV1(displayUrl))
    return `the path has no /v1: OpenAI-compatible servers serve /v1/...; add /v1 to base_url (${displayUrl}/v1)`;
  const info = await ctx.serverInfo();
  const route = info ? `GET ${pathOf(displayUrl)}${info.route}` : "";
  const listed = info?.models;
  if (listed && !listed.includes(target.model) && !listed.includes(`${target.model}:latest`)) {
    const shown = listed.slice(0, 10).join(", ") + (listed.length > 10 ? `, … (${listed.length})` : "");
    return listed.length > 0
      ? `the server does not list model "${target.model}": ${route} lists ${shown}`
      : `the server lists no model at ${route}`;
  }
  if (listed) return `the server lists model "${target.model}" yet answered 404: check base_url's path`;
  return `check model ("${target.model}") and base_url (${displayUrl})${info?.error ? `; ${route} gave ${info.error}` : ""}`;
}

function clientErrorHint(f: Failure, ctx: HintContext): string | Promise<string | undefined> | undefined {
  const { target } = ctx;
  if (f.status === 401 || f.status === 403) {
    return target.apiKey
      ? `the server refused the key: check api_key of target ${target.name}`
      : `target ${target.name} sends no key: set its api_key (e.g. api_key: \${MY_API_KEY})`;
  }
  if (f.status === 404) return notFoundHint(f, ctx);
  if (f.status === 400 || f.status === 422)
    return `the server rejected the request: check target ${target.name}'s params and model`;
  if (f.status === 413) return "the request is too large for the server: shorten the prompts or max_tokens";
  return undefined;
}

/** One hint per failure kind; the Record makes the compiler ask for a hint for every new kind. */
const HINTS: Record<FailureKind, Hint> = {
  http_4xx: clientErrorHint,
  http_429: () => "the server is rate-limiting: lower the phase's rate or concurrency",
  http_5xx: () => "the server failed: its own log says why",
  timeout: timeoutHint,
  connect: (f, ctx) =>
    /timeout/i.test(f.message)
      ? `no connection within timeouts.connect (${asSuiteDuration(ctx.target.timeouts.connectMs)}): check base_url, or raise it`
      : `cannot connect to ${ctx.displayUrl}: is the server up, and is base_url right?`,
  stream_dropped: () =>
    "the server closed connections mid-answer: check its log (a crash, a proxy's timeout)",
  malformed: (_f, ctx) =>
    `the answers are not ${ctx.target.provider}'s wire format: check provider and base_url`,
  redirect: () =>
    "the server answered with a redirect, which is never followed: set base_url to the address it names",
  not_a_stream: (_f, ctx) =>
    `a stream was asked for and the body is not one (a login page, a proxy's answer): check base_url, or set stream: false on target ${ctx.target.name}`,
  client_error: () =>
    "this machine could not send the requests (open files or sockets ran out): raise ulimit -n or lower the concurrency",
  cut_off_at_phase_end: () =>
    "still in flight at the phase's time_limit: raise time_limit, or lower the phase's load",
  interrupted: () => "cut short by the run's interrupt (Ctrl-C, SIGTERM or an abort_on_fail threshold)",
};

/** What the user can do about a failure, or undefined when there is nothing to add to the server's words. */
export function hintFor(failure: Failure, ctx: HintContext): Promise<string | undefined> {
  return Promise.resolve(HINTS[failure.kind](failure, ctx));
}
