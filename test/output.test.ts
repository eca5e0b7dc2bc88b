import { spawn } from "node:child_process";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, ROOT, runCli, tempDir, writeTemp, type CliResult } from "./helpers/cli.js";
import { startTruthServer, type TruthServer } from "./helpers/truth-server.js";

// Output that cannot be lost half-way: a report folder that cannot be written is refused before
// anything is sent, a write that fails mid-run stops the run with exit 3 and a plain message, and
// every file left behind is whole.

/** The CLI under `ulimit -f KIB`: past that size a write fails with EFBIG, as on a full disk. */
function runLimited(args: string[], fileSizeKib: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const child = spawn(
      "bash",
      ["-c", `ulimit -f ${fileSizeKib} && exec "${process.execPath}" "${BIN}" ${quoted}`],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", CI: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const loadSuite = (url: string, requests: number) => `version: 1
name: output
targets:
  t: { provider: openai-chat, base_url: "${url}", model: m }
load:
  - { name: p, concurrency: 8, requests: ${requests}, synthetic: { input_tokens: 4, output_tokens: 3 } }
`;

/** No Node stack trace, no "internal error": a person reads one plain message. */
function expectPlain(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain("internal error");
}

describe("--out is checked before anything is sent", () => {
  let server: TruthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const refused = async (out: (dir: string) => Promise<string>, message: RegExp) => {
    server = await startTruthServer();
    const dir = await tempDir();
    const suite = await writeTemp(dir, "suite.yaml", loadSuite(server.url, 5));
    const r = await runCli(["run", suite, "--out", await out(dir)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expectPlain(r.stderr);
    expect(server.log).toHaveLength(0);
  };

  it("an existing file", () =>
    refused(async (dir) => writeTemp(dir, "taken", "x"), /--out .*taken: is a file, not a folder/));

  it("a path under a file", () =>
    refused(
      async (dir) => path.join(await writeTemp(dir, "file", "x"), "reports"),
      /--out .*file\/reports: cannot write reports there \(a part of that path is a file, not a folder\)/,
    ));

  // Permissions do not bind root; a read-only folder is then tested by whoever runs as a user.
  it.skipIf(process.getuid?.() === 0)("a folder that cannot be written", () =>
    refused(async (dir) => {
      const ro = path.join(dir, "ro");
      await mkdir(ro);
      await chmod(ro, 0o555);
      return ro;
    }, /--out .*ro: cannot write reports there \(permission denied\)/),
  );
});

describe("a write that fails mid-run", () => {
  it("requests.ndjson: stops sending, names the file and why, exits 3, and the file ends on a whole line", async () => {
    const server = await startTruthServer({ chunks: 1, chunkGapMs: 0 });
    try {
      const dir = await tempDir();
      const out = path.join(dir, "out");
      const suite = await writeTemp(dir, "suite.yaml", loadSuite(server.url, 200_000));
      // 64 KiB holds about 200 lines: the run would send 200,000 requests.
      const r = await runLimited(["run", suite, "--out", out], 64);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /gauntlet: cannot write requests\.ndjson in .*out \(EFBIG: file too large\): stopped sending/,
      );
      expectPlain(r.stderr);
      const text = await readFile(path.join(out, "requests.ndjson"), "utf8");
      expect(text.length).toBeGreaterThan(0);
      expect(text.endsWith("\n")).toBe(true);
      const lines = text.split("\n").filter(Boolean);
      for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
      // It stopped: the server got a small share of the 200,000.
      expect(server.log.length).toBeLessThan(20_000);
      const files = await readdir(out);
      expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
      if (files.includes("run.json"))
        expect(JSON.parse(await readFile(path.join(out, "run.json"), "utf8"))).toHaveProperty(
          "status",
          "interrupted",
        );
    } finally {
      await server.close();
    }
  });

  it("a report file: every other report is written whole, the one that failed is absent, exit 3", async () => {
    const dir = await tempDir();
    const out = path.join(dir, "out");
    await mkdir(out);
    // An older report.html in the folder must not pass for this run's.
    await writeFile(path.join(out, "report.html"), "<html>an older run</html>");
    const suite = await writeTemp(
      dir,
      "suite.yaml",
      `version: 1
name: sizes
targets:
  t: { provider: sim, model: m, sim: { ttft_ms: 1, itl_ms: 1 } }
prompts: { q: "say {{w}}" }
cases:
  - { id: a, prompt: q, vars: { w: a }, assert: [{ contains: "x" }] }
  - { id: b, prompt: q, vars: { w: b } }
`,
    );
    // 10 KiB: run.json (about 8.3 KiB, with run and measurement health) and the small files fit,
    // report.html (about 11.5 KiB) does not.
    const r = await runLimited(["run", suite, "--out", out], 10);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/gauntlet: cannot write report\.html \(EFBIG: file too large\) in .*out/);
    expectPlain(r.stderr);
    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      "cases.csv",
      "junit.xml",
      "requests.ndjson",
      "review.jsonl",
      "run.json",
      "summary.md",
    ]);
    expect(JSON.parse(await readFile(path.join(out, "run.json"), "utf8"))).toHaveProperty(
      "status",
      "completed",
    );
  });
});
