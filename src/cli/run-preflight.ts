import type { LoadedSuite } from "../config/load-suite.js";
import { formatPath } from "../config/locate.js";
import { ConfigError } from "../errors.js";
import { preflightPlan } from "../config/planned-run.js";
import type { SkippedThreshold } from "../record/verdict.js";
import type { RunSelection } from "./run-options.js";

/**
 * Sorts the thresholds that cannot get a sample in this run. One that no run of this suite could
 * measure (a metric the suite gives nothing for, a cost without prices) is an error: throws a
 * ConfigError located at the threshold (exit 2) before anything is sent. One that only the command
 * line's --only or --target leaves without samples is skipped: returned with why, so the run judges
 * the rest and the reports show it as skipped, never as passed.
 */
export function sortUnmeasurable(run: RunSelection, loaded: LoadedSuite): SkippedThreshold[] {
  const scoped = preflightPlan(run.plan, {
    ...(run.targets ? { targets: run.targets } : {}),
    ...(run.only ? { only: run.only } : {}),
  });
  const never = new Set(preflightPlan(run.plan).map((p) => p.key));
  const impossible = scoped.filter((p) => never.has(p.key));
  if (impossible.length > 0) {
    throw new ConfigError(
      impossible.map((p) => ({
        file: loaded.locator.file,
        ...loaded.locator.locate(["thresholds", p.key]),
        path: formatPath(["thresholds", p.key]),
        message: p.message,
      })),
    );
  }
  const skipped = new Map(scoped.map((p) => [p.key, p.reason]));
  return run.plan.thresholds.flatMap((t) => {
    const reason = skipped.get(t.key);
    return reason === undefined ? [] : [{ key: t.key, expression: t.expression, reason }];
  });
}
