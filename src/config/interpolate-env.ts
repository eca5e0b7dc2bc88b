import { isPair, isScalar, isSeq, visit, type Document, type LineCounter } from "yaml";
import type { ConfigIssue } from "../errors.js";
import { expandReferences, isWholeReference, unmaskReferences } from "./env-reference.js";
import { formatPath, type FieldPath } from "./locate.js";

const SECRET_FIELD = /^(api_key|authorization|x-api-key|headers)$/i;
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASS)/i;
/** A number as YAML 1.2's core schema reads one (1e1, -1.5, .5, +3). */
const YAML_NUMBER = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** A value that was one reference and nothing else: it takes the type its field wants (see coerceEnvValues). */
export interface WholeReference {
  path: FieldPath;
  /** The interpolated text. */
  text: string;
}

/** What YAML would read the text as, were it written in the file unquoted: a number, a boolean, or text. */
export function readAsYaml(text: string): string | number | boolean {
  if (YAML_NUMBER.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/**
 * Replaces `${VAR}`, `${VAR:-default}` (defaults may nest references) and `$${` (a literal `${`) in
 * every scalar value of the document, in place on the parsed document (never on the user's file);
 * keys are only unmasked (see maskReferences). A missing variable with no default, a reference never
 * closed and a name that cannot be a variable are issues at the scalar's position. A plain scalar
 * that was one reference reads as YAML would read its value (`rate: ${RATE}` is a number); every
 * such whole reference is returned, so a field of another type can take the text instead. Values
 * interpolated into secret-looking fields or from secret-looking variable names are returned, so
 * every output can redact them.
 */
export function interpolateEnv(
  file: string,
  doc: Document,
  lines: LineCounter,
  env: Readonly<Record<string, string | undefined>>,
): { issues: ConfigIssue[]; secrets: string[]; wholeReferences: WholeReference[] } {
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  const wholeReferences: WholeReference[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      if (typeof node.value !== "string") return;
      const raw = unmaskReferences(node.value);
      if (key === "key" || !raw.includes("${")) {
        node.value = raw;
        return;
      }
      // The dotted field path (targets.a.api_key), from the pairs and list items above the scalar.
      const field = path.flatMap((p, i): Array<string | number> => {
        if (isPair(p) && isScalar(p.key)) return [unmaskReferences(String(p.key.value))];
        if (isSeq(p)) return [p.items.indexOf((path[i + 1] ?? node) as never)];
        return [];
      });
      const inSecretField = path.some(
        (p) => "key" in p && isScalar(p.key) && SECRET_FIELD.test(String(p.key.value)),
      );
      const at = node.range ? lines.linePos(node.range[0]) : undefined;
      const issue = (message: string) =>
        issues.push({ file, line: at?.line, column: at?.col, path: formatPath(field) || undefined, message });
      const unset: string[] = [];
      const { value, problems } = expandReferences(raw, (name, hasDefault) => {
        const v = env[name];
        if (v === undefined && !hasDefault) unset.push(name);
        if (v !== undefined && v !== "" && (inSecretField || SECRET_NAME.test(name))) secrets.push(v);
        return v;
      });
      if (problems.length > 0) {
        // A reference that cannot be read is the one problem to fix; the value is kept as written.
        for (const p of problems) issue(p.message);
        node.value = raw;
        return;
      }
      for (const name of unset)
        issue(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
      const whole = isWholeReference(raw.trim());
      if (whole) wholeReferences.push({ path: field, text: value });
      node.value = whole && node.type === "PLAIN" ? readAsYaml(value) : value;
    },
  });
  return { issues, secrets, wholeReferences };
}
