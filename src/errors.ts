/**
 * Exit codes, one table for every command: 0 all thresholds passed; 99 a threshold failed; 2 an
 * invalid suite or arguments (nothing was sent); 3 the run could not complete (no target
 * reachable, or an abort_on_fail threshold stopped it); 130 interrupted (Ctrl-C or SIGTERM).
 */
export const ExitCode = {
  ok: 0,
  invalid: 2,
  incomplete: 3,
  thresholdFailed: 99,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one error family. `code` is stable (tests and users can match on it), `hint` tells the user
 * what to do, `exitCode` is what the CLI exits with when this error ends the run.
 */
export class GauntletError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem in a suite or dataset, located as precisely as we can. */
export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted field path such as `targets.int4.params.max_tokens`. */
  path?: string;
  message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line, issue.line !== undefined ? issue.column : undefined]
    .filter((p) => p !== undefined)
    .join(":");
  const field = issue.path ? `${issue.path}: ` : "";
  return `${where}: ${field}${issue.message}`;
}

/** Invalid suite, dataset or arguments: nothing was sent (exit 2). Carries every issue found. */
export class ConfigError extends GauntletError {
  constructor(
    readonly issues: ConfigIssue[],
    hint?: string,
  ) {
    super(
      issues.length === 1
        ? formatConfigIssue(issues[0]!)
        : `${issues.length} problems:\n${issues.map((i) => `  ${formatConfigIssue(i)}`).join("\n")}`,
      "E_CONFIG",
      ExitCode.invalid,
      hint,
    );
  }
}

/** Bad command-line usage (exit 2). */
export class UsageError extends GauntletError {
  constructor(message: string, hint?: string) {
    super(message, "E_USAGE", ExitCode.invalid, hint);
  }
}

/** The run could not complete, e.g. no target reachable (exit 3). */
export class RunIncompleteError extends GauntletError {
  constructor(message: string, hint?: string) {
    super(message, "E_INCOMPLETE", ExitCode.incomplete, hint);
  }
}

/**
 * A file of the report folder could not be written (disk full, file too large, permissions): the
 * run stopped sending and its message names the file and the reason (exit 3).
 */
export class OutputError extends GauntletError {
  constructor(message: string, hint?: string) {
    super(message, "E_OUTPUT", ExitCode.incomplete, hint);
  }
}

/** Interrupted by SIGINT/SIGTERM after the partial report was written (exit 130). */
export class InterruptedError extends GauntletError {
  constructor(message = "interrupted") {
    super(message, "E_INTERRUPTED", ExitCode.interrupted);
  }
}
