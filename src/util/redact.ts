/** Strips credentials and query strings (which may carry keys) from a URL before it is shown. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "<invalid url>";
  }
}

/**
 * Replaces every known secret value in a text. Built once from the suite's interpolated secrets and
 * applied to everything that leaves the process: console output, reports, error messages.
 */
export function createRedactor(secrets: Iterable<string>): (text: string) => string {
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join("***");
    return out;
  };
}
