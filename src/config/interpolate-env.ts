import { isPair, isScalar, isSeq, visit, type Document, type LineCounter } from "yaml";
import type { ConfigIssue } from "../errors.js";
import { formatPath } from "./locate.js";

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SECRET_FIELD = /^(api_key|authorization|x-api-key|headers)$/i;
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASS)/i;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every scalar value of the document, in place on the
 * parsed document (never on the user's file). A missing variable with no default is an issue at
 * its exact position. Values interpolated into secret-looking fields or from secret-looking
 * variable names are returned, so every output can redact them.
 */
export function interpolateEnv(
  file: string,
  doc: Document,
  lines: LineCounter,
  env: Readonly<Record<string, string | undefined>>,
): { issues: ConfigIssue[]; secrets: string[] } {
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      if (key === "key" || typeof node.value !== "string" || !node.value.includes("${")) return;
      // The dotted field path (targets.a.api_key), from the pairs and list items above the scalar.
      const field = path.flatMap((p, i): Array<string | number> => {
        if (isPair(p) && isScalar(p.key)) return [String(p.key.value)];
        if (isSeq(p)) return [p.items.indexOf((path[i + 1] ?? node) as never)];
        return [];
      });
      const inSecretField = path.some(
        (p) => "key" in p && isScalar(p.key) && SECRET_FIELD.test(String(p.key.value)),
      );
      const whole = node.value.trim();
      const replaced = node.value.replace(ENV_REF, (_m, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value === undefined || (value === "" && fallback !== undefined)) {
          if (fallback !== undefined) return fallback;
          const at = node.range ? lines.linePos(node.range[0]) : undefined;
          issues.push({
            file,
            line: at?.line,
            column: at?.col,
            path: formatPath(field) || undefined,
            message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
          });
          return "";
        }
        if (inSecretField || SECRET_NAME.test(name)) secrets.push(value);
        return value;
      });
      // A plain scalar that was only a reference takes the type the value reads as (rate: ${RATE}).
      if (node.type === "PLAIN" && /^\$\{[^}]+\}$/.test(whole)) {
        if (/^-?\d+(\.\d+)?$/.test(replaced)) {
          node.value = Number(replaced);
          return;
        }
        if (replaced === "true" || replaced === "false") {
          node.value = replaced === "true";
          return;
        }
      }
      node.value = replaced;
    },
  });
  return { issues, secrets };
}
