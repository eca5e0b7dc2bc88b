import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers/cli.js";

describe("gauntlet init", () => {
  it("writes a starter suite that validates and runs as written, and never overwrites", async () => {
    const dir = await tempDir();
    const first = await runCli(["init"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const text = await readFile(path.join(dir, "gauntlet.yaml"), "utf8");
    expect(text).toContain("provider: sim");
    expect((await runCli(["validate", "gauntlet.yaml"], { cwd: dir })).code).toBe(0);
    const run = await runCli(["run", "gauntlet.yaml", "--out", "out", "--quiet"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
  });
});
