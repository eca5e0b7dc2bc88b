const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export type TemplateVars = Readonly<Record<string, string | number | boolean>>;

/** Names a `{{var}}` template refers to, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/** Variables the template uses that `vars` does not define. */
export function missingVariables(template: string, vars: TemplateVars): string[] {
  return templateVariables(template).filter((n) => !(n in vars));
}

/** Renders a template. Callers check `missingVariables` first; an unknown name here is a bug. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    if (!(name in vars)) throw new Error(`unknown template variable {{${name}}}`);
    return String(vars[name]);
  });
}
