import { formatConfigIssue, UsageError, type ConfigIssue } from "../errors.js";

/** Colour level from the environment: NO_COLOR wins, FORCE_COLOR forces, else a TTY gets colour. */
export function colorLevel(env: NodeJS.ProcessEnv, stream: NodeJS.WriteStream): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  if (env.FORCE_COLOR !== undefined) {
    const n = Number(env.FORCE_COLOR);
    if (env.FORCE_COLOR === "" || env.FORCE_COLOR === "true") return 1;
    return (Number.isInteger(n) && n >= 0 && n <= 3 ? n : 1) as 0 | 1 | 2 | 3;
  }
  return stream.isTTY ? 1 : 0;
}

/** Timestamped default output folder: runs/2026-11-24T10-30-00Z */
export function defaultOutDir(now = new Date()): string {
  return `runs/${now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-")}`;
}

/**
 * The environment `${VAR}` interpolation reads: the process's, with each `--var NAME=value` on top
 * (so a CI job or a person can set a suite's knobs without exporting them). Never mutates `env`.
 */
export function suiteEnv(vars: readonly string[] | undefined, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const entry of vars ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(entry);
    if (!m)
      throw new UsageError(
        `--var expects NAME=value (NAME: letters, digits, _), got ${JSON.stringify(entry)}`,
      );
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** Prints the plan's warnings (valid, most likely not meant) on stderr, one line each. */
export function printWarnings(
  warnings: readonly ConfigIssue[] | undefined,
  stderr: NodeJS.WritableStream,
): void {
  for (const w of warnings ?? []) stderr.write(`gauntlet: warning: ${formatConfigIssue(w)}\n`);
}
