import type { ExitCodeValue } from "../errors.js";
import { exitCodeOf } from "../record/exit-code.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import type { RunResult } from "../record/run-result.js";
import { colorLevel } from "./io.js";
import { healthLines } from "../report/health.js";

export interface OutcomeOptions {
  outDir: string;
  redact: (text: string) => string;
  env: NodeJS.ProcessEnv;
  /** GitHub Actions workflow commands, printed to the log. */
  annotations: string;
  quiet?: boolean;
  json?: boolean;
}

/**
 * Prints what the run came to (the summary table, or the JSON brief with --json; nothing with
 * --quiet but errors) and why it failed, if it did, and returns the exit code.
 */
export function printOutcome(result: RunResult, o: OutcomeOptions): ExitCodeValue {
  const { redact } = o;
  if (o.json) {
    const brief = {
      status: result.status,
      out: o.outDir,
      quality: result.quality.totals,
      thresholds: result.thresholds,
      ...(result.skippedThresholds ? { skippedThresholds: result.skippedThresholds } : {}),
      ...(result.health ? { health: result.health } : {}),
      ...(result.cache ? { cache: result.cache } : {}),
    };
    process.stdout.write(redact(JSON.stringify(brief, null, 2)) + "\n");
  } else if (!o.quiet) {
    const summary = renderConsoleSummary(result, { colorLevel: colorLevel(o.env, process.stdout) });
    process.stdout.write(redact(summary) + `\n\nreports: ${o.outDir}\n`);
  }
  // This machine's own failures invalidate the load figures: said on stderr even under --quiet.
  const clientErrors = result.phases.reduce((n, p) => n + (p.clientErrors ?? 0), 0);
  if (clientErrors > 0)
    process.stderr.write(
      `gauntlet: warning: ${clientErrors} request(s) failed on THIS MACHINE before reaching the server (client_error: out of file descriptors, buffers or ports); they are not counted against the server, but it got less load than the suite asked for: raise \`ulimit -n\` or lower the concurrency\n`,
    );
  // GitHub Actions reads workflow commands from the log; stdout stays pure JSON under --json.
  if (o.annotations) (o.json ? process.stderr : process.stdout).write(o.annotations);
  if (result.status === "aborted") {
    const v = result.thresholds.find((t) => t.key === result.abortedBy);
    process.stderr.write(
      redact(
        `gauntlet: aborted: threshold ${result.abortedBy} failed (abort_on_fail)${v ? `: ${v.reason}` : ""}`,
      ) + "\n",
    );
  } else if (result.status === "unreachable") {
    process.stderr.write("gauntlet: no target was reachable; nothing was measured\n");
  } else if (result.status === "completed") {
    // Run health first: it is why the run could not complete, whatever the thresholds say.
    const health = healthLines(result.health);
    if (health.length > 0) process.stderr.write(redact(`gauntlet: ${health.join("\n")}`) + "\n");
    for (const v of result.thresholds.filter((v) => !v.pass))
      process.stderr.write(redact(`threshold failed: ${v.key} ${v.expression}: ${v.reason}`) + "\n");
  }
  return exitCodeOf({
    status: result.status,
    verdicts: result.thresholds,
    ...(result.health ? { health: result.health } : {}),
  });
}
