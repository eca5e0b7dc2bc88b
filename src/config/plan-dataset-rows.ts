/**
 * What a dataset row becomes before it is a case: the vars that fill a prompt (`prompt:` set), or a
 * conversation's own messages and its recorded answer as `{{expected}}` (ShareGPT, OpenAI chat);
 * with `scrub: pii`, both with e-mail addresses, phone numbers and long digit runs replaced.
 */
import type { ConfigIssue } from "../errors.js";
import type { ChatMessage } from "../providers/types.js";
import { conversationCase, detectFormat, TURNS_COLUMN, type ConversationFormat } from "./conversations.js";
import type { DatasetRow } from "./dataset.js";
import type { IssueAt } from "./issue-at.js";
import type { FieldPath } from "./locate.js";
import type { DatasetCasesConfig } from "./schema.js";
import { scrubPii, scrubValues } from "./scrub.js";
import type { TemplateVars } from "./template.js";

/** How a dataset's rows become cases: filling `prompt`, or as conversations of a format. */
export type RowFormat = "prompt" | ConversationFormat;

/**
 * The dataset entry's row format: "prompt" when it names one (a `format` beside it is an issue), else
 * its `format`, else detected from the first row. Undefined after an issue, pushed at the entry.
 */
export function rowFormat(
  entry: DatasetCasesConfig,
  first: DatasetRow | undefined,
  where: FieldPath,
  at: IssueAt,
  issues: ConfigIssue[],
): RowFormat | undefined {
  if (entry.prompt !== undefined) {
    if (entry.format === undefined) return "prompt";
    issues.push(
      at(
        [...where, "format"],
        `a ${entry.format} dataset brings its own messages: remove prompt, or remove format to fill the prompt with each row's columns`,
      ),
    );
    return undefined;
  }
  if (entry.format !== undefined) return entry.format;
  // No rows: the reader has said so already.
  if (first === undefined) return undefined;
  const detected = detectFormat(first.values);
  if (typeof detected === "string") return detected;
  issues.push(at([...where, "from"], `${entry.from}: ${detected.error}`));
  return undefined;
}

/** One row's vars (and, for a conversation, its messages), scrubbed when asked; a message when the row cannot be a case. */
export function rowCase(
  format: RowFormat,
  values: DatasetRow["values"],
  idColumn: string,
  scrub: boolean,
): { vars: TemplateVars; messages?: ChatMessage[] } | string {
  if (format === "prompt") return { vars: scrub ? scrubValues(values, new Set([idColumn])) : values };
  const made = conversationCase(format, values);
  if (typeof made === "string") return made;
  // The turns are sent as messages, not kept as a var; the other columns stay vars for assertions.
  const { [TURNS_COLUMN[format]]: _turns, ...rest } = values;
  const vars: Record<string, string | number | boolean> = scrub
    ? scrubValues(rest, new Set([idColumn]))
    : rest;
  const clean = (text: string) => (scrub ? scrubPii(text) : text);
  if (made.expected !== undefined) vars.expected = clean(made.expected);
  return { vars, messages: made.messages.map((m) => ({ role: m.role, content: clean(m.content) })) };
}
