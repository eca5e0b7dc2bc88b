import { pathToFileURL } from "node:url";
import { GRADED_DEFAULT_THRESHOLD } from "../../config/assertion-schema.js";
import { formatDurationMs } from "../../util/duration.js";
import { binary, graded, type Check, type CheckVerdict } from "../assertion-types.js";
import { callJavascript } from "./javascript-pool.js";

/** How long a user function may run for one case unless its assertion sets `timeout`. */
export const JAVASCRIPT_TIMEOUT_MS = 5_000;

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

/**
 * `javascript`: calls the exported function with (output, { vars, case, target, ... }) in a worker
 * thread (see javascript-pool.ts), within the assertion's `timeout` (default 5 s): a function that
 * runs past it, throws or returns nothing usable fails the assertion, never the run.
 */
export const JAVASCRIPT_CHECKS = {
  javascript: async (out, a, ctx) => {
    const name = `${String(a.value)}`;
    // The plan sets `file` on every javascript assertion; one without it has nothing to call.
    if (a.file === undefined) return binary(false, `${name}: the assertion has no module`);
    const exportName = a.exportName ?? "default";
    const context = {
      vars: ctx.vars,
      case: { id: ctx.caseId, prompt: ctx.prompt, messages: ctx.messages },
      target: ctx.target,
      ttftMs: ctx.ttftMs,
      e2eMs: ctx.e2eMs,
      outputTokens: ctx.outputTokens,
    };
    const timeoutMs = a.timeoutMs ?? JAVASCRIPT_TIMEOUT_MS;
    const outcome = await callJavascript(
      { href: pathToFileURL(a.file).href, exportName, output: out, context },
      timeoutMs,
      ctx.signal,
    );
    switch (outcome.kind) {
      case "result":
        return verdictFrom(outcome.value, a.threshold, name);
      case "missing":
        return binary(false, `${a.file} has no exported function "${exportName}"`);
      case "error":
        return binary(false, `error: ${outcome.message}`);
      case "timeout":
        return binary(
          false,
          `${name} ran longer than its time limit of ${formatDurationMs(timeoutMs)} and was stopped (set timeout: on the assertion to allow more)`,
        );
      case "aborted":
        return binary(false, `${name} was stopped: the run was interrupted`);
    }
  },
} satisfies Record<string, Check>;
