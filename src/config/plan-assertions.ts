import { existsSync } from "node:fs";
import path from "node:path";
import { JsonPathError, parseJsonPath } from "../util/json-path.js";
import { jsonSchemaProblem } from "../util/json-schema.js";
import { parseDurationMs } from "../util/duration.js";
import { ASSERTION_TYPES, type AssertionType } from "./assertion-schema.js";
import type { FieldPath } from "./locate.js";
import type { AssertionConfig } from "./schema.js";
import { missingVariables, renderTemplate, type TemplateVars } from "./template.js";

/** A JSON value, as a JSON Schema or a json-path expectation holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One assertion with its templates rendered for the case and its options resolved. */
export interface PlanAssertion {
  type: AssertionType;
  /**
   * The expectation: text (equals, contains, regex, llm-judge rubric, javascript as written), options
   * or references (one-of, levenshtein, rouge-l, bleu, chrf, similar), a number (number, cost), a JSON
   * Schema (json-schema), the expected value (json-path), true (is-json), null (latency).
   */
  value: JsonValue;
  trim: boolean;
  caseInsensitive: boolean;
  not: boolean;
  weight: number;
  /** Graded assertions: the score needed to pass (the type's default when absent). */
  threshold?: number;
  /** levenshtein: edits allowed (then the pass is by distance, not similarity). */
  maxDistance?: number;
  /** number: absolute and relative tolerance. */
  tolerance?: number;
  relativeTolerance?: number;
  /** json-path: the path as written. */
  path?: string;
  /** similar, llm-judge: the grading target's name. */
  target?: string;
  /** javascript: absolute path of the module and the export to call. */
  file?: string;
  exportName?: string;
  /** javascript: how long the function may run for one case (default: the check's own). */
  timeoutMs?: number;
  /** latency: limits in ms. */
  ttftMs?: number;
  e2eMs?: number;
}

/** What resolving an assertion may look at: the suite's folder, its targets, the case's vars. */
export interface AssertionScope {
  suiteDir: string;
  vars: TemplateVars;
  targets: ReadonlyArray<{
    name: string;
    provider: string;
    grader?: boolean;
    pricing: { inputPerMtok?: number; outputPerMtok?: number };
  }>;
}

/** Providers that speak OpenAI's /embeddings, which `similar` calls. */
const EMBEDDING_PROVIDERS = new Set(["openai-chat", "openai-completions", "sim"]);
const fileExists = new Map<string, boolean>();

/**
 * Renders and checks one assertion for one case. Every problem goes to `report` with the field it
 * concerns (relative to the assertion); returns undefined when there was one.
 */
