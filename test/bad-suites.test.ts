import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, runCli } from "./helpers/cli.js";

/**
 * The corpus of broken suites: each must make `gauntlet validate` exit 2 with a message naming the
 * file (the suite, or the dataset for dataset errors), the line and the field.
 */
const CORPUS = "test/fixtures/bad-suites";

interface Expected {
  /** The file the message names, as printed (relative to the repository root). */
  file: string;
  line: number;
  /** Field path the message names; null where there is none (YAML syntax, empty file). */
  field: string | null;
  message: string;
}

const expected = JSON.parse(readFileSync(path.join(ROOT, CORPUS, "expected.json"), "utf8")) as Record<
  string,
  Expected
>;
const suites = readdirSync(path.join(ROOT, CORPUS))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function validate(suite: string): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.GAUNTLET_TEST_UNSET_VAR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "validate", `${CORPUS}/${suite}`], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs every suite once, one process per core, before the assertions read the results (each run
 * costs the CLI's start-up time, so running them all at once would only make them compete).
 */
const results = new Map<string, Result>();
beforeAll(async () => {
  const queue = [...suites];
  const worker = async () => {
    for (let suite = queue.shift(); suite !== undefined; suite = queue.shift())
      results.set(suite, await validate(suite));
  };
  await Promise.all(Array.from({ length: Math.min(8, os.availableParallelism()) }, worker));
}, 120_000);

describe("the bad-suite corpus", () => {
  it("holds at least 25 suites, each with an expectation, and no stale expectations", () => {
    expect(suites.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(expected).sort()).toEqual(suites);
  });

  it.each(Object.entries(expected))("%s exits 2 naming file, line and field", (suite, want) => {
    const result = results.get(suite);
    expect(result, `${suite} was not run`).toBeDefined();
    const { code, stdout, stderr } = result!;
    expect(code, stderr).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).not.toContain("internal error");
    // One line of the report must carry all three, so they describe the same problem.
    const lines = stderr.split("\n");
    const where = `${want.file}:${want.line}:`;
    const match = lines.find(
      (l) =>
        l.includes(where) &&
        (want.field === null || l.includes(` ${want.field}: `)) &&
        l.includes(want.message),
    );
    expect(
      match,
      `no line of stderr has ${where}, ${want.field ?? "(no field)"} and "${want.message}":\n${stderr}`,
    ).toBeDefined();
  });
});

/**
 * Files that cannot be committed to the corpus: a FIFO (created here with mkfifo), a device, a
 * suite over the size cap (a sparse file, so it costs no disk). Each used to hang for ever, print
 * "cannot read suite (undefined)" or exhaust memory; each is now a plain exit 2 within seconds.
 */
describe("files that are not suites", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gauntlet-hostile-"));
  const fifo = path.join(dir, "pipe.yaml");
  execFileSync("mkfifo", [fifo]);
  const dataFifo = path.join(dir, "rows.csv");
  execFileSync("mkfifo", [dataFifo]);
  const withFifoDataset = path.join(dir, "suite.yaml");
  writeFileSync(
    withFifoDataset,
    'version: 1\nname: fifo-dataset\ntargets:\n  a: { provider: sim }\nprompts:\n  p: "{{q}}"\ncases:\n  - from: rows.csv\n    prompt: p\n',
  );
  const huge = path.join(dir, "huge.yaml");
  writeFileSync(huge, "version: 1\n");
  truncateSync(huge, 51 * 1024 * 1024);

  it.each<[string, string, string]>([
    ["a FIFO as the suite", fifo, `${fifo}: cannot read suite: a FIFO (named pipe), not a regular file`],
    [
      "/dev/zero as the suite",
      "/dev/zero",
      "/dev/zero: cannot read suite: a character device, not a regular file",
    ],
    ["a folder as the suite", dir, `${dir}: cannot read suite: a folder, not a regular file`],
    ["a suite over 50 MiB", huge, `${huge}: the suite file is over 50 MiB`],
    [
      "a FIFO as a dataset, pointed at from the suite's line",
      withFifoDataset,
      `${withFifoDataset}:8:11: cases[0].from: cannot read dataset: a FIFO (named pipe), not a regular file`,
    ],
  ])("%s exits 2 at once with a plain message", async (_what, file, message) => {
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(["validate", file], { timeoutMs: 20_000 });
    expect(code, stderr).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/internal error|undefined|\n\s+at /);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
