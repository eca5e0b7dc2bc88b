const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export type TemplateVars = Readonly<Record<string, string | number | boolean>>;

/** Names a `{{var}}` template refers to, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/**
 * Variables the template uses that `vars` does not define. Only the vars' own keys count: `{{toString}}`
 * or `{{constructor}}` must not find what every object inherits.
 */
export function missingVariables(template: string, vars: TemplateVars): string[] {
  return templateVariables(template).filter((n) => !Object.hasOwn(vars, n));
}

/** Renders a template. Callers check `missingVariables` first; an unknown name here is a bug. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    if (!Object.hasOwn(vars, name)) throw new Error(`unknown template variable {{${name}}}`);
    return String(vars[name]);
  });
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
