/**
 * What the YAML parser must not be handed whole: collections nested so deep that composing them
 * exhausts the stack (100,000 `[` once gave "Maximum call stack size exceeded"), checked on the
 * parser's concrete syntax tree, which is built without recursion. And what must not be read
 * silently: a `__proto__` key, which the schema's maps drop without a word.
 */
import { isMap, isScalar, Parser, visit, type Document } from "yaml";
import { LIMITS, overLimit } from "./limits.js";

/** The part of a concrete syntax tree token this reads: collections have items, each a key and value. */
interface CstNode {
  offset: number;
  items?: Array<{ key?: unknown; value?: unknown }>;
}

/** Where the text first nests past the limit (an offset into it), or undefined. */
export function overNested(text: string): number | undefined {
  for (const token of new Parser().parse(text)) {
    if (token.type !== "document" || !token.value) continue;
    const stack: Array<[CstNode, number]> = [[token.value as CstNode, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (!Array.isArray(node.items)) continue;
      if (depth + 1 > LIMITS.nesting.max) return node.offset;
      for (const item of node.items) {
        if (item.key) stack.push([item.key as CstNode, depth + 1]);
        if (item.value) stack.push([item.value as CstNode, depth + 1]);
      }
    }
  }
  return undefined;
}

export const NESTING_MESSAGE = `the suite nests too deeply: ${overLimit("nesting")}`;

/** Offsets of `__proto__` keys: a suite cannot name a target, prompt, var or field that. */
export function protoKeys(doc: Document): number[] {
  const out: number[] = [];
  visit(doc, {
    Map(_key, node) {
      if (!isMap(node)) return;
      for (const pair of node.items)
        if (isScalar(pair.key) && pair.key.value === "__proto__" && pair.key.range)
          out.push(pair.key.range[0]);
    },
  });
  return out;
}

/** The first alias in the document, where an alias bomb is pointed at. */
export function firstAlias(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at;
}