export function resolveAssertion(
  a: AssertionConfig,
  scope: AssertionScope,
  report: (field: FieldPath, message: string) => void,
): PlanAssertion | undefined {
  const type = ASSERTION_TYPES.find((k) => a[k] !== undefined);
  // The schema admits exactly one type per assertion; this keeps resolution total should it not.
  if (type === undefined) {
    report([], `expected one of ${ASSERTION_TYPES.join(", ")}`);
    return undefined;
  }
  let ok = true;
  const fail = (field: FieldPath, message: string) => {
    ok = false;
    report(field, message);
  };
  const render = (template: string, field: FieldPath): string => {
    const missing = missingVariables(template, scope.vars);
    if (missing.length === 0) return renderTemplate(template, scope.vars);
    fail(field, `uses {{${missing[0]}}}, which this case does not define`);
    return template;
  };
  const out: PlanAssertion = {
    type,
    value: null,
    trim: a.trim ?? true,
    caseInsensitive: a.case === "insensitive",
    not: a.not ?? false,
    weight: a.weight ?? 1,
  };
  if (a.threshold !== undefined) out.threshold = a.threshold;
  if (a.max_distance !== undefined) out.maxDistance = a.max_distance;
  if (a.tolerance !== undefined) out.tolerance = a.tolerance;
  if (a.relative_tolerance !== undefined) out.relativeTolerance = a.relative_tolerance;

  const raw = a[type];
  if (typeof raw === "string" && type !== "javascript") out.value = render(raw, [type]);
  else if (Array.isArray(raw)) out.value = raw.map((t, i) => render(String(t), [type, i]));
  else out.value = (raw ?? null) as JsonValue;

  switch (type) {
    case "regex":
      try {
        new RegExp(out.value as string, out.caseInsensitive ? "i" : "");
      } catch (err) {
        fail([type], `invalid regular expression: ${(err as Error).message}`);
      }
      break;
    case "json-schema": {
      const problem = jsonSchemaProblem(raw as Record<string, unknown>);
      if (problem) fail([type], `invalid JSON Schema: ${problem}`);
      break;
    }
    case "json-path": {
      const jp = a["json-path"];
      if (jp === undefined) break;
      out.path = jp.path;
      try {
        parseJsonPath(jp.path);
      } catch (err) {
        if (!(err instanceof JsonPathError)) throw err;
        fail([type, "path"], err.message);
      }
      out.value = (
        typeof jp.equals === "string" ? render(jp.equals, [type, "equals"]) : (jp.equals ?? null)
      ) as JsonValue;
      break;
    }
    case "number": {
      const n = typeof out.value === "number" ? out.value : Number(String(out.value).trim());
      if (!Number.isFinite(n) || String(out.value).trim() === "")
        fail([type], `expected a number, got "${String(out.value)}"`);
      out.value = n;
      break;
    }
    case "similar":
    case "llm-judge": {
      const t = scope.targets.find((x) => x.name === a.target);
      if (!t)
        fail(
          ["target"],
          `unknown target "${a.target}" (targets: ${scope.targets.map((x) => x.name).join(", ")})`,
        );
      else {
        if (type === "similar" && !EMBEDDING_PROVIDERS.has(t.provider))
          fail(
            ["target"],
            `target "${t.name}" (${t.provider}) has no OpenAI-compatible /embeddings endpoint`,
          );
        out.target = t.name;
      }
      break;
    }
    case "javascript": {
      const spec = raw as string;
      const hash = spec.lastIndexOf("#");
      const rel = hash > 0 ? spec.slice(0, hash) : spec;
      out.exportName = hash > 0 ? spec.slice(hash + 1) : "default";
      out.file = path.resolve(scope.suiteDir, rel);
      out.value = spec;
      if (a.timeout !== undefined) {
        const ms = parseDurationMs(a.timeout);
        if (!ms) fail(["timeout"], "expected a time limit above 0s, such as 10s");
        else out.timeoutMs = ms;
      }
      if (!/\.(m?js|cjs)$/.test(rel)) fail([type], `expected a .js, .mjs or .cjs file, got "${rel}"`);
      else {
        if (!fileExists.has(out.file)) fileExists.set(out.file, existsSync(out.file));
        if (!fileExists.get(out.file)) fail([type], `file not found: ${rel} (relative to the suite)`);
      }
      break;
    }
    case "latency": {
      const l = a.latency;
      const ms = (v: string | number | undefined, field: FieldPath) => {
        const parsed = v === undefined ? undefined : parseDurationMs(v);
        if (v !== undefined && parsed === undefined) fail(field, "expected a duration such as 500ms or 2s");
        return parsed;
      };
      const [ttftMs, e2eMs] =
        typeof l === "object"
          ? [ms(l.ttft, [type, "ttft"]), ms(l.e2e, [type, "e2e"])]
          : [undefined, ms(l, [type])];
      if (ttftMs !== undefined) out.ttftMs = ttftMs;
      if (e2eMs !== undefined) out.e2eMs = e2eMs;
      out.value = null;
      break;
    }
    case "cost":
      for (const t of scope.targets) {
        if (!t.grader && t.pricing.inputPerMtok === undefined && t.pricing.outputPerMtok === undefined)
          fail([type], `cost needs pricing.input_per_mtok or output_per_mtok on target "${t.name}"`);
      }
      break;
    default:
      break;
  }
  return ok ? out : undefined;
}
