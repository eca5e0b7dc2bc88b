/**
 * Case resolution: inline cases and dataset rows (`from:`) become plan cases with rendered messages,
 * resolved assertions and task fields; a case naming several prompts becomes one plan case per
 * prompt, sharing its id (a prompt A/B pairs them). Duplicate ids, unknown prompts and missing
 * template variables are pushed as located issues (dataset rows point at their dataset line).
 */
import path from "node:path";
import type { ConfigIssue } from "../errors.js";
import type { ChatMessage } from "../providers/types.js";
import { readDataset } from "./dataset.js";
import { rowCase, rowFormat } from "./plan-dataset-rows.js";
import type { IssueAt } from "./issue-at.js";
import { formatCount } from "./limits.js";
import { formatPath, type FieldPath } from "./locate.js";
import type { LoadedSuite } from "./load-suite.js";
import { resolveAssertion, type PlanAssertion } from "./plan-assertions.js";
import { resolveTask, taskOf, type PlanTask, type TaskDraft } from "./plan-task.js";
import type { PlanTarget } from "./plan-targets.js";
import type { AssertionConfig, PromptConfig } from "./schema.js";
import { missingVariables, renderTemplate, type TemplateVars } from "./template.js";

export interface PlanCase extends PlanTask {
  id: string;
  prompt: { name: string; version: number };
  messages: ChatMessage[];
  vars: TemplateVars;
  assertions: PlanAssertion[];
  threshold?: number;
  /** Where the case was defined, for messages and reports. */
  source: { file: string; line?: number };
}

function promptParts(p: PromptConfig): { version: number; system?: string; user: string } {
  return typeof p === "string" ? { version: 1, user: p } : p;
}

interface CaseDraft {
  id?: string;
  /** Every prompt the case runs under: one plan case each, sharing the id. */
  prompts: string[];
  vars: TemplateVars;
  assert: AssertionConfig[];
  threshold?: number;
  task: TaskDraft;
  where: FieldPath;
  source: { file: string; line?: number };
  /** For dataset rows: issues point at the dataset line, not the suite. */
  datasetIssue?: (message: string) => ConfigIssue;
  /** A conversation row's own messages: sent as they are, under the prompt named for its format. */
  messages?: ChatMessage[];
}

/** Resolves every case entry; a case with an issue is left out, its issues pushed. */
export async function resolveCases(
  loaded: LoadedSuite,
  targets: PlanTarget[],
  at: IssueAt,
  issues: ConfigIssue[],
): Promise<PlanCase[]> {
  const { suite, locator } = loaded;
  // Each draft is resolved as it is made, so a million dataset rows are never held twice.
  const seen = new Map<string, CaseDraft["source"]>();
  const cases: PlanCase[] = [];
  let count = 0;
  const suiteDir = path.dirname(path.resolve(loaded.file));
  for (const [i, entry] of suite.cases.entries()) {
    const where: FieldPath = ["cases", i];
    if ("from" in entry) {
      const file = path.resolve(suiteDir, entry.from);
      const shown = path.relative(process.cwd(), file) || file;
      const { rows, issues: dataIssues } = await readDataset(file);
      issues.push(
        ...dataIssues.map((d) =>
          // No line: the file could not be read, so point at the suite's `from` instead.
          d.line === undefined
            ? at([...where, "from"], `${d.message}: ${shown}`)
            : { ...d, file: shown, path: d.path ?? formatPath([...where, "from"]) },
        ),
      );
      const idColumn = entry.id_column ?? "id";
      if (entry.id_column && rows[0] && !Object.hasOwn(rows[0].values, entry.id_column)) {
        issues.push(at([...where, "id_column"], `column "${entry.id_column}" is not in ${entry.from}`));
      }
      const format = rowFormat(entry, rows[0], where, at, issues);
      if (format === undefined) continue;
      const rowIssuesFrom = issues.length;
      for (const [r, row] of rows.entries()) {
        const datasetIssue = (message: string) => ({
          file: shown,
          line: row.line,
          path: `row ${r + 1}`,
          message,
        });
        const made = rowCase(format, row.values, idColumn, entry.scrub === "pii");
        if (typeof made === "string") {
          issues.push(datasetIssue(made));
          continue;
        }
        const idValue = Object.hasOwn(row.values, idColumn) ? row.values[idColumn] : undefined;
        addCase({
          id:
            idValue === undefined || idValue === ""
              ? `${path.basename(entry.from).replace(/\.\w+$/, "")}-${r + 1}`
              : String(idValue),
          prompts: format === "prompt" ? promptsOf(entry.prompt ?? []) : [format],
          // Columns win over the entry's vars; without any, the row's values are the vars (no copy).
          vars: Object.keys(entry.vars).length === 0 ? made.vars : { ...entry.vars, ...made.vars },
          ...(made.messages ? { messages: made.messages } : {}),
          assert: entry.assert,
          threshold: entry.threshold,
          task: taskOf(entry),
          where,
          source: { file: shown, line: row.line },
          datasetIssue,
        });
      }
      issues.push(...groupRowIssues(issues.splice(rowIssuesFrom), rows.length));
    } else {
      addCase({
        id: entry.id,
        prompts: promptsOf(entry.prompt),
        vars: entry.vars,
        assert: entry.assert,
        threshold: entry.threshold,
        task: taskOf(entry),
        where,
        source: { file: locator.file, ...locator.locate(where) },
      });
    }
  }

  return cases;

  function addCase(d: CaseDraft): void {
    const n = count++;
    const id = d.id ?? `case-${n + 1}`;
    const issue = (p: FieldPath, message: string) =>
      d.datasetIssue?.(message) ?? at([...d.where, ...p], message);
    const prior = seen.get(id);
    if (prior) {
      issues.push(
        issue(["id"], `duplicate case id "${id}" (first defined at ${prior.file}:${prior.line ?? "?"})`),
      );
    } else seen.set(id, d.source);
    // Assertions and task fields are the case's, whatever the prompt: resolved (and reported) once.
    const assertions = resolveAssertions(d, { suiteDir, vars: d.vars, targets }, issue, issues);
    const task = resolveTask(d.task, d.vars, suite.quality.repeat, issue, issues);
    const several = d.prompts.length > 1;
    const named = new Set<string>();
    for (const [j, name] of d.prompts.entries()) {
      const field: FieldPath = several ? ["prompt", j] : ["prompt"];
      if (named.has(name)) {
        issues.push(at([...d.where, ...field], `prompt "${name}" is named twice`));
        continue;
      }
      named.add(name);
      const rendered = d.messages
        ? { version: 1, messages: d.messages }
        : renderPrompt(suite, d, name, field, issue, at, issues);
      if (!rendered || !assertions || !task) continue;
      const planCase: PlanCase = {
        id,
        prompt: { name, version: rendered.version },
        messages: rendered.messages,
        vars: d.vars,
        assertions,
        ...task,
        source: d.source,
      };
      if (d.threshold !== undefined) planCase.threshold = d.threshold;
      cases.push(planCase);
    }
  }
}

