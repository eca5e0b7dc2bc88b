import { Ajv, type ValidateFunction } from "ajv";

// One validator instance: compiled schemas are cached by ajv and, below, by the schema object.
// strict: false so vocabulary ajv does not know (e.g. `format` without ajv-formats) is ignored,
// not an error; logger: false keeps those notes out of the run's output.
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction | Error>();

function compile(schema: Record<string, unknown>): ValidateFunction | Error {
  let v = compiled.get(schema);
  if (!v) {
    try {
      v = ajv.compile(schema);
    } catch (err) {
      v = err instanceof Error ? err : new Error(String(err));
    }
    compiled.set(schema, v);
  }
  return v;
}

/** Why a JSON Schema cannot be used (ajv's message), or undefined when it compiles. */
export function jsonSchemaProblem(schema: Record<string, unknown>): string | undefined {
  const v = compile(schema);
  return v instanceof Error ? v.message : undefined;
}

/**
 * Validates a value against a JSON Schema (draft-07, by ajv; `format` is not checked). Returns the
 * validation errors as short readable lines, empty when valid.
 */
export function jsonSchemaErrors(schema: Record<string, unknown>, value: unknown): string[] {
  const v = compile(schema);
  if (v instanceof Error) return [`invalid schema: ${v.message}`];
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
}
