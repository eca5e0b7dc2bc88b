import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { readInputText } from "./input-file.js";
import { coerceEnvValues } from "./env-coerce.js";
import { maskReferences, unmaskReferences } from "./env-reference.js";
import { interpolateEnv } from "./interpolate-env.js";
import { LIMITS } from "./limits.js";
import { createLocator, formatPath, type Locator } from "./locate.js";
import { SuiteSchema, type Suite } from "./schema.js";
import { foreignSyntaxIssues, isAtOrBelow } from "./foreign-syntax.js";
import { fieldsAt } from "./known-fields.js";
import { firstAlias, NESTING_MESSAGE, overNested, protoKeys } from "./yaml-guard.js";
import { zodIssuesToConfigIssues } from "./zod-issues.js";
import { createRedactor } from "../util/redact.js";

export interface LoadedSuite {
  file: string;
  suite: Suite;
  locator: Locator;
  /** Values interpolated from the environment that must never be printed. */
  secrets: string[];
}

/** How many alias expansions a suite may make: anchors are for reuse, not for multiplying data. */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads, interpolates and schema-checks a suite. Throws one ConfigError carrying every issue found
 * (an unreadable or oversized file, text that is not UTF-8, YAML syntax, nesting past the limit, alias
 * bombs, `__proto__` keys, environment references, schema violations), each with file, line and field.
 */
export async function loadSuite(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedSuite> {
  const text = await readInputText(file, { what: "suite", maxBytes: LIMITS.suiteBytes.max });
  return parseSuiteText(file, text, env);
}

/** Checks a suite's text: see loadSuite. */
export function parseSuiteText(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): LoadedSuite {
  const lines = new LineCounter();
  const located = (offset: number, message: string): ConfigIssue => {
    const at = lines.linePos(offset);
    return { file, line: at.line, column: at.col, message };
  };
  // References are masked so `{ rate: ${RATE} }` is valid YAML (see maskReferences).
  const masked = maskReferences(text);
  const deep = overNested(masked);
  if (deep !== undefined) {
    // Not parsed, so the line counter is empty: count the lines up to it.
    const before = masked.slice(0, deep);
    const line = before.split("\n").length;
    throw new ConfigError([
      { file, line, column: deep - before.lastIndexOf("\n"), message: NESTING_MESSAGE },
    ]);
  }
  const doc = parseDocument(masked, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  // linePos is only filled in with prettyErrors, so locate each error from its offset.
  const syntax: ConfigIssue[] = doc.errors.map((e) =>
    located(
      e.code === "MISSING_CHAR" ? quoteOpenedAt(doc, e.pos[0]) : e.pos[0],
      `YAML syntax: ${unmaskReferences(e.message.split("\n")[0] ?? "")}`,
    ),
  );
  if (syntax.length > 0) throw new ConfigError(syntax);
  const locator = createLocator(file, doc, lines);
  if (doc.contents === null)
    throw new ConfigError([{ file, line: 1, column: 1, message: "the suite is empty" }]);
  const proto = protoKeys(doc).map((offset) =>
    located(offset, "a key cannot be named __proto__ (it would be dropped without a word): rename it"),
  );
  if (proto.length > 0) throw new ConfigError(proto);

  const { issues: envIssues, secrets, wholeReferences } = interpolateEnv(file, doc, lines, env);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml refuses a document whose aliases expand past the count (an alias bomb) with a ReferenceError.
    if (!(err instanceof ReferenceError)) throw err;
    throw new ConfigError([
      located(
        firstAlias(doc) ?? 0,
        `the suite's aliases (*name) expand past ${MAX_ALIAS_COUNT} copies (an alias bomb?): write the values out`,
      ),
    ]);
  }
  // promptfoo's syntax says what to write instead; the schema's issues at the same fields say less.
  const foreign: ConfigIssue[] = foreignSyntaxIssues(value).map((f) => ({
    file,
    ...locator.locate(f.path),
    path: formatPath(f.path),
    message: f.message,
  }));
  let parsed = SuiteSchema.safeParse(value, { reportInput: true });
  // A whole ${VAR} takes its field's type: check again after each round of answering mismatches.
  for (let round = 0; round < 3 && !parsed.success; round++) {
    if (!coerceEnvValues(value, parsed.error.issues, wholeReferences)) break;
    parsed = SuiteSchema.safeParse(value, { reportInput: true });
  }
  const schemaIssues = parsed.success
    ? []
    : zodIssuesToConfigIssues(parsed.error.issues, locator, [], (p) => fieldsAt(SuiteSchema, p)).filter(
        (i) => !foreign.some((f) => f.path !== undefined && isAtOrBelow(i.path ?? "", f.path)),
      );
  const issues = [...envIssues, ...foreign, ...schemaIssues];
  if (issues.length > 0 || !parsed.success) {
    // A secret interpolated into a field of the wrong shape must not be echoed back in the error.
    throw new ConfigError(sortIssues(redactIssues(issues, secrets)));
  }
  return { file, suite: parsed.data, locator, secrets };
}

/** An unclosed quote is reported where the file ends; this finds the quote that opened it. */
function quoteOpenedAt(doc: Document, offset: number): number {
  let start = offset;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && node.range?.[1] === offset)
        start = node.range[0];
    },
  });
  return start;
}

/** Issues whose messages went through the suite's redactor: one may quote a value taken from a secret. */
export function redactIssues(issues: ConfigIssue[], secrets: readonly string[]): ConfigIssue[] {
  const redact = createRedactor(secrets);
  return issues.map((i) => ({ ...i, message: redact(i.message) }));
}

export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
