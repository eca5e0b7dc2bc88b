/**
 * The `${VAR}` grammar of suites: `${NAME}`, `${NAME:-default}` (the default may itself hold
 * references: `${A:-${B:-m}}`), and `$${` for a literal `${`. A name is letters, digits and `_`, not
 * starting with a digit; a reference that is never closed, or names no variable, is an error rather
 * than text sent as written.
 */

/** A reference's problem, in the user's words. */
export interface ReferenceProblem {
  message: string;
}

/** What expanding a text found: the text, the variables it read, and what was wrong. */
export interface Expansion {
  value: string;
  problems: ReferenceProblem[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands every reference in `text`. `lookup` gives a variable's value (undefined: unset) and is
 * told whether a default exists; an unset variable without a default is its caller's to report.
 */
export function expandReferences(
  text: string,
  lookup: (name: string, hasDefault: boolean) => string | undefined,
): Expansion {
  const problems: ReferenceProblem[] = [];
  /** Expands from `i` to the end, or to the `}` that closes the reference it is inside. */
  const expand = (i: number, inside: boolean): [string, number] => {
    let out = "";
    while (i < text.length) {
      if (text.startsWith("$${", i)) {
        out += "${";
        i += 3;
      } else if (text.startsWith("${", i)) {
        const [value, end] = reference(i);
        out += value;
        i = end;
      } else if (inside && text[i] === "}") return [out, i];
      else out += text[i++];
    }
    return [out, i];
  };
  /** One reference starting at `start` (at `${`): its value and where the text resumes. */
  const reference = (start: number): [string, number] => {
    const shown = (end: number) => text.slice(start, end);
    let j = start + 2;
    while (j < text.length && text[j] !== "}" && !text.startsWith(":-", j) && !text.startsWith("${", j)) j++;
    const name = text.slice(start + 2, j);
    if (j >= text.length || text.startsWith("${", j)) {
      problems.push({ message: `${shown(j)} is never closed: write \${${name.trim() || "NAME"}}` });
      return ["", text.length];
    }
    let fallback: string | undefined;
    let end = j + 1;
    if (text.startsWith(":-", j)) {
      const [value, close] = expand(j + 2, true);
      if (close >= text.length) {
        problems.push({ message: `${shown(close)} is never closed: add the } that ends its default` });
        return ["", text.length];
      }
      fallback = value;
      end = close + 1;
    }
    if (!NAME.test(name)) {
      problems.push({
        message: `${shown(end)}: "${name}" is not a variable name (letters, digits and _, not starting with a digit; $\${ writes a literal \${)`,
      });
      return ["", end];
    }
    const value = lookup(name, fallback !== undefined);
    return [value === undefined || (value === "" && fallback !== undefined) ? (fallback ?? "") : value, end];
  };
  return { value: expand(0, false)[0], problems };
}

/** Whether the text is one reference and nothing else (`${A:-${B}}` is; `${A}-${B}` is not). */
export function isWholeReference(text: string): boolean {
  if (!text.startsWith("${")) return false;
  let depth = 0;
  for (let j = 0; j < text.length; j++) {
    if (text.startsWith("${", j)) {
      depth++;
      j++;
    } else if (text[j] === "}" && --depth === 0) return j === text.length - 1;
  }
  return false;
}

/**
 * Flow indicators and comment or mapping characters inside references, swapped for private-use
 * characters of the same length so `{ rate: ${RATE:-5} }` parses as YAML (where `{`, `}` and `,`
 * would end the map); interpolation swaps them back. Offsets, so lines and columns, do not change.
 */
const MASKED = "{}[],#:";
const MASKS = "\ue0f0\ue0f1\ue0f2\ue0f3\ue0f4\ue0f5\ue0f6";
const UNMASK = new RegExp(`[${MASKS}]`, "g");
const HAS_MASK = new RegExp(`[${MASKS}]`);

/**
 * Masks each reference (and each `$${...}` escape) that closes on its own line. A file that already
 * holds the private-use characters is left as it is (it then needs references quoted in flow style).
 */
export function maskReferences(text: string): string {
  if (!text.includes("${") || HAS_MASK.test(text)) return text;
  let out = "";
  let copied = 0;
  for (let i = text.indexOf("${"); i >= 0; i = text.indexOf("${", i)) {
    let depth = 0;
    let j = i;
    for (; j < text.length && text[j] !== "\n"; j++) {
      if (text.startsWith("${", j)) {
        depth++;
        j++;
      } else if (text[j] === "}" && --depth === 0) break;
    }
    if (depth !== 0 || j >= text.length || text[j] !== "}") {
      i += 2; // never closed on its line: left for interpolation to report
      continue;
    }
    out += text.slice(copied, i);
    for (let k = i; k <= j; k++) {
      const m = MASKED.indexOf(text[k]!);
      out += m >= 0 ? MASKS[m] : text[k];
    }
    copied = j + 1;
    i = j + 1;
  }
  return out + text.slice(copied);
}

/** Undoes maskReferences on a value read from the parsed document. */
export function unmaskReferences(text: string): string {
  return text.replace(UNMASK, (c) => MASKED[MASKS.indexOf(c)]!);
}
