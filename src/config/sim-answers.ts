/**
 * A simulator's `answers_from` dataset read into canned answers: the same for a `sim` target of a
 * suite (path relative to the suite) and for `gauntlet sim --config FILE` (relative to that file).
 */
import type { ConfigIssue } from "../errors.js";
import type { SimProfile } from "../sim/profile.js";
import { readDataset } from "./dataset.js";

type AnswersFrom = NonNullable<SimProfile["answers_from"]>;

/** What the dataset gave: its answers, the dataset's own issues, or the first column it lacks. */
export interface DatasetAnswers {
  answers: SimProfile["answers"];
  issues: ConfigIssue[];
  missingColumn?: string;
}

/** Reads `file` (already resolved) as `from` says: one answer per row, `match` → `reply`. */
export async function readDatasetAnswers(file: string, from: AnswersFrom): Promise<DatasetAnswers> {
  const { rows, issues } = await readDataset(file);
  for (const column of [from.match, from.reply]) {
    if (rows[0] && !Object.hasOwn(rows[0].values, column))
      return { answers: [], issues, missingColumn: column };
  }
  return {
    answers: rows.map((r) => ({ match: String(r.values[from.match]), reply: String(r.values[from.reply]) })),
    issues,
  };
}
