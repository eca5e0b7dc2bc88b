import type { LoadedSuite } from "../config/load-suite.js";
import { formatPath } from "../config/locate.js";
import { ConfigError } from "../errors.js";
import { preflightPlan } from "../config/planned-run.js";
import type { RunSelection } from "./run-options.js";

/**
 * A threshold that cannot get a sample in this run (its target, phase or part is not run) is an
 * error: throws a ConfigError located at the threshold (exit 2) before anything is sent.
 */
export function assertMeasurable(run: RunSelection, loaded: LoadedSuite): void {
  const unmeasurable = preflightPlan(run.plan, {
    ...(run.targets ? { targets: run.targets } : {}),
    ...(run.only ? { only: run.only } : {}),
  });
  if (unmeasurable.length > 0) {
    throw new ConfigError(
      unmeasurable.map((p) => ({
        file: loaded.locator.file,
        ...loaded.locator.locate(["thresholds", p.key]),
        path: formatPath(["thresholds", p.key]),
        message: p.message,
      })),
    );
  }
}
