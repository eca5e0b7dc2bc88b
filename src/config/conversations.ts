/**
 * Conversation datasets: rows that bring their own messages instead of filling a prompt. ShareGPT
 * (`conversations: [{from: human|gpt|system, value}]`) and OpenAI chat format (`messages: [{role,
 * content}]`, few-shot turns included). A conversation that ends with the model's turn is a
 * recorded answer: that turn is not sent, and it becomes the case's `{{expected}}` unless the row
 * has an `expected` of its own.
 */
import type { ChatMessage } from "../providers/types.js";
import type { DatasetRow } from "./dataset.js";

export const CONVERSATION_FORMATS = ["sharegpt", "openai_chat"] as const;
export type ConversationFormat = (typeof CONVERSATION_FORMATS)[number];

/** The column each format keeps its turns in. */
export const TURNS_COLUMN: Record<ConversationFormat, string> = {
  sharegpt: "conversations",
  openai_chat: "messages",
};

/** A row made into a case: what is sent, and the answer it recorded (if any). */
export interface ConversationCase {
  messages: ChatMessage[];
  expected?: string;
}

const SHAREGPT_ROLES: Record<string, ChatMessage["role"]> = {
  human: "user",
  gpt: "assistant",
  system: "system",
};
const CHAT_ROLES: ReadonlySet<string> = new Set(["system", "user", "assistant"]);

/**
 * The format of a dataset's rows, from its first row: `conversations` is ShareGPT, `messages` is
 * OpenAI chat; a row with both, or neither, is an error saying what to write.
 */
export function detectFormat(first: DatasetRow["values"]): ConversationFormat | { error: string } {
  const has = CONVERSATION_FORMATS.filter((f) => Object.hasOwn(first, TURNS_COLUMN[f]));
  if (has.length === 1) return has[0]!;
  if (has.length > 1)
    return {
      error:
        "the rows have both conversations (ShareGPT) and messages (OpenAI chat): set format: sharegpt or format: openai_chat",
    };
  return {
    error:
      "expected prompt: (a prompt filled with each row's columns), or rows with conversations (ShareGPT) or messages (OpenAI chat)",
  };
}

/** A JSON array cell: JSONL keeps nested values as JSON text (see readDataset). */
function arrayOf(cell: string | number | boolean | undefined, column: string): unknown[] | string {
  if (cell === undefined) return `${column}: missing`;
  let value: unknown;
  try {
    value = typeof cell === "string" ? JSON.parse(cell) : cell;
  } catch {
    return `${column}: expected an array of turns`;
  }
  return Array.isArray(value) && value.length > 0 ? value : `${column}: expected a non-empty array of turns`;
}

const field = (turn: unknown, key: string): unknown =>
  typeof turn === "object" && turn !== null ? (turn as Record<string, unknown>)[key] : undefined;

/** OpenAI's content: text, or an array of parts of which only text parts can be sent here. */
function chatContent(content: unknown, where: string): string | { error: string } {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const [j, part] of content.entries()) {
      if (field(part, "type") !== "text" || typeof field(part, "text") !== "string")
        return {
          error: `${where}.content[${j}]: only text parts can be sent (got ${JSON.stringify(field(part, "type")) ?? "no type"})`,
        };
      texts.push(field(part, "text") as string);
    }
    return texts.join("\n");
  }
  return { error: `${where}.content: expected text or an array of text parts` };
}

/** The turns of one row as chat messages, or a message naming the first bad turn. */
function turnsOf(format: ConversationFormat, values: DatasetRow["values"]): ChatMessage[] | string {
  const column = TURNS_COLUMN[format];
  const turns = arrayOf(values[column], column);
  if (typeof turns === "string") return turns;
  const out: ChatMessage[] = [];
  for (const [i, turn] of turns.entries()) {
    const where = `${column}[${i}]`;
    if (format === "sharegpt") {
      const from = field(turn, "from");
      const role =
        typeof from === "string" && Object.hasOwn(SHAREGPT_ROLES, from) ? SHAREGPT_ROLES[from] : undefined;
      if (!role)
        return `${where}.from: expected human, gpt or system, got ${JSON.stringify(from) ?? "nothing"}`;
      const value = field(turn, "value");
      if (typeof value !== "string") return `${where}.value: expected text`;
      out.push({ role, content: value });
    } else {
      const role = field(turn, "role");
      if (typeof role !== "string" || !CHAT_ROLES.has(role))
        return `${where}.role: expected system, user or assistant, got ${JSON.stringify(role) ?? "nothing"}`;
      const content = chatContent(field(turn, "content"), where);
      if (typeof content !== "string") return content.error;
      out.push({ role: role as ChatMessage["role"], content });
    }
  }
  return out;
}

/**
 * One row as a case: its turns, less a last model turn, which becomes `expected` unless the row
 * has a text `expected` of its own. A message naming the problem when the row cannot be one (a bad
 * turn, or nothing left to send after the answer).
 */
export function conversationCase(
  format: ConversationFormat,
  values: DatasetRow["values"],
): ConversationCase | string {
  const turns = turnsOf(format, values);
  if (typeof turns === "string") return turns;
  const last = turns[turns.length - 1]!;
  const answered = last.role === "assistant";
  const messages = answered ? turns.slice(0, -1) : turns;
  if (!messages.some((m) => m.role === "user"))
    return `${TURNS_COLUMN[format]}: no user turn to send${answered ? " before the answer" : ""}`;
  const own = values.expected;
  const expected = typeof own === "string" && own !== "" ? own : answered ? last.content : undefined;
  return expected === undefined ? { messages } : { messages, expected };
}
