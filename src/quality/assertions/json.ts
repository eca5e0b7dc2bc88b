import { binary, norm, type Check } from "../assertion-types.js";
import type { Redactor } from "../../util/redact.js";
import { followJsonPath, parseJsonPath } from "../../util/json-path.js";
import { jsonSchemaErrors } from "../../util/json-schema.js";

// Models often wrap JSON in one Markdown fence; that still counts as answering in JSON.
const FENCE = /^```[A-Za-z]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** Parses the output as JSON (trimmed, one surrounding ```json fence allowed). */
export function parseOutputJson(out: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = out.trim();
  const body = FENCE.exec(trimmed)?.[1] ?? trimmed;
  if (body === "") return { ok: false, error: "output is empty, not JSON" };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (err) {
    // V8 quotes the start of the text (`Unexpected token 'x', "the outp"... is not valid JSON`), a cut
    // the redactor never saw: only the part before that quote is kept.
    const why = (err as Error).message.split(', "')[0];
    return { ok: false, error: `output is not JSON (${why})` };
  }
}

/** Deep equality of JSON values; object key order does not matter. */
export function jsonEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y))
    return x.length === y.length && x.every((v, i) => jsonEqual(v, y[i]));
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const keys = Object.keys(xo);
  return keys.length === Object.keys(yo).length && keys.every((k) => k in yo && jsonEqual(xo[k], yo[k]));
}

/** A JSON value as written in JSON, at most 80 characters, redacted before it is cut. */
function shown(v: unknown, redact: Redactor): string {
  return redact.cut(JSON.stringify(v) ?? "undefined", 80, { mark: "…" });
}

/** JSON assertions: parses, validates against a schema (ajv), compares the value at a path. */
export const JSON_CHECKS = {
  "is-json": (out) => {
    const parsed = parseOutputJson(out);
    return parsed.ok ? binary(true, "output is valid JSON") : binary(false, parsed.error);
  },
  "json-schema": (out, a) => {
    const parsed = parseOutputJson(out);
    if (!parsed.ok) return binary(false, parsed.error);
    const errors = jsonSchemaErrors(a.value as Record<string, unknown>, parsed.value);
    if (errors.length === 0) return binary(true, "output matches the JSON Schema");
    const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : "";
    return {
      ...binary(false, `does not match the JSON Schema: ${errors[0]}${more}`),
      detail: errors.join("\n"),
    };
  },
  "json-path": (out, a, ctx) => {
    const parsed = parseOutputJson(out);
    if (!parsed.ok) return binary(false, parsed.error);
    // The plan sets `path` on every json-path assertion; an assertion without one matches nothing.
    if (a.path === undefined) return binary(false, "json-path: the assertion has no path");
    const found = followJsonPath(parsed.value, parseJsonPath(a.path));
    if (!found.found) return binary(false, `${a.path} not found in the output`);
    // A string expectation (often a template from a dataset column) matches a scalar as text,
    // normalised as `equals` does: "42" matches 42 and " Ada " matches "Ada".
    const pass =
      typeof a.value === "string" && ["string", "number", "boolean"].includes(typeof found.value)
        ? norm(String(found.value), a) === norm(a.value, a)
        : jsonEqual(found.value, a.value);
    return binary(
      pass,
      pass
        ? `${a.path} equals ${shown(a.value, ctx.redact)}`
        : `${a.path} is ${shown(found.value, ctx.redact)}, expected ${shown(a.value, ctx.redact)}`,
    );
  },
} satisfies Record<string, Check>;
