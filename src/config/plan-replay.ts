/**
 * Reads the trace of every replay phase before the phases are resolved, so a bad row is a located
 * issue (the trace's file and line) and `validate` exits 2 before anything is sent.
 */
import path from "node:path";
import type { ConfigIssue } from "../errors.js";
import type { IssueAt } from "./issue-at.js";
import type { LoadedSuite } from "./load-suite.js";
import { readTrace, type Trace } from "./trace.js";

/** Each replay phase's trace by its index in `load`; a phase whose trace has issues is left out. */
export async function readTraces(
  loaded: LoadedSuite,
  at: IssueAt,
  issues: ConfigIssue[],
): Promise<Map<number, Trace>> {
  const traces = new Map<number, Trace>();
  const suiteDir = path.dirname(path.resolve(loaded.file));
  for (const [i, phase] of loaded.suite.load.entries()) {
    if (phase.replay === undefined) continue;
    const file = path.resolve(suiteDir, phase.replay);
    const shown = path.relative(process.cwd(), file) || file;
    const read = await readTrace(file, shown, phase.timestamp_unit ?? "ms");
    for (const issue of read.issues)
      // No line: the file could not be read at all, so point at the suite's `replay`.
      issues.push(issue.line === undefined ? at(["load", i, "replay"], `${issue.message}: ${shown}`) : issue);
    if (read.trace) traces.set(i, read.trace);
  }
  return traces;
}
