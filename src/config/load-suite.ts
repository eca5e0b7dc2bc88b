import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { interpolateEnv } from "./interpolate-env.js";
import { createLocator, type Locator } from "./locate.js";
import { SuiteSchema, type Suite } from "./schema.js";
import { zodIssuesToConfigIssues } from "./zod-issues.js";
import { createRedactor } from "../util/redact.js";

export interface LoadedSuite {
  file: string;
  suite: Suite;
  locator: Locator;
  /** Values interpolated from the environment that must never be printed. */
  secrets: string[];
}

/**
 * Reads, interpolates and schema-checks a suite. Throws one ConfigError carrying every issue found
 * (YAML syntax, missing environment variables, schema violations), each with file, line and field.
 */
export async function loadSuite(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedSuite> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      { file, message: code === "ENOENT" ? "suite file not found" : `cannot read suite (${code})` },
    ]);
  }
  return parseSuiteText(file, text, env);
}

export function parseSuiteText(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): LoadedSuite {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  // linePos is only filled in with prettyErrors, so locate each error from its offset.
  const syntax: ConfigIssue[] = doc.errors.map((e) => {
    const at = lines.linePos(e.code === "MISSING_CHAR" ? quoteOpenedAt(doc, e.pos[0]) : e.pos[0]);
    return { file, line: at.line, column: at.col, message: `YAML syntax: ${e.message.split("\n")[0]}` };
  });
  if (syntax.length > 0) throw new ConfigError(syntax);
  const locator = createLocator(file, doc, lines);
  if (doc.contents === null)
    throw new ConfigError([{ file, line: 1, column: 1, message: "the suite is empty" }]);

  const { issues: envIssues, secrets } = interpolateEnv(file, doc, lines, env);
  const parsed = SuiteSchema.safeParse(doc.toJS({ maxAliasCount: 100 }), { reportInput: true });
  const schemaIssues = parsed.success ? [] : zodIssuesToConfigIssues(parsed.error.issues, locator);
  const issues = [...envIssues, ...schemaIssues];
  if (issues.length > 0 || !parsed.success) {
    // A secret interpolated into a field of the wrong shape must not be echoed back in the error.
    const redact = createRedactor(secrets);
    throw new ConfigError(sortIssues(issues.map((i) => ({ ...i, message: redact(i.message) }))));
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

export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
