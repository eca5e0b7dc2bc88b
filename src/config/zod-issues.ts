import type { z } from "zod";
import type { ConfigIssue } from "../errors.js";
import { unknownFieldMessage } from "./did-you-mean.js";
import { formatPath, type FieldPath, type Locator } from "./locate.js";

type ZodIssue = z.core.$ZodIssue;

/** Short description of a found value, for "expected X, found Y". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  return `${typeof value} ${String(value)}`;
}

function messageOf(issue: ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type": {
      // zod names a whole number "int"; say it in words.
      const expected = issue.expected === "int" ? "a whole number" : issue.expected;
      return input === undefined
        ? `required field is missing (expected ${expected})`
        : `expected ${expected}, found ${describeValue(input)}`;
    }
    case "invalid_value":
      if (input === undefined)
        return `required field is missing (expected ${issue.values.map((v) => JSON.stringify(v)).join(" | ")})`;
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, found ${describeValue(input)}`;
    case "unrecognized_keys":
      return `unknown field "${issue.keys.join('", "')}"`;
    default: {
      const found = input === undefined || typeof input === "object" ? "" : `, found ${describeValue(input)}`;
      return issue.message + found;
    }
  }
}

/** The field names known at a place in the suite (for did-you-mean); none when not given. */
export type FieldsAt = (path: FieldPath) => readonly string[];

/**
 * Turns zod issues into located config issues. For a union that failed in every branch, reports
 * the branch that came closest (fewest issues), so the user sees what their entry was meant to be.
 * An unknown field says what was meant, from the names `fieldsAt` knows there.
 */
export function zodIssuesToConfigIssues(
  issues: readonly ZodIssue[],
  locator: Locator,
  base: FieldPath = [],
  fieldsAt: FieldsAt = () => [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path: FieldPath = [...base, ...(issue.path as Array<string | number>)];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // On a tie, prefer a branch whose type matched (a map missing `user` is not "expected string").
      const typeMismatch = (errs: readonly ZodIssue[]) =>
        errs.some((e) => e.code === "invalid_type" && e.path.length === 0) ? 1 : 0;
      const best = [...issue.errors].sort(
        (a, b) => a.length - b.length || typeMismatch(a) - typeMismatch(b),
      )[0]!;
      if (best.length > 0) {
        out.push(...zodIssuesToConfigIssues(best, locator, path, fieldsAt));
        continue;
      }
    }
    if (issue.code === "unrecognized_keys") {
      const known = fieldsAt(path);
      for (const key of issue.keys) {
        out.push({
          file: locator.file,
          ...locator.locate(path, { key }),
          path: formatPath([...path, key]),
          message: unknownFieldMessage(key, known),
        });
      }
      continue;
    }
    out.push({
      file: locator.file,
      ...locator.locate(path),
      path: formatPath(path) || undefined,
      message: messageOf(issue),
    });
  }
  return out;
}
