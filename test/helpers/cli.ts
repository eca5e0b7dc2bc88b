import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const BIN = path.join(ROOT, "bin/gauntlet.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI child process. Unless the test sets `cwd` (to test the cache in its own
 * folder), each gets an empty response cache: a simulator on a reused port must never be answered
 * from an earlier test's cache.
 */
function cliEnv(options: { env?: NodeJS.ProcessEnv; cwd?: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: "1",
    ...(options.cwd ? {} : { GAUNTLET_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), "gauntlet-cache-")) }),
    ...options.env,
  };
}

/**
 * Runs the built CLI as a child process, as a user would (see cliEnv for its cache). With
 * `timeoutMs`, a child still running then is killed (SIGKILL) and its code reads null.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: cliEnv(options) });
    let stdout = "";
    let stderr = "";
    const kill =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SimProcess {
  url: string;
  child: ChildProcess;
  /** Stops the simulator and waits for it to flush its ground-truth log. */
  stop(): Promise<void>;
}

/** Starts `gauntlet sim --port 0` in its own process and resolves with its URL. */
export function startSimProcess(args: string[]): Promise<SimProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "sim", "--port", "0", ...args], { cwd: ROOT });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.once("exit", (code) => reject(new Error(`sim exited early (${code}): ${stderr}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (!m) return reject(new Error(`unexpected sim output: ${line}`));
      resolve({
        url: m[1]!,
        child,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}

/** A JSON-lines file (requests.ndjson, a truth log) as its records, one per non-empty line. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

export async function tempDir(prefix = "gauntlet-test-"): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function writeTemp(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * Runs `gauntlet run SUITE --out OUT` as a child process and sends it SIGINT (or `signal`) once
 * requests.ndjson holds `afterLines` lines, or once `ready()` says so when given (or after 15 s). Resolves with its exit code, stderr and
 * how long it took to exit after the signal. With `killAfterMs`, a child still running that long
 * after the signal is killed (SIGKILL), so a run that ignores it fails the test instead of hanging it.
 */
export async function interruptRun(
  suite: string,
  out: string,
  afterLines: number,
  options: { signal?: NodeJS.Signals; killAfterMs?: number; ready?: () => boolean } = {},
): Promise<{ code: number | null; stderr: string; exitMs: number }> {
  const child = spawn(process.execPath, [BIN, "run", suite, "--out", out], { cwd: ROOT, env: cliEnv({}) });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  // Interrupt once requests are flowing (the first lines are in requests.ndjson).
  for (let i = 0; i < 150; i++) {
    if (options.ready) {
      if (options.ready()) break;
    } else {
      const text = await readFile(path.join(out, "requests.ndjson"), "utf8").catch(() => "");
      if (text.split("\n").filter(Boolean).length >= afterLines) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const signalled = Date.now();
  child.kill(options.signal ?? "SIGINT");
  const kill =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
  const code = await exited;
  clearTimeout(kill);
  return { code, stderr, exitMs: Date.now() - signalled };
}
