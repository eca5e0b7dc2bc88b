/**
 * Template syntax, checked once per template in the suite (not once per case: a dataset of a million
 * rows shares its entry's templates): a placeholder opened and never closed would be sent as written.
 */
import type { ConfigIssue } from "../errors.js";
import type { IssueAt } from "./issue-at.js";
import type { FieldPath } from "./locate.js";
import { ASSERTION_TYPES, type Suite } from "./schema.js";
import { unclosedPlaceholder } from "./template.js";

/** Every string inside a value, with its path below it (assertion options, json-path equals). */
function stringsIn(value: unknown, path: FieldPath): Array<[FieldPath, string]> {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  return [];
}

/** Pushes an issue for each template of the suite that leaves a placeholder open. */
export function checkTemplateSyntax(suite: Suite, at: IssueAt, issues: ConfigIssue[]): void {
  const check = (path: FieldPath, template: string) => {
    const problem = unclosedPlaceholder(template);
    if (problem) issues.push(at(path, problem));
  };
  for (const [name, prompt] of Object.entries(suite.prompts)) {
    if (typeof prompt === "string") check(["prompts", name], prompt);
    else {
      check(["prompts", name, "user"], prompt.user);
      if (prompt.system !== undefined) check(["prompts", name, "system"], prompt.system);
    }
  }
  suite.cases.forEach((entry, i) => {
    const where: FieldPath = ["cases", i];
    for (const field of ["label", "cluster", "expected"] as const)
      for (const [path, text] of stringsIn(entry[field], [...where, field])) check(path, text);
    entry.assert.forEach((a, j) => {
      // The expectation is a template (see resolveAssertion), except a javascript file's name.
      for (const type of ASSERTION_TYPES) {
        if (type === "javascript" || a[type] === undefined) continue;
        const at: FieldPath = [...where, "assert", j, type];
        const jsonPath = a["json-path"];
        const strings =
          type === "json-path" && jsonPath
            ? stringsIn(jsonPath.equals, [...at, "equals"])
            : stringsIn(a[type], at);
        for (const [path, text] of strings) check(path, text);
      }
    });
  });
}
