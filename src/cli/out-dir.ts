import { mkdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { ioReason } from "../util/write-file-atomic.js";

/** What a folder that cannot be created or written means for a person, by error code. */
const WHY: Record<string, string> = {
  ENOTDIR: "a part of that path is a file, not a folder",
  EEXIST: "a file of that name exists",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

/**
 * Makes sure `dir` is a folder the run can write its reports into, before anything is sent: it is
 * created when missing, and a file written there and removed again proves it writable. Otherwise a
 * UsageError (exit 2) names the folder and why, with no stack.
 */
export async function prepareOutDir(dir: string, flag = "--out"): Promise<void> {
  const fail = (err: unknown): never => {
    const code = (err as { code?: unknown } | undefined)?.code;
    const why = (typeof code === "string" && WHY[code]) || ioReason(err);
    throw new UsageError(
      `${flag} ${dir}: cannot write reports there (${why})`,
      "choose another folder with --out",
    );
  };
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory())
    throw new UsageError(`${flag} ${dir}: is a file, not a folder`, "choose another folder with --out");
  await mkdir(dir, { recursive: true }).catch(fail);
  const probe = path.join(dir, `.gauntlet-write-check-${process.pid}`);
  await writeFile(probe, "").catch(fail);
  await unlink(probe).catch(() => {});
}
