const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export type TemplateVars = Readonly<Record<string, string | number | boolean>>;

/**
 * A template split once into literal text and variable names (even indexes text, odd names): a
 * dataset of a million rows renders its entry's few templates a million times each.
 */
interface Compiled {
  parts: string[];
  names: string[];
}

const compiled = new Map<string, Compiled>();
/** Templates kept compiled; past this the cache starts over (distinct templates are few). */
const MAX_COMPILED = 10_000;

function compile(template: string): Compiled {
  let c = compiled.get(template);
  if (c) return c;
  const parts: string[] = [];
  const names = new Set<string>();
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index), m[1]!);
    names.add(m[1]!);
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  c = { parts, names: [...names] };
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(template, c);
  return c;
}

/** Names a `{{var}}` template refers to, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...compile(template).names];
}

/**
 * Variables the template uses that `vars` does not define. Only the vars' own keys count: `{{toString}}`
 * or `{{constructor}}` must not find what every object inherits.
 */
export function missingVariables(template: string, vars: TemplateVars): string[] {
  return compile(template).names.filter((n) => !Object.hasOwn(vars, n));
}

/** Renders a template. Callers check `missingVariables` first; an unknown name here is a bug. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  const { parts } = compile(template);
  if (parts.length === 1) return template;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    if (!Object.hasOwn(vars, name)) throw new Error(`unknown template variable {{${name}}}`);
    out += String(vars[name]) + parts[i + 1]!;
  }
  return out;
}

/** `{{` and a name not followed by `}}`: a placeholder left open (text such as `{{"a": 1}}` is not one). */
const UNCLOSED = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)(?![A-Za-z0-9_.-])(?!\s*\}\})/;

/**
 * The first placeholder the template opens and never closes (`{{ q` or `{{q}`), which would
 * otherwise be sent as it is written; undefined when there is none.
 */
export function unclosedPlaceholder(template: string): string | undefined {
  const m = UNCLOSED.exec(template);
  return m ? `{{${m[1]} is never closed: write {{${m[1]}}}` : undefined;
}
