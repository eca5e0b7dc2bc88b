/**
 * Syntax from promptfoo, found before the schema check, each with what to write instead: a list of
 * prompts, `assert: [{ type: contains, value: x }]`, `file://` references and Nunjucks filters and
 * tags. Gauntlet sends a prompt's text as written, so each of these would otherwise reach the model
 * literally (or fail with a schema message that does not say why).
 */
import type { FieldPath } from "./locate.js";

/** A problem at a field of the suite; the schema's own issues at or below `path` say less and are dropped. */
export interface ForeignIssue {
  path: FieldPath;
  message: string;
}

/** promptfoo's assertion types and how Gauntlet writes each one (`null`: no equivalent). */
const PROMPTFOO_ASSERTIONS: Readonly<Record<string, string | null>> = {
  equals: "equals",
  contains: "contains",
  icontains: "icontains",
  "starts-with": "starts-with",
  regex: "regex",
  "is-json": "is-json",
  "contains-json": null,
  javascript: "javascript",
  python: null,
  similar: "similar",
  "llm-rubric": "llm-judge",
  "model-graded-closedqa": "llm-judge",
  levenshtein: "levenshtein",
  "rouge-n": "rouge-l",
  bleu: "bleu",
  latency: "latency",
  cost: "cost",
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** How promptfoo's `{ type, value }` is written here, or why it cannot be. */
function assertionAdvice(type: unknown, value: unknown): string {
  const head = `promptfoo's { type: ${String(type)}, value } is not Gauntlet's form`;
  if (typeof type !== "string") return `${head}: write { <assertion>: <value> }, e.g. { contains: refund }`;
  const negated = type.startsWith("not-");
  const base = negated ? type.slice(4) : type;
  const mapped = Object.hasOwn(PROMPTFOO_ASSERTIONS, base) ? PROMPTFOO_ASSERTIONS[base] : undefined;
  if (mapped === undefined || mapped === null)
    return `${head}: Gauntlet has no ${base} assertion (see the assertions table in the README)`;
  const shown = mapped === "is-json" ? "true" : JSON.stringify(value ?? "...");
  return `${head}: write { ${mapped}: ${shown}${negated ? ", not: true" : ""} }`;
}

const NUNJUCKS_FILTER = /\{\{\s*[A-Za-z_][\w.]*\s*\|\s*([A-Za-z_]\w*)[^}]*\}\}/;
const NUNJUCKS_TAG = /\{%-?\s*(\w+)/;

/** A Nunjucks filter or tag in a template, which Gauntlet would send as written. */
function nunjucksProblem(text: string): string | undefined {
  const filter = NUNJUCKS_FILTER.exec(text);
  if (filter)
    return `${filter[0]} is a Nunjucks filter (${filter[1]}), which Gauntlet's templates do not run: they only put a var in place of {{name}}, so give the case a var holding the value already filtered`;
  const tag = NUNJUCKS_TAG.exec(text);
  if (tag)
    return `{% ${tag[1]} %} is a Nunjucks tag, which Gauntlet's templates do not run (they only put a var in place of {{name}}): write one prompt per branch, or a var holding the text`;
  return undefined;
}

function fileReferenceProblem(path: FieldPath, text: string): string | undefined {
  if (!text.startsWith("file://")) return undefined;
  const field = path[path.length - 1];
  if (field === "from" || field === "javascript")
    return `write the path without file:// (relative to the suite): ${String(field)}: ${text.slice(7)}`;
  return `${text} is a promptfoo file reference, which Gauntlet would send to the model as written: put the text here, or load cases from a dataset (cases: [{ from: cases.csv, prompt: NAME }], its columns become vars)`;
}

/** Every string inside a value with its path, skipping nothing. */
function* strings(value: unknown, path: FieldPath): Generator<[FieldPath, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/** Finds promptfoo syntax in a suite as parsed from YAML (before the schema check). */
export function foreignSyntaxIssues(suite: unknown): ForeignIssue[] {
  if (!isRecord(suite)) return [];
  const issues: ForeignIssue[] = [];
  const { prompts, cases } = suite;
  if (Array.isArray(prompts))
    issues.push({
      path: ["prompts"],
      message:
        "a list of prompts is promptfoo's form: Gauntlet's prompts are a map of name to template, e.g. prompts: { ask: \"{{question}}\" }, and each case names its prompt",
    });
  else
    for (const [path, text] of strings(prompts, ["prompts"])) {
      const problem = fileReferenceProblem(path, text) ?? nunjucksProblem(text);
      if (problem) issues.push({ path, message: problem });
    }
  if (!Array.isArray(cases)) return issues;
  cases.forEach((entry, i) => {
    if (!isRecord(entry)) return;
    const asserts = Array.isArray(entry.assert) ? entry.assert : [];
    const flagged = new Set<number>();
    asserts.forEach((a, j) => {
      if (isRecord(a) && "type" in a) {
        flagged.add(j);
        issues.push({ path: ["cases", i, "assert", j], message: assertionAdvice(a.type, a.value) });
      }
    });
    for (const [path, text] of strings(entry, ["cases", i])) {
      if (path[2] === "assert" && flagged.has(path[3] as number)) continue;
      const inAssertion = path[2] === "assert" && path[4] !== "javascript";
      const problem = fileReferenceProblem(path, text) ?? (inAssertion ? nunjucksProblem(text) : undefined);
      if (problem) issues.push({ path, message: problem });
    }
  });
  return issues;
}

/** Whether a formatted field path is `prefix` or lies below it. */
export function isAtOrBelow(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
}
