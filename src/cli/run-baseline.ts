import { readRun } from "../record/read-run.js";
import type { Baseline } from "../run/baseline.js";

/**
 * The saved run behind --baseline, read before anything is sent: a bad file is a usage error
 * (exit 2). The run compares itself with it (see withBaseline).
 */
export async function readBaseline(file: string | undefined): Promise<Baseline | undefined> {
  return file ? { file, run: await readRun(file) } : undefined;
}
