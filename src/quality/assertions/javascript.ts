import { pathToFileURL } from "node:url";
import { GRADED_DEFAULT_THRESHOLD } from "../../config/assertion-schema.js";
import { binary, graded, type Check, type CheckVerdict } from "../assertion-types.js";

/** How long a user function may take (async work only: a synchronous endless loop cannot be cut). */
export const JAVASCRIPT_TIMEOUT_MS = 10_000;

const modules = new Map<string, Promise<Record<string, unknown>>>();

function load(file: string): Promise<Record<string, unknown>> {
  let m = modules.get(file);
  if (!m) {
    m = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
    modules.set(file, m);
  }
  return m;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Turns what the user's function returned into a verdict: boolean, number 0..1 or {pass, score, reason}. */
export function verdictFrom(result: unknown, threshold: number | undefined, name: string): CheckVerdict {
  const limit = threshold ?? GRADED_DEFAULT_THRESHOLD.javascript!;
  if (typeof result === "boolean") return binary(result, `${name} returned ${result}`);
  if (typeof result === "number" && Number.isFinite(result)) return graded(result, limit, `${name} scored`);
  if (result && typeof result === "object") {
    const o = result as Record<string, unknown>;
    const score =
      typeof o.score === "number" && Number.isFinite(o.score) ? Math.min(1, Math.max(0, o.score)) : undefined;
    const pass = typeof o.pass === "boolean" ? o.pass : score !== undefined ? score >= limit : undefined;
    if (pass !== undefined) {
      const reason = typeof o.reason === "string" && o.reason ? o.reason : `${name} returned pass: ${pass}`;
      return { score: score ?? (pass ? 1 : 0), pass, reason };
    }
  }
  return binary(
    false,
    `${name} returned ${JSON.stringify(result) ?? String(result)}; expected a boolean, a number or { pass, score, reason }`,
  );
}

/** `javascript`: calls the exported function with (output, { vars, case, target, ... }). */
export const JAVASCRIPT_CHECKS = {
  javascript: async (out, a, ctx) => {
    const name = `${String(a.value)}`;
    // The plan sets `file` on every javascript assertion; one without it has nothing to call.
    if (a.file === undefined) return binary(false, `${name}: the assertion has no module`);
    const mod = await load(a.file);
    const fn = mod[a.exportName ?? "default"];
    if (typeof fn !== "function")
      return binary(false, `${a.file} has no exported function "${a.exportName}"`);
    const context = {
      vars: ctx.vars,
      case: { id: ctx.caseId, prompt: ctx.prompt, messages: ctx.messages },
      target: ctx.target,
      ttftMs: ctx.ttftMs,
      e2eMs: ctx.e2eMs,
      outputTokens: ctx.outputTokens,
    };
    const result = await withTimeout(
      Promise.resolve((fn as (o: string, c: typeof context) => unknown)(out, context)),
      JAVASCRIPT_TIMEOUT_MS,
      name,
    );
    return verdictFrom(result, a.threshold, name);
  },
} satisfies Record<string, Check>;
