import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.js";

/** Every example the README points at is a valid suite, as it stands in the repository. */
describe("the examples in suites/", async () => {
  const files = (await readdir(path.join(ROOT, "suites"))).filter((f) => f.endsWith(".yaml"));
  it("has examples", () => {
    expect(files.length).toBeGreaterThan(5);
  });
  it.each(files)("%s validates", async (file) => {
    const r = await runCli(["validate", path.join("suites", file)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
