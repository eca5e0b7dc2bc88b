/**
 * The field names the suite's schema knows at a place in the suite, read from the zod schema itself
 * (so a did-you-mean can never suggest a field that does not exist, or miss one that was added).
 */
import type { z } from "zod";
import type { FieldPath } from "./locate.js";

type Schema = z.core.$ZodType;

/** The parts of a zod definition this walk reads; every other kind has no fields to offer. */
interface WalkedDef {
  type: string;
  shape?: Record<string, Schema>;
  options?: readonly Schema[];
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  valueType?: Schema;
}

const defOf = (schema: Schema) => schema._zod.def as unknown as WalkedDef;

/** The schemas found at `path` below `schema` (a union offers each of its branches). */
function schemasAt(schema: Schema, path: FieldPath, depth = 0): Schema[] {
  // A schema is a tree here (no z.lazy), but a bound keeps a mistake from recursing for ever.
  if (depth > 64) return [];
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return def.innerType ? schemasAt(def.innerType, path, depth + 1) : [];
    case "pipe":
      return def.in ? schemasAt(def.in, path, depth + 1) : [];
    case "union":
      return (def.options ?? []).flatMap((o) => schemasAt(o, path, depth + 1));
    default:
      break;
  }
  if (path.length === 0) return [schema];
  const [step, ...rest] = path;
  if (def.type === "object" && typeof step === "string" && def.shape && Object.hasOwn(def.shape, step))
    return schemasAt(def.shape[step]!, rest, depth + 1);
  if (def.type === "array" && typeof step === "number" && def.element)
    return schemasAt(def.element, rest, depth + 1);
  if (def.type === "record" && def.valueType) return schemasAt(def.valueType, rest, depth + 1);
  return [];
}

/** Every field name an object at `path` may have (several branches of a union: all of theirs). */
export function fieldsAt(schema: Schema, path: FieldPath): string[] {
  const names = new Set<string>();
  for (const found of schemasAt(schema, path)) {
    const def = defOf(found);
    if (def.type === "object" && def.shape) for (const name of Object.keys(def.shape)) names.add(name);
  }
  return [...names];
}
