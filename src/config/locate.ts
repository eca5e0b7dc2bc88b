import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from "yaml";

export type FieldPath = ReadonlyArray<string | number>;

/** Maps a field path in the parsed suite back to a line and column of its YAML source. */
export interface Locator {
  file: string;
  locate(path: FieldPath, opts?: { key?: string }): { line?: number; column?: number };
}

export function formatPath(path: FieldPath): string {
  return path
    .map((p, i) =>
      typeof p === "number" ? `[${p}]` : /^[A-Za-z0-9_$-]+$/.test(p) ? (i ? "." : "") + p : `["${p}"]`,
    )
    .join("");
}

/**
 * Finds the deepest node that exists along `path` (a missing field points at its parent); with
 * `key`, points at that key inside the map (for unknown fields).
 */
export function createLocator(file: string, doc: Document, lines: LineCounter): Locator {
  const position = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate(path, opts) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
        if (!node && depth > 0) continue;
        const target = node ?? doc.contents;
        if (!target) return {};
        if (opts?.key !== undefined && depth === path.length && isMap(target)) {
          const pair = target.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === opts.key);
          const keyNode = pair && isScalar(pair.key) ? pair.key : undefined;
          if (keyNode?.range) return position(keyNode.range[0]);
        }
        return target.range ? position(target.range[0]) : {};
      }
      return {};
    },
  };
}
