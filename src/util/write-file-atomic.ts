import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/** What a failed file operation's error says: its code and message (`ENOSPC: no space left on device`). */
export function ioReason(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  const text = err instanceof Error ? err.message : String(err);
  // Node's messages start with the code and end with the syscall and path: keep what a person reads.
  const plain = text.replace(/^[A-Z]+: /, "").replace(/, \w+( '.*')?$/, "");
  return typeof code === "string" ? `${code}: ${plain}` : plain;
}

/**
 * Writes `text` to `file` whole or not at all: into a temporary file in the same folder, then renamed
 * over `file` (a rename within a folder is atomic), so a full disk or a crash mid-write never leaves
 * a truncated file under the real name. On failure the temporary file is removed, and so is an older
 * `file` (a report from an earlier run left beside this run's files would mislead), and the error
 * is rethrown.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    await unlink(file).catch(() => {});
    throw err;
  }
}
