import type { HealthError, HealthProblem, RunHealth } from "../record/health.js";
import type { RunResult } from "../record/run-result.js";
import { mdCell, mdTable } from "./markdown-table.js";

/** A failure's kind as the health lines name it: `http_4xx 401`, `timeout`. */
export const failureLabel = (e: Pick<HealthError, "kind" | "status">): string =>
  e.status !== undefined && e.kind.startsWith("http_") ? `${e.kind} ${e.status}` : e.kind;

/** A problem's heading: `wrong_key/quality: no successful request (3 of 3 failed)`. */
export const problemTitle = (p: HealthProblem): string => `${p.target}/${p.phase}: ${p.reason}`;

/** A problem's failures, one line each with its hint on the next: the console's and junit's words. */
export function problemDetail(p: HealthProblem, indent = ""): string[] {
  return p.errors.flatMap((e) => [
    `${indent}${failureLabel(e)} ×${e.count}: ${e.message}`,
    ...(e.hint ? [`${indent}  hint: ${e.hint}`] : []),
  ]);
}

/** How many phases could not be measured, in words: "2 phases had no successful request". */
export function healthSummary(health: RunHealth): string {
  const stopped = health.problems.filter((p) => p.kind === "fail_fast").length;
  const empty = health.problems.length - stopped;
  const parts = [
    empty ? `${empty} phase${empty === 1 ? "" : "s"} had no successful request` : "",
    stopped ? `${stopped} phase${stopped === 1 ? " was" : "s were"} stopped by fail_fast` : "",
  ].filter(Boolean);
  return parts.join("; ");
}

/** The plain-text lines of run health, for the console and stderr; none when healthy. */
export function healthLines(health: RunHealth | undefined): string[] {
  if (!health || health.ok) return [];
  return [
    `run health: ${healthSummary(health)}; the run could not complete`,
    ...health.problems.flatMap((p) => [`  ✗ ${problemTitle(p)}`, ...problemDetail(p, "      ")]),
  ];
}

/** summary.md's run health section: a row per failure of each problem phase, with its hint. */
export function healthSection(run: RunResult): string[] {
  const health = run.health;
  if (!health || health.ok) return [];
  const rows = health.problems.flatMap((p) =>
    (p.errors.length > 0 ? p.errors : [undefined]).map((e) => [
      p.target,
      p.phase,
      p.reason,
      e ? `${failureLabel(e)} ×${e.count}` : "-",
      e ? e.message : "-",
      e?.hint ?? "",
    ]),
  );
  return [
    "### Run health",
    "",
    `${mdCell(healthSummary(health))}: whatever the thresholds say, these phases measured the failure, not the deployment.`,
    "",
    mdTable(["target", "phase", "why", "failures", "the server said", "hint"], rows),
  ];
}