const promptsOf = (prompt: string | string[]) => (Array.isArray(prompt) ? prompt : [prompt]);

/** A case's messages under one prompt, and the prompt's version; undefined after an issue. */
function renderPrompt(
  suite: LoadedSuite["suite"],
  d: CaseDraft,
  name: string,
  field: FieldPath,
  issue: (p: FieldPath, message: string) => ConfigIssue,
  at: IssueAt,
  issues: ConfigIssue[],
): { version: number; messages: ChatMessage[] } | undefined {
  const promptConfig = Object.hasOwn(suite.prompts, name) ? suite.prompts[name] : undefined;
  if (promptConfig === undefined) {
    const known = Object.keys(suite.prompts);
    issues.push(
      at(
        [...d.where, ...field],
        `unknown prompt "${name}"${known.length ? ` (prompts: ${known.join(", ")})` : ""}`,
      ),
    );
    return undefined;
  }
  const prompt = promptParts(promptConfig);
  const templates: Array<[FieldPath, string]> = [[["user"], prompt.user]];
  if (prompt.system) templates.push([["system"], prompt.system]);
  let ok = true;
  for (const [part, tpl] of templates) {
    for (const missing of missingVariables(tpl, d.vars)) {
      ok = false;
      issues.push(
        issue(
          ["vars"],
          `prompt "${name}" ${String(part[0])} uses {{${missing}}}, which this case does not define (vars: ${Object.keys(d.vars).join(", ") || "none"})`,
        ),
      );
    }
  }
  if (!ok) return undefined;
  const messages: ChatMessage[] = [];
  if (prompt.system) messages.push({ role: "system", content: renderTemplate(prompt.system, d.vars) });
  messages.push({ role: "user", content: renderTemplate(prompt.user, d.vars) });
  return { version: prompt.version, messages };
}

function resolveAssertions(
  d: CaseDraft,
  scope: Parameters<typeof resolveAssertion>[1],
  issue: (p: FieldPath, message: string) => ConfigIssue,
  issues: ConfigIssue[],
): PlanAssertion[] | undefined {
  const out: PlanAssertion[] = [];
  let ok = true;
  d.assert.forEach((a, j) => {
    const resolved = resolveAssertion(a, scope, (field, message) =>
      issues.push(issue(["assert", j, ...field], message)),
    );
    if (resolved) out.push(resolved);
    else ok = false;
  });
  return ok ? out : undefined;
}

/**
 * The rows' issues of one dataset, each distinct message once: a column the prompt needs and the
 * file lacks is one problem, not one per row (500 rows would print 1,000 lines). The first row that
 * has it is where it points; the message says how many more rows have it too.
 */
function groupRowIssues(rowIssues: ConfigIssue[], rowCount: number): ConfigIssue[] {
  const groups = new Map<string, { first: ConfigIssue; more: number; lastLine?: number }>();
  for (const i of rowIssues) {
    const group = groups.get(i.message);
    if (group) {
      group.more++;
      group.lastLine = i.line;
    } else groups.set(i.message, { first: i, more: 0 });
  }
  return [...groups.values()].map(({ first, more, lastLine }) => {
    if (more === 0) return first;
    const rest =
      more + 1 === rowCount
        ? `so does every row of the file (${formatCount(rowCount)}): is the column missing?`
        : `so do ${formatCount(more)} more rows, up to line ${lastLine ?? "?"}`;
    return { ...first, message: `${first.message}; ${rest}` };
  });
}
