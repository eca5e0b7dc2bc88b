import type { ConfigIssue } from "../errors.js";
import { formatPath, type FieldPath, type Locator } from "./locate.js";

/** Makes a located issue for a field of the suite (with `key`, for a key inside that field's map). */
export type IssueAt = (path: FieldPath, message: string, key?: string) => ConfigIssue;

/** The plan's issue maker: file, line and column from the locator, the field as a dotted path. */
export function createIssueAt(locator: Locator): IssueAt {
  return (p, message, key) => ({
    file: locator.file,
    ...locator.locate(p, key === undefined ? undefined : { key }),
    path: formatPath(key === undefined ? p : [...p, key]),
    message,
  });
}
