import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/cli.js";
import { ioReason, writeFileAtomic } from "./write-file-atomic.js";

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary file", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "run.json");
    await writeFile(file, "old");
    await writeFileAtomic(file, "new");
    expect(await readFile(file, "utf8")).toBe("new");
    expect(await readdir(dir)).toEqual(["run.json"]);
  });

  it("on failure removes its temporary file and the older file, and rethrows", async () => {
    const dir = await tempDir();
    // A folder where the file should go: the rename fails after the temporary file was written.
    const file = path.join(dir, "report.html");
    await mkdir(file);
    await writeFile(path.join(file, "inside"), "x");
    await expect(writeFileAtomic(file, "text")).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it.each([
    [Object.assign(new Error("EFBIG: file too large, write"), { code: "EFBIG" }), "EFBIG: file too large"],
    [
      Object.assign(new Error("ENOSPC: no space left on device, open '/x/y'"), { code: "ENOSPC" }),
      "ENOSPC: no space left on device",
    ],
    [new Error("odd"), "odd"],
  ])("ioReason(%s) reads %j", (err, reason) => {
    expect(ioReason(err)).toBe(reason);
  });
});
