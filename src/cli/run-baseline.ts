import { parsePairBy } from "../compare/saved-runs.js";
import { UsageError } from "../errors.js";
import { readRun } from "../record/read-run.js";
import type { Baseline } from "../run/baseline.js";

/**
 * The saved run behind --baseline, read before anything is sent: a bad file is a usage error
 * (exit 2). The run compares itself with it (see withBaseline), pairing cases by `pairBy`.
 */
export async function readBaseline(file: string | undefined, pairBy?: string): Promise<Baseline | undefined> {
  const chosen = parsePairBy(pairBy);
  if (!file) {
    if (chosen) throw new UsageError("--pair-by says how cases pair with --baseline's; give --baseline too");
    return undefined;
  }
  return { file, run: await readRun(file), ...(chosen ? { pairBy: chosen } : {}) };
}
