import { loadSuite } from "../config/load-suite.js";
import { buildPlan } from "../config/plan.js";
import { UsageError, type ExitCodeValue } from "../errors.js";
import { exitCodeOf } from "../record/exit-code.js";
import { probeTarget, type ProbeReport } from "../run/probe.js";
import { createRedactor, redactErrors } from "../util/redact.js";
import { suiteEnv } from "./io.js";

const mark = (ok: boolean | undefined) => (ok ? "yes" : "no ");

function render(r: ProbeReport): string {
  if (!r.reachable) return `${r.target} (${r.provider} @ ${r.url}): unreachable`;
  const lines = [`${r.target} (${r.provider} @ ${r.url})${r.usable ? "" : ": unusable"}`];
  if (r.problem) {
    const status = r.problem.status !== undefined ? ` ${r.problem.status}` : "";
    lines.push(`  ${r.problem.kind}${status}: ${r.problem.message}`);
    if (r.problem.hint) lines.push(`  hint: ${r.problem.hint}`);
    return lines.join("\n");
  }
  const row = (name: string, ok: boolean | undefined, detail: string | undefined) =>
    lines.push(`  ${name.padEnd(16)} ${mark(ok)}  ${detail ?? ""}`);
  row("streaming", r.streaming?.ok, r.streaming?.detail);
  row("usage in stream", r.usageInStream?.ok, r.usageInStream?.detail);
  row("non-streaming", r.nonStreaming?.ok, r.nonStreaming?.detail);
  row("logprobs", r.logprobs?.ok, r.logprobs?.detail);
  row("max context", r.maxContext?.tokens !== undefined, r.maxContext?.detail);
  return lines.join("\n");
}

export interface ProbeCommandOptions {
  target?: string[];
  /** `--var NAME=value`, as for `run`. */
  var?: string[];
  json?: boolean;
}

/** `gauntlet probe SUITE [--target NAME] [--var NAME=value]`: asks each target what it supports and prints it. */
export async function probeCommand(file: string, opts: ProbeCommandOptions): Promise<ExitCodeValue> {
  const plan = await buildPlan(await loadSuite(file, suiteEnv(opts.var, process.env)));
  const redact = createRedactor(plan.secrets);
  return redactErrors(redact, async () => {
    const targets = plan.targets.filter((t) => !opts.target?.length || opts.target.includes(t.name));
    if (targets.length === 0) throw new UsageError(`no such target: ${opts.target?.join(", ")}`);
    const reports: ProbeReport[] = [];
    for (const t of targets) reports.push(await probeTarget(t));
    const text = opts.json ? JSON.stringify(reports, null, 2) : reports.map(render).join("\n\n");
    process.stdout.write(redact(text) + "\n");
    // Probing judges nothing: it could not complete when no target answered, and a target that
    // cannot be used (unreachable, or refusing every request) is unhealthy, as in a run.
    const unusable = reports.filter((r) => !r.usable);
    if (unusable.length > 0)
      process.stderr.write(redact(`gauntlet: unusable: ${unusable.map((r) => r.target).join(", ")}`) + "\n");
    return exitCodeOf({
      status: reports.some((r) => r.reachable) ? "completed" : "unreachable",
      verdicts: [],
      health: { ok: unusable.length === 0 },
    });
  });
}
