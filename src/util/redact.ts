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

/**
 * Runs `fn`; an error it throws leaves with its message (and stack) passed through `redact`, so a
 * secret that reached an error message never reaches the terminal. The error's class and fields are
 * kept: main() still maps it to its exit code.
 */
export async function redactErrors<T>(redact: (text: string) => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error) {
      err.message = redact(err.message);
      if (err.stack) err.stack = redact(err.stack);
    }
    throw err;
  }
}
