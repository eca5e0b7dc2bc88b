import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { UsageError } from "../errors.js";
import { RUN_SCHEMA_VERSION, type RunResult } from "./run-result.js";

/** run.schema.json ships beside package.json: two folders up from src/record and from dist/record. */
const SCHEMA_URL = new URL("../../run.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;

/** Compiled on first use: `validate`, `schema` and `--help` never pay for it. */
function validateRun(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: true }).compile(
    JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as object,
  );
  return validator;
}

/** The first few schema errors, each with where in the file it is: `/quality/cases/0: must have ...`. */
function describe(errors: ErrorObject[] | null | undefined): string {
  const all = errors ?? [];
  const shown = all.slice(0, 3).map((e) => `${e.instancePath || "/"}: ${e.message ?? "is invalid"}`);
  return shown.join("; ") + (all.length > 3 ? `; and ${all.length - 3} more` : "");
}

/**
 * Checks a parsed run.json against run.schema.json; `file` names it in the error. A run of another
 * schema version says so rather than listing what differs. Fields the schema does not know are
 * kept: a newer Gauntlet may add optional ones without a version bump.
 */
export function parseRun(value: unknown, file: string): RunResult {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== undefined && version !== RUN_SCHEMA_VERSION) {
    throw new UsageError(
      `${file}: not a run.json of schema version ${RUN_SCHEMA_VERSION} (found ${String(version)})`,
    );
  }
  const validate = validateRun();
  if (!validate(value))
    throw new UsageError(`${file}: not a valid run.json (run.schema.json): ${describe(validate.errors)}`);
  return value as RunResult;
}

/**
 * The one reader of a saved run (compare, merge, report, run --baseline): reads the file, parses
 * the JSON and validates it against run.schema.json. Any failure is a UsageError naming the file
 * (exit 2), never an internal error later on. NaN was written as null and stays null.
 */
export async function readRun(file: string): Promise<RunResult> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new UsageError(`${file}: cannot read a run (${(err as Error).message})`);
  }
  return parseRun(value, file);
}
