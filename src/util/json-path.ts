/**
 * A deliberately small JSONPath subset, enough to point at one value: `$` followed by `.key`,
 * `['key']` / `["key"]` and `[index]` steps (e.g. `$.items[0].name`, `$['odd key'][2]`). No
 * wildcards, filters, slices or recursive descent: an assertion compares one value, and a path
 * that could select several would make "equals" ambiguous.
 */
export type JsonPathStep = string | number;

export class JsonPathError extends Error {}

const STEP =
  /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** Parses a path such as `$.a.b[0]`; throws JsonPathError naming where it stopped making sense. */
export function parseJsonPath(path: string): JsonPathStep[] {
  const text = path.trim();
  if (!text.startsWith("$")) throw new JsonPathError(`a JSON path starts with $, got "${path}"`);
  const steps: JsonPathStep[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) {
      throw new JsonPathError(`cannot read "${rest}" in "${path}" (supported: $, .key, ['key'], [index])`);
    }
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4]!).replace(/\\(.)/g, "$1"));
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Follows the steps into a parsed JSON value; `found: false` when a step does not exist. */
export function followJsonPath(value: unknown, steps: JsonPathStep[]): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const step of steps) {
    if (typeof step === "number") {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return { found: false };
      if (!Object.prototype.hasOwnProperty.call(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}
